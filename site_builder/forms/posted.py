"""The names and values a form posts besides its questions' answers: written into the HTML by
``render``, the paper and data-entry forms, and read back by the collector (``validate``,
``paper_check``, the mediators' pages). Every one starts with '_' (or is a value no option can
have), so none can be taken for a question's answer."""

from __future__ import annotations

FORM_ID_NAME = "_form"
"""Hidden input: which form an answer belongs to."""
FORM_VERSION_NAME = "_version"
"""Hidden input: ``Form.version``, to tell an answer to yesterday's questions from today's."""
FORM_LANGUAGE_NAME = "_language"
"""Hidden input: the language the form was shown in (the collector answers in it); no version."""
HONEYPOT_NAME = "_website"
"""The honeypot: people never reach it, so an answer that fills it comes from a robot."""
AGAIN_NAME = "_again"
"""Hidden input of the form the collector shows when an identical answer was just sent from
the same connection by another browser: the person confirms that theirs is another answer."""
AGAIN_VALUE = "1"
RESERVED_NAMES = frozenset({FORM_ID_NAME, FORM_VERSION_NAME, FORM_LANGUAGE_NAME, HONEYPOT_NAME,
                            AGAIN_NAME})
"""Names every form adds. They start with '_', which no field id may (``parse.FIELD_ID``), so
they can never be confused with a question's answer."""
CSRF_NAME = "_csrf"
"""Hidden input of the mediators' forms (``hidden_extra``): their session's CSRF token."""
SPOILED_NAME = "_spoiled"
"""The data-entry form's "unreadable or spoiled" checkboxes: each sends its question's id."""
ENTRY_NAMES = frozenset({CSRF_NAME, SPOILED_NAME})
"""Names only the mediators' data-entry form sends: the public form cannot, so the collector
refuses them in an online answer (``validate.read_submission``)."""
SPOILED = "spoiled"
"""The mark of a question the sheet answers illegibly or wrongly (``storage.base.MARKS``)."""
BLANK = "blank"
"""The mark of a question the sheet leaves empty (``storage.base.MARKS``)."""
BLANK_VALUE = ""
"""What the data-entry form's "No answer (blank)" radio sends (and a select's empty first
option already sends): the typist's way back to no answer after choosing one by mistake, as
arrow keys in a radio group always choose one. The empty string, because no option can have
it (``type_keys._option`` refuses an empty option and ``Node.text`` an empty value; a scale's
steps are numbers), so it can never be read as an option, and a browser sends it as it is. The
public form never offers it: ``validate`` refuses it there as a value that is no option."""
CONSENT_VALUE = "yes"
"""What a ticked consent checkbox submits."""
