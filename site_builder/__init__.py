"""parole: accessible, low-bandwidth consultation sites from markdown.

The core lives here and does not import MkDocs: schema, rendering helpers, page weight, FAQ,
navigation and the command line. ``site_builder.plugins`` holds the thin MkDocs adapters and
``site_builder.theme`` the MkDocs theme.
"""

__version__ = "0.1.0"
