"""Forms: declared once in the content, parsed into one model, rendered, and written as a manifest.

The model (``model.py``) is the single source of truth: the build renders the HTML form from it,
writes it as ``site/forms/<id>.json``, and the collector validates answers against that manifest
and re-renders the same components with errors.
"""
