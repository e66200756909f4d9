"""MkDocs adapters of parole: thin plugins that call the core in ``site_builder``."""
