"""YAML that remembers where things were written, so form errors name the exact line.

``load`` reads YAML like ``yaml.safe_load`` but returns mappings and lists that carry the line of
each key and item (0-based, relative to the YAML text; the parser adds the fence's line) and the
source text of plain scalars. The source text lets the parser tell ``required: true`` from
``required: yes`` (both booleans for PyYAML, which implements YAML 1.1) and say precisely what
YAML made of a value. Duplicate keys, which PyYAML silently collapses to the last one, are kept
for the parser to report.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

import yaml
from yaml.constructor import ConstructorError
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode


class LocatedDict(dict[Any, Any]):
    """A YAML mapping with the line of each key and the source text of its plain scalars."""

    def __init__(self, line: int) -> None:
        super().__init__()
        self.line = line
        """Line of the mapping's first key."""
        self.key_lines: dict[Any, int] = {}
        self.raw: dict[Any, str] = {}
        """Source text of values written as plain (unquoted) scalars."""
        self.duplicates: list[tuple[Any, int, int]] = []
        """Keys written a second time: (key, line written first, line of the repetition)."""


class LocatedList(list[Any]):
    """A YAML sequence with the line of each item and the source text of its plain scalars."""

    def __init__(self, line: int) -> None:
        super().__init__()
        self.line = line
        self.item_lines: list[int] = []
        self.raw: dict[int, str] = {}


def _plain_text(node: Node) -> str | None:
    if isinstance(node, ScalarNode) and node.style is None:
        return str(node.value)
    return None


class _Loader(yaml.SafeLoader):
    """SafeLoader building located containers (no arbitrary Python objects, as safe_load)."""


def _construct_mapping(loader: _Loader, node: Node) -> LocatedDict:
    assert isinstance(node, MappingNode)
    written = {id(key_node) for key_node, _ in node.value}
    loader.flatten_mapping(node)  # puts the pairs of '<<' merge keys first, as safe_load does
    mapping = LocatedDict(node.start_mark.line)
    seen: set[Any] = set()
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, Hashable):
            raise ConstructorError(
                "while reading a mapping", node.start_mark,
                "found a key that is a list or a mapping", key_node.start_mark,
            )
        if id(key_node) in written:  # a key written here may override a merged one
            if key in seen:
                mapping.duplicates.append(
                    (key, mapping.key_lines[key], key_node.start_mark.line))
            seen.add(key)
            mapping.key_lines[key] = key_node.start_mark.line
        else:
            mapping.key_lines.setdefault(key, key_node.start_mark.line)
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.raw.pop(key, None)
        if (raw := _plain_text(value_node)) is not None:
            mapping.raw[key] = raw
    return mapping


def _construct_sequence(loader: _Loader, node: Node) -> LocatedList:
    assert isinstance(node, SequenceNode)
    sequence = LocatedList(node.start_mark.line)
    for index, item_node in enumerate(node.value):
        sequence.append(loader.construct_object(item_node, deep=True))
        sequence.item_lines.append(item_node.start_mark.line)
        if (raw := _plain_text(item_node)) is not None:
            sequence.raw[index] = raw
    return sequence


def _construct_timestamp(loader: _Loader, node: Node) -> object:
    """A date YAML recognises by its shape but the calendar lacks (``2026-02-30``) stays text,
    for the parser to report, instead of the ``ValueError`` PyYAML would raise."""
    assert isinstance(node, ScalarNode)
    try:
        return loader.construct_yaml_timestamp(node)
    except ValueError:
        return str(node.value)


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
_Loader.add_constructor("tag:yaml.org,2002:seq", _construct_sequence)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


def load(text: str) -> object:
    """The YAML document in ``text`` (None when empty); raises ``yaml.YAMLError`` when invalid."""
    return yaml.load(text, Loader=_Loader)  # a SafeLoader: no arbitrary Python objects


class _AnyTagLoader(_Loader):
    """Reads the tags other programs define (MkDocs' ``!ENV``, ``!relative``,
    ``!!python/name:…``) as the plain text, list or mapping they are written as: enough to
    find where things are, without running anything."""


def _construct_tagged(loader: _AnyTagLoader, suffix: str, node: Node) -> object:
    if isinstance(node, MappingNode):
        return _construct_mapping(loader, node)
    if isinstance(node, SequenceNode):
        return _construct_sequence(loader, node)
    return loader.construct_scalar(node)  # type: ignore[arg-type]


_AnyTagLoader.add_multi_constructor("", _construct_tagged)  # exact tags still come first


def load_any_tags(text: str) -> object:
    """Like ``load``, for a file whose tags belong to another program (``mkdocs.yml``): a tag
    gives the value as written instead of an error."""
    return yaml.load(text, Loader=_AnyTagLoader)  # a SafeLoader: no arbitrary Python objects


def key_line(data: object, key: object) -> int | None:
    """Line of ``key`` in ``data`` if ``data`` came from ``load``, else None."""
    if isinstance(data, LocatedDict):
        return data.key_lines.get(key, data.line)
    return None


def item_line(data: object, index: int) -> int | None:
    """Line of item ``index`` of ``data`` if ``data`` came from ``load``, else None."""
    if isinstance(data, LocatedList) and index < len(data.item_lines):
        return data.item_lines[index]
    return None


def start_line(data: object) -> int | None:
    """Line where ``data`` starts if it came from ``load``, else None."""
    if isinstance(data, LocatedDict | LocatedList):
        return data.line
    return None


def raw_text(data: object, key: object) -> str | None:
    """How the plain scalar at ``key`` (a mapping key or a list index) was written, if known."""
    raw = getattr(data, "raw", None)
    if isinstance(raw, dict):
        value = raw.get(key)
        return value if isinstance(value, str) else None
    return None
