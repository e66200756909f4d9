"""The database schema, as numbered migrations applied when a storage is opened.

Migration N is ``SQLITE[N - 1]`` / ``POSTGRES[N - 1]``: a tuple of SQL statements applied in one
transaction together with its row in ``schema_migrations``, so a database is always exactly at
one version. A migration, once released, is never edited: a change to the schema is a new
migration at the end of both lists (the two lists always have the same length).

The backends differ only in types: SQLite keeps timestamps as ISO 8601 UTC text with a fixed
width (``2025-03-01T09:30:00.000000Z``, so text order is time order) and booleans as 0/1;
PostgreSQL uses ``timestamptz``, ``boolean``, ``date`` and ``bytea``. Answer values are JSON
text in both, and in PostgreSQL the ``json`` type, not ``jsonb``: ``jsonb`` reorders an
object's keys, and the values must come back in the form's order.

Migration 2 (issue #13) drops migration 1's daily client keys: with them in the database, a copy
of it was enough to find who sent an answer by trying every address of a range. The keys now
derive from the collector's secret, kept outside the database. ``secret_check`` holds one row, a
digest that tells secrets apart without revealing them (``Storage.bind_secret``), so that a
collector started with another secret than its peers is refused. ``answers.client`` is cleared
once past the duplicate window, and the partial index finds the rows still to clear.

Migration 3 (issue #15) brings paper and mediator entry in. ``mediators`` holds each mediator's
name (how entries are attributed, so never reused, even once revoked), role and the SHA-256
digest of their access code; ``mediator_sessions`` their signed-in sessions, by token digest.
``batches`` are stacks of paper sheets with their hand count; ``source_digest`` is an imported
file's digest, unique so that importing a file twice stores it once. ``paper_entries`` keeps
every typing of a sheet (two with double entry), deleted with its answer; ``again`` marks a
typing made at a coordinator's request, outside the typist's run through the stack (it does not
move their sheet numbering on); ``typing_key`` is the random key of the screen a typing was
made on, unique per mediator, so that the same screen posted twice (Save pressed twice, or again
after a lost response, to any collector) stores one typing. ``answer_changes`` is the audit
trail. Answers gain who entered them, their marks (questions left blank or spoiled: JSON,
``json`` in PostgreSQL like the values, whose order it keeps), their batch and sheet number
(unique together), and ``pending``: a double-entry sheet that does not count yet.

Migration 4 (issue #16) keeps the moderators' decisions on free-text answers that may be quoted:
``moderation_verdicts``, one row per decision on one answer's question, only ever added (the
newest per receipt and question supersedes the earlier ones, which stay: who decided what, when
and why). ``text_digest`` is the SHA-256 of the text decided on, so that a decision stops
applying once the answer is corrected; ``redactions_json`` the hidden spans of an approved text
as ``[start, end, reason]`` character offsets, never a copy of the text; ``theme`` the group an
approved quote is shown under. A verdict references its answer's receipt ``ON DELETE CASCADE``:
deleting an answer (its author asked, or ``purge`` at the end of its retention period) deletes
every decision about it too, whichever path deletes it.

Migration 5 (issue #18) records the language of the page each answer came from: one form is
published in several languages, and its answers count together whatever the language, so the
language is a column of ``answers``, not a form of its own. ``language`` is a language tag as
the form's manifest writes it (``fr``, ``ar``). Rows stored before it are left NULL, which reads
as "the form's own language" (``base.answer_language``): every page of a form was then in that
language, so NULL says exactly what was true, and the migration rewrites no row (instant on a
large table, in both backends, where filling it in would have meant parsing each stored
manifest inside SQL).

Migration 6 (issue #18) records the language of each batch's paper version: a form is printed
in each of its languages with the same question codes, and the sheets of one stack are of one
version, so the language is said once, when the batch is opened, and each sheet typed in it is
stored in it (``answers.language``). Batches opened before are left NULL, read as the form's own
language (``entry.batch_language``): the only paper version there then was. No row rewritten.

Migration 7 (issue #19) adds the answer log. ``log_leaves`` holds one row per leaf: ``idx`` its
place (from 0, dense, the commit order), ``receipt`` its answer's code (not a foreign key: a
leaf outlives its answer), ``entry`` the 32-byte salted commitment to the answer's state
(``answer_log.entry``), ``leaf_hash`` its RFC 9162 hash (stored, so the tree is read without
recomputing it), ``salt`` (16 bytes, NULL once the answer is deleted), ``state`` (current,
replaced or deleted) and ``appended_at``. A partial unique index allows one ``current`` leaf per
receipt; a check ties a NULL salt to ``deleted``. ``log_checkpoints`` keeps the signed tree
heads by size. The migration gives every counted answer (neither quarantined nor pending) its
salt and leaf, in ``(received_at, id)`` order, in the migration's transaction
(``log_rows.backfill``: SQL alone cannot hash), so an upgrade is all or nothing.
"""

