"""Lines of options in mkdocs.yml, found by reading the file again (MkDocs keeps none)."""

from __future__ import annotations

from pathlib import Path

from site_builder.config_lines import ConfigLines

CONFIG = """\
site_name: !ENV [SITE_NAME, "Consultation"]
theme:
  name: parole
  stylesheet: external
markdown_extensions:
  - pymdownx.emoji:
      emoji_index: !!python/name:material.extensions.emoji.twemoji
plugins:
  - search
  - parole:
      opens: 2027-01-04
      closes: !ENV CLOSES
      phases:
        - name: Information
          start: 2027-01-04
          end: 2027-01-17
        - name: Contributions
          start: 2027-01-10
"""


def test_options_are_found_despite_other_programs_tags(tmp_path: Path) -> None:
    config = tmp_path / "mkdocs.yml"
    config.write_text(CONFIG, encoding="utf-8")
    lines = ConfigLines.read(config, "parole")
    assert lines.option(("opens",)) == 11
    assert lines.option(("closes",)) == 12
    assert lines.option(("phases", 1, "start")) == 18  # the second phase (0-based here)
    assert lines.option(("phases", 1, "end")) == 17  # not written: the phase's own line
    assert lines.option(("retention_days",)) == 10  # not written: the plugin's line
    assert lines.top(("theme", "stylesheet")) == 4


def test_plugins_written_as_a_mapping(tmp_path: Path) -> None:
    config = tmp_path / "mkdocs.yml"
    config.write_text("plugins:\n  parole:\n    opens: demain\n", encoding="utf-8")
    assert ConfigLines.read(config, "parole").option(("opens",)) == 3


def test_a_file_that_cannot_be_read_gives_no_line(tmp_path: Path) -> None:
    broken = tmp_path / "mkdocs.yml"
    broken.write_text("plugins: [parole\n", encoding="utf-8")
    assert ConfigLines.read(broken, "parole").option(("opens",)) is None
    assert ConfigLines.read(tmp_path / "absent.yml", "parole").option(("opens",)) is None
    assert ConfigLines.read(None, "parole").option(("opens",)) is None
