"""Reading a review file safely, before any YAML is built from it.

A review file is small by nature (106 criteria at most). Anything else is refused with a plain
message before it can cost time or memory: a file over ``MAX_BYTES``, bytes that are not UTF-8,
YAML anchors and aliases (an alias bomb, the "billion laughs", grows exponentially as soon as
anything walks it), and nesting deeper than ``MAX_DEPTH`` (PyYAML builds nested values
recursively). The YAML scanner used to find them reads the text once, in linear time.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import yaml

from site_builder.errors import Problem
from site_builder.messages import say

MAX_BYTES = 1024 * 1024
"""A full review with long notes is a few tens of kilobytes."""
MAX_DEPTH = 20
"""A review file nests four levels; deeper is a mistake or an attack."""
_OPEN = (yaml.BlockMappingStartToken, yaml.BlockSequenceStartToken,
         yaml.FlowMappingStartToken, yaml.FlowSequenceStartToken)
_CLOSE = (yaml.BlockEndToken, yaml.FlowMappingEndToken, yaml.FlowSequenceEndToken)


def guard(path: Path) -> tuple[str, list[Problem]]:
    """The file's text, or the problems that stop it being read."""
    file = str(path)
    try:
        with path.open("rb") as stream:
            data = stream.read(MAX_BYTES + 1)
    except FileNotFoundError:
        return "", [Problem(say("audit.review.missing_file", path=file),
                            say("audit.review.missing_file.fix"), file=file)]
    except OSError as error:
        return "", [Problem(say("audit.review.unreadable", error=error.strerror or str(error)),
                            say("audit.review.unreadable.fix"), file=file)]
    if len(data) > MAX_BYTES:
        return "", [Problem(say("audit.review.too_big", limit=MAX_BYTES // 1024),
                            say("audit.review.too_big.fix"), file=file)]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        return "", [Problem(say("audit.review.not_utf8", offset=error.start),
                            say("audit.review.not_utf8.fix"), file=file, line=line)]
    return text, _scan(text, file)


def _scan(text: str, file: str) -> list[Problem]:
    """Aliases and deep nesting, found by the scanner alone (syntax errors are left to the
    loader, which explains them)."""
    depth = 0
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            line = token.start_mark.line + 1
            if isinstance(token, yaml.AliasToken | yaml.AnchorToken):
                return [Problem(say("audit.review.alias"), say("audit.review.alias.fix"),
                                file=file, line=line)]
            if isinstance(token, _OPEN):
                depth += 1
                if depth > MAX_DEPTH:
                    return [Problem(say("audit.review.too_deep", limit=MAX_DEPTH),
                                    say("audit.review.too_deep.fix"), file=file, line=line)]
            elif isinstance(token, _CLOSE):
                depth -= 1
    except yaml.YAMLError:
        return []
    return []


def shown(value: object) -> str:
    """A value as a message quotes it: short, on one line."""
    text = value.isoformat(" ") if isinstance(value, datetime) else repr(value)
    text = " ".join(text.split())
    return text if len(text) <= 60 else text[:59] + "…"
