"""Closing the loop (issue #16): what was heard, what was decided, and the open data behind it.

The pieces, in the order a consultation's end goes through them:

- ``parole moderate`` (``moderation``) lets the organizer read the free-text answers whose
  author agreed to be quoted, and approve, redact or reject each, with who, when and why.
- ``parole results`` (``compute``) reads the answers of every form once, streamed, and writes a
  *results file* per form into the docs folder (``file``): aggregates already protected
  (``protect``: no count below ``results.min_count`` is ever written), moderation figures and the
  approved quotes. Nothing else leaves the database: no receipt, no email, no other free text.
- ``parole build`` renders a ``type: results`` page from that file: figures drawn by ``charts``
  (inline SVG) each with its table (``page``), the approved quotes, the decisions
  (``decisions``), and writes the open data (``open_data``) under ``donnees/`` (``data/``).
"""
