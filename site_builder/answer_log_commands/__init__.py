"""``parole log keygen | checkpoint | publish | prove | verify | audit`` (issue #19): the
organizer's and the auditor's commands on the answer log (docs/answer-log.md, "Commands").

``keys``: the signing key, made and read. ``head``: the log's tree head read from the database
and signed (also what the collector does periodically, ``collector.log_checkpoints``).
``publish``: the journal folder (C2SP tlog-tiles, checkpoints, key, verifier). ``journal``
and ``verify``: a published journal read back from a folder or over HTTP, and checked.
``prove``: a receipt's inclusion proof. ``audit`` and ``audit_results``: every leaf recomputed
from the database. ``command``: the command line. The formats, proofs and signatures are
``site_builder.answer_log``'s; nothing here reimplements them.
"""
