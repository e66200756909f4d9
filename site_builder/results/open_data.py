"""The open data of a consultation's results (issue #16, section 4): ``site/donnees/``
(``data/`` in English) with the aggregates (CSV and JSON), the approved quotes (CSV) and a
Frictionless data package (``datapackage.json``) describing them under the site's licence.

GROUNDWORK: the helper "open data" replaces this module's body.
"""

from __future__ import annotations

LICENCES = ("etalab-2.0", "odbl-1.0")
DEFAULT_LICENCE = "etalab-2.0"
