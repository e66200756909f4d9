"""Closing the loop (issue #16): what was heard, what was decided, and the open data behind it.

The pieces, in the order a consultation's end goes through them:

- **Moderation.** ``parole moderate`` (``moderate_command``, ``moderate_dialog``) and the
  collector's ``/admin/moderation/`` pages (``site_builder.collector.moderation``) show the
  free-text answers whose author agreed to be quoted (``moderation``: the queue, which verdict
  applies), one by one; each verdict is stored with who, when and why
  (``storage.moderation``).
- **Counting.** ``parole results`` (``command``, ``settings``: the docs folder and
  ``min_count`` from ``mkdocs.yml``) reads every form's answers once, streamed (``compute``,
  ``free_text``), and writes a *results file* per form into the docs folder (``file``):
  aggregates already protected (``protect``: no count below ``results.min_count`` is ever
  written), moderation figures and the approved quotes. Nothing else leaves the database.
- **Publishing.** ``parole build`` renders a ``type: results`` page from that file (``page``,
  ``figures``, ``quotes``, ``words``; ids in ``anchors``): each figure an inline SVG chart
  (``charts``) with its table; the decisions written in the page (``decisions``,
  ``decisions_reading``); and writes the open data (``open_data``, ``open_data_tables``,
  ``open_data_package``) under ``donnees/`` (``data/``).
"""
