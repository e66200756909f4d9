"""The standalone verifier citizens and auditors run against a published answer log (issue
#19): ``parole_verifier.py``, one file of standard-library Python (3.8 or newer), copied as
it is into the site's ``journal/`` folder. It shares no code with ``site_builder.answer_log``
on purpose: an outside check of the log is worth more when it was written separately, from
the public specifications alone (docs/answer-log.md, "Checking it yourself")."""

from __future__ import annotations

from pathlib import Path

VERIFIER_FILE = Path(__file__).with_name("parole_verifier.py")
"""The file to publish beside the journal's checkpoint, byte for byte."""
