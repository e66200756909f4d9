"""parole's benchmarks: measurements behind design decisions, each regenerating a results page.

Run them all with ``.venv/bin/python -m bench`` (see ``bench/README.md``).
"""
