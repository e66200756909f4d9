"""Issue #5's reliability suites: load, kill -9, a full disk, hostile input, spreadsheets,
access, privacy, and a real nginx in front.

Each suite runs a short variant in the test command (``scripts/check``) and a full one by
``.venv/bin/python -m tests.reliability``, which also rewrites the tables of
``docs/RELIABILITY.md`` from the figures the suites recorded (:mod:`tests.reliability.figures`).
"""
