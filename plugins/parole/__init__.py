"""The ``parole`` MkDocs plugin: everything parole adds to a site, each feature switchable."""