from __future__ import annotations

from collections.abc import Callable

from site_builder.messages import say
from site_builder.storage import log_rows
from site_builder.storage.base import StorageError
from site_builder.storage.dialect import Transaction

Migration = tuple[str, ...]

SQLITE_BOOKKEEPING = """
CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    applied_at TEXT NOT NULL
)"""

POSTGRES_BOOKKEEPING = """
CREATE TABLE IF NOT EXISTS schema_migrations (
    version integer PRIMARY KEY,
    applied_at timestamptz NOT NULL DEFAULT now()
)"""

SQLITE: list[Migration] = [
    (  # 1: answers, form schemas, daily client keys
        """CREATE TABLE answers (
            id INTEGER PRIMARY KEY,
            receipt TEXT NOT NULL UNIQUE,
            form_id TEXT NOT NULL,
            form_version TEXT NOT NULL,
            channel TEXT NOT NULL CHECK (channel IN ('online', 'paper', 'assisted')),
            received_at TEXT NOT NULL,
            expires_at TEXT,
            values_json TEXT NOT NULL,
            fingerprint TEXT NOT NULL,
            client TEXT,
            quarantined INTEGER NOT NULL DEFAULT 0 CHECK (quarantined IN (0, 1))
        )""",
        "CREATE INDEX answers_form_received ON answers (form_id, received_at)",
        "CREATE INDEX answers_fingerprint ON answers (fingerprint)",
        "CREATE INDEX answers_expires ON answers (expires_at)",
        """CREATE TABLE forms (
            form_id TEXT NOT NULL,
            version TEXT NOT NULL,
            manifest TEXT NOT NULL,
            registered_at TEXT NOT NULL,
            PRIMARY KEY (form_id, version)
        )""",
        """CREATE TABLE client_keys (
            day TEXT PRIMARY KEY,
            key BLOB NOT NULL
        )""",
    ),
    (  # 2: no key in the database (issue #13); see the module's docstring
        "DROP TABLE client_keys",
        # Pseudonyms made with the dropped keys can match nothing any more: none is kept.
        "UPDATE answers SET client = NULL WHERE client IS NOT NULL",
        """CREATE TABLE secret_check (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            digest TEXT NOT NULL,
            bound_at TEXT NOT NULL
        )""",
        "CREATE INDEX answers_client_received ON answers (received_at) WHERE client IS NOT NULL",
    ),
    (  # 3: paper and mediator entry (issue #15); see the module's docstring
        """CREATE TABLE mediators (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            role TEXT NOT NULL CHECK (role IN ('mediator', 'coordinator')),
            code_digest TEXT NOT NULL UNIQUE,
            created_at TEXT NOT NULL,
            revoked_at TEXT
        )""",
        """CREATE TABLE mediator_sessions (
            token_digest TEXT PRIMARY KEY,
            mediator TEXT NOT NULL REFERENCES mediators (name),
            created_at TEXT NOT NULL,
            expires_at TEXT NOT NULL
        )""",
        "CREATE INDEX mediator_sessions_mediator ON mediator_sessions (mediator)",
        """CREATE TABLE batches (
            id INTEGER PRIMARY KEY,
            form_id TEXT NOT NULL,
            place TEXT NOT NULL,
            collected_on TEXT NOT NULL,
            sheets_counted INTEGER NOT NULL CHECK (sheets_counted >= 0),
            created_by TEXT NOT NULL,
            created_at TEXT NOT NULL,
            closed_at TEXT,
            closed_by TEXT,
            source_digest TEXT UNIQUE
        )""",
        "CREATE INDEX batches_form ON batches (form_id, created_at)",
        "ALTER TABLE answers ADD COLUMN entered_by TEXT",
        "ALTER TABLE answers ADD COLUMN marks_json TEXT NOT NULL DEFAULT '{}'",
        "ALTER TABLE answers ADD COLUMN batch_id INTEGER REFERENCES batches (id)",
        "ALTER TABLE answers ADD COLUMN sheet INTEGER",
        "ALTER TABLE answers ADD COLUMN pending INTEGER NOT NULL DEFAULT 0"
        " CHECK (pending IN (0, 1))",
        "CREATE UNIQUE INDEX answers_batch_sheet ON answers (batch_id, sheet)",
        """CREATE TABLE paper_entries (
            id INTEGER PRIMARY KEY,
            answer_id INTEGER NOT NULL REFERENCES answers (id) ON DELETE CASCADE,
            entered_by TEXT NOT NULL,
            entered_at TEXT NOT NULL,
            values_json TEXT NOT NULL,
            marks_json TEXT NOT NULL,
            discarded INTEGER NOT NULL DEFAULT 0 CHECK (discarded IN (0, 1)),
            again INTEGER NOT NULL DEFAULT 0 CHECK (again IN (0, 1)),
            typing_key TEXT,
            UNIQUE (entered_by, typing_key)
        )""",
        "CREATE INDEX paper_entries_answer ON paper_entries (answer_id)",
        """CREATE TABLE answer_changes (
            id INTEGER PRIMARY KEY,
            action TEXT NOT NULL CHECK (action IN ('corrected', 'deleted', 'resolved',
                'sent_back', 'recounted', 'closed')),
            changed_by TEXT NOT NULL,
            changed_at TEXT NOT NULL,
            batch_id INTEGER REFERENCES batches (id),
            receipt TEXT,
            before_json TEXT,
            after_json TEXT,
            reason TEXT NOT NULL DEFAULT ''
        )""",
        "CREATE INDEX answer_changes_batch ON answer_changes (batch_id)",
        "CREATE INDEX answer_changes_receipt ON answer_changes (receipt)",
    ),
    (  # 4: moderation of free-text answers (issue #16); see the module's docstring
        """CREATE TABLE moderation_verdicts (
            id INTEGER PRIMARY KEY,
            form_id TEXT NOT NULL,
            receipt TEXT NOT NULL REFERENCES answers (receipt) ON DELETE CASCADE,
            field_id TEXT NOT NULL,
            outcome TEXT NOT NULL CHECK (outcome IN ('approved', 'rejected')),
            reason TEXT NOT NULL DEFAULT '',
            redactions_json TEXT NOT NULL DEFAULT '[]',
            theme TEXT,
            text_digest TEXT NOT NULL,
            decided_by TEXT NOT NULL,
            decided_at TEXT NOT NULL,
            CHECK (outcome = 'approved' OR reason <> '')
        )""",
        "CREATE INDEX moderation_verdicts_form ON moderation_verdicts (form_id, id)",
        "CREATE INDEX moderation_verdicts_receipt ON moderation_verdicts (receipt)",
    ),
    (  # 5: the language of the page each answer came from (issue #18); see the docstring
        "ALTER TABLE answers ADD COLUMN language TEXT",
    ),
    (  # 6: the language of each batch's paper version (issue #18); see the docstring
        "ALTER TABLE batches ADD COLUMN language TEXT",
    ),
    (  # 7: the answer log (issue #19); see the docstring, and AFTER for its leaves
        """CREATE TABLE log_leaves (
            idx INTEGER PRIMARY KEY CHECK (idx >= 0),
            receipt TEXT NOT NULL,
            entry BLOB NOT NULL CHECK (length(entry) = 32),
            leaf_hash BLOB NOT NULL CHECK (length(leaf_hash) = 32),
            salt BLOB CHECK (length(salt) = 16),
            state TEXT NOT NULL CHECK (state IN ('current', 'replaced', 'deleted')),
            appended_at TEXT NOT NULL,
            CHECK ((salt IS NULL) = (state = 'deleted'))
        )""",
        "CREATE INDEX log_leaves_receipt ON log_leaves (receipt)",
        "CREATE UNIQUE INDEX log_leaves_current ON log_leaves (receipt) WHERE state = 'current'",
        """CREATE TABLE log_checkpoints (
            size INTEGER PRIMARY KEY CHECK (size >= 0),
            root BLOB NOT NULL CHECK (length(root) = 32),
            note TEXT NOT NULL,
            signed_at TEXT NOT NULL
        )""",
    ),
]

