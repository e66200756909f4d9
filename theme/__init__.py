"""The parole MkDocs theme (templates, one stylesheet, locale catalogues)."""