POSTGRES: list[Migration] = [
    (  # 1: answers, form schemas, daily client keys
        """CREATE TABLE answers (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            receipt text NOT NULL UNIQUE,
            form_id text NOT NULL,
            form_version text NOT NULL,
            channel text NOT NULL CHECK (channel IN ('online', 'paper', 'assisted')),
            received_at timestamptz NOT NULL,
            expires_at timestamptz,
            values_json json NOT NULL,
            fingerprint text NOT NULL,
            client text,
            quarantined boolean NOT NULL DEFAULT false
        )""",
        "CREATE INDEX answers_form_received ON answers (form_id, received_at)",
        "CREATE INDEX answers_fingerprint ON answers (fingerprint)",
        "CREATE INDEX answers_expires ON answers (expires_at)",
        """CREATE TABLE forms (
            form_id text NOT NULL,
            version text NOT NULL,
            manifest text NOT NULL,
            registered_at timestamptz NOT NULL,
            PRIMARY KEY (form_id, version)
        )""",
        """CREATE TABLE client_keys (
            day date PRIMARY KEY,
            key bytea NOT NULL
        )""",
    ),
    (  # 2: no key in the database (issue #13); see the module's docstring
        "DROP TABLE client_keys",
        "UPDATE answers SET client = NULL WHERE client IS NOT NULL",
        """CREATE TABLE secret_check (
            id integer PRIMARY KEY CHECK (id = 1),
            digest text NOT NULL,
            bound_at timestamptz NOT NULL DEFAULT now()
        )""",
        "CREATE INDEX answers_client_received ON answers (received_at) WHERE client IS NOT NULL",
    ),
    (  # 3: paper and mediator entry (issue #15); see the module's docstring
        """CREATE TABLE mediators (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            name text NOT NULL UNIQUE,
            role text NOT NULL CHECK (role IN ('mediator', 'coordinator')),
            code_digest text NOT NULL UNIQUE,
            created_at timestamptz NOT NULL,
            revoked_at timestamptz
        )""",
        """CREATE TABLE mediator_sessions (
            token_digest text PRIMARY KEY,
            mediator text NOT NULL REFERENCES mediators (name),
            created_at timestamptz NOT NULL,
            expires_at timestamptz NOT NULL
        )""",
        "CREATE INDEX mediator_sessions_mediator ON mediator_sessions (mediator)",
        """CREATE TABLE batches (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            form_id text NOT NULL,
            place text NOT NULL,
            collected_on date NOT NULL,
            sheets_counted integer NOT NULL CHECK (sheets_counted >= 0),
            created_by text NOT NULL,
            created_at timestamptz NOT NULL,
            closed_at timestamptz,
            closed_by text,
            source_digest text UNIQUE
        )""",
        "CREATE INDEX batches_form ON batches (form_id, created_at)",
        "ALTER TABLE answers ADD COLUMN entered_by text",
        "ALTER TABLE answers ADD COLUMN marks_json json NOT NULL DEFAULT '{}'",
        "ALTER TABLE answers ADD COLUMN batch_id bigint REFERENCES batches (id)",
        "ALTER TABLE answers ADD COLUMN sheet integer",
        "ALTER TABLE answers ADD COLUMN pending boolean NOT NULL DEFAULT false",
        "ALTER TABLE answers ADD CONSTRAINT answers_batch_sheet UNIQUE (batch_id, sheet)",
        """CREATE TABLE paper_entries (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            answer_id bigint NOT NULL REFERENCES answers (id) ON DELETE CASCADE,
            entered_by text NOT NULL,
            entered_at timestamptz NOT NULL,
            values_json json NOT NULL,
            marks_json json NOT NULL,
            discarded boolean NOT NULL DEFAULT false,
            again boolean NOT NULL DEFAULT false,
            typing_key text,
            UNIQUE (entered_by, typing_key)
        )""",
        "CREATE INDEX paper_entries_answer ON paper_entries (answer_id)",
        """CREATE TABLE answer_changes (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            action text NOT NULL CHECK (action IN ('corrected', 'deleted', 'resolved',
                'sent_back', 'recounted', 'closed')),
            changed_by text NOT NULL,
            changed_at timestamptz NOT NULL,
            batch_id bigint REFERENCES batches (id),
            receipt text,
            before_json json,
            after_json json,
            reason text NOT NULL DEFAULT ''
        )""",
        "CREATE INDEX answer_changes_batch ON answer_changes (batch_id)",
        "CREATE INDEX answer_changes_receipt ON answer_changes (receipt)",
    ),
    (  # 4: moderation of free-text answers (issue #16); see the module's docstring
        """CREATE TABLE moderation_verdicts (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            form_id text NOT NULL,
            receipt text NOT NULL REFERENCES answers (receipt) ON DELETE CASCADE,
            field_id text NOT NULL,
            outcome text NOT NULL CHECK (outcome IN ('approved', 'rejected')),
            reason text NOT NULL DEFAULT '',
            redactions_json json NOT NULL DEFAULT '[]',
            theme text,
            text_digest text NOT NULL,
            decided_by text NOT NULL,
            decided_at timestamptz NOT NULL,
            CHECK (outcome = 'approved' OR reason <> '')
        )""",
        "CREATE INDEX moderation_verdicts_form ON moderation_verdicts (form_id, id)",
        "CREATE INDEX moderation_verdicts_receipt ON moderation_verdicts (receipt)",
    ),
    (  # 5: the language of the page each answer came from (issue #18); see the docstring
        "ALTER TABLE answers ADD COLUMN language text",
    ),
    (  # 6: the language of each batch's paper version (issue #18); see the docstring
        "ALTER TABLE batches ADD COLUMN language text",
    ),
    (  # 7: the answer log (issue #19); see the docstring, and AFTER for its leaves
        """CREATE TABLE log_leaves (
            idx bigint PRIMARY KEY CHECK (idx >= 0),
            receipt text NOT NULL,
            entry bytea NOT NULL CHECK (octet_length(entry) = 32),
            leaf_hash bytea NOT NULL CHECK (octet_length(leaf_hash) = 32),
            salt bytea CHECK (octet_length(salt) = 16),
            state text NOT NULL CHECK (state IN ('current', 'replaced', 'deleted')),
            appended_at timestamptz NOT NULL,
            CHECK ((salt IS NULL) = (state = 'deleted'))
        )""",
        "CREATE INDEX log_leaves_receipt ON log_leaves (receipt)",
        "CREATE UNIQUE INDEX log_leaves_current ON log_leaves (receipt) WHERE state = 'current'",
        """CREATE TABLE log_checkpoints (
            size bigint PRIMARY KEY CHECK (size >= 0),
            root bytea NOT NULL CHECK (octet_length(root) = 32),
            note text NOT NULL,
            signed_at timestamptz NOT NULL
        )""",
    ),
]

AFTER: dict[int, Callable[[Transaction], object]] = {
    7: log_rows.backfill,
}
"""What a migration does after its statements, in its transaction, when SQL alone cannot:
migration 7 hashes every counted answer into the new log."""


def check_not_newer(found: int, known: int, where: str) -> None:
    """Refuse a database migrated by a newer parole: this code would misread its tables."""
    if found > known:
        raise StorageError(say("storage.newer_schema", where=where, found=found, known=known))
