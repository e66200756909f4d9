"""The plugin's options as MkDocs checks them, said the parole way: every wrong option at once,
with its line in ``mkdocs.yml``, its path and what to write.

MkDocs stops a build at the first wrong option of a sub-section, names Python types ("Expected
type: <class 'int'> but received: <class 'str'>") and gives no line. ``wrong_options`` runs each
option's own validation; the plugin gives MkDocs the options ``without`` the wrong ones, so the
build goes on with their defaults, and reports their ``problems`` with the pages' (one build
shows everything), once the site's language is known.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from mkdocs.config import base
from mkdocs.config import config_options as c

from site_builder.calendar_options import field_path
from site_builder.config_lines import ConfigLines, OptionPath
from site_builder.errors import Problem
from site_builder.messages import say

KINDS = {bool: "boolean", int: "integer", str: "text", list: "list", dict: "mapping"}
"""Python types an option takes, by the ``calendar.kind.*`` word that names them."""


@dataclass(frozen=True)
class WrongOption:
    """An option MkDocs' validation refuses: where, which option, the value and MkDocs' words."""

    path: OptionPath
    option: base.BaseConfigOption[Any]
    value: object
    error: str


def wrong_options(config_class: type[base.Config],
                  options: Mapping[str, Any]) -> list[WrongOption]:
    """Every option of ``options`` that its own validation refuses (not only the first)."""
    return list(_wrong(config_class, options, ()))


def without(options: Mapping[str, Any], wrong: list[WrongOption]) -> dict[str, Any]:
    """``options`` without the wrong ones, which then take their defaults."""
    kept = dict(options)
    for each in wrong:
        _remove(kept, each.path)
    return kept


def problems(wrong: list[WrongOption], *, lines: ConfigLines, file: str) -> list[Problem]:
    """A Problem for each wrong option, in the current language."""
    return [Problem(message=_message(each.path, each.option, each.value, each.error),
                    fix=_fix(each.option), file=file, line=lines.option(each.path),
                    field=field_path(each.path)) for each in wrong]


def unknown(config_class: type[base.Config], options: Mapping[str, Any], *, lines: ConfigLines,
            file: str) -> list[Problem]:
    """A Problem for each option parole does not know (a misspelt name, often), with the
    nearest known one."""
    return list(_unknown(config_class, options, (), lines, file))


def _wrong(config_class: type[base.Config], options: Mapping[str, Any], path: OptionPath,
           ) -> Iterator[WrongOption]:
    for name, option in config_class._schema:
        if name not in options:
            continue
        value, here = options[name], (*path, name)
        if isinstance(option, c.SubConfig) and isinstance(value, Mapping):
            yield from _wrong(option.config_class, value, here)
            continue
        try:
            option.validate(value)
        except base.ValidationError as error:
            yield WrongOption(here, option, value, str(error))


def _unknown(config_class: type[base.Config], options: Mapping[str, Any], path: OptionPath,
             lines: ConfigLines, file: str) -> Iterator[Problem]:
    schema = dict(config_class._schema)
    for name, value in options.items():
        option = schema.get(name)
        if isinstance(option, c.SubConfig) and isinstance(value, Mapping):
            yield from _unknown(option.config_class, value, (*path, name), lines, file)
        elif option is None and name != "enabled":  # MkDocs' own switch for every plugin
            guess = difflib.get_close_matches(str(name), list(schema), n=1, cutoff=0.6)
            here = (*path, str(name))
            yield Problem(
                message=say("calendar.option_unknown", option=name),
                fix=say("calendar.option_unknown.fix_guess", guess=guess[0]) if guess
                else say("calendar.option_unknown.fix"),
                file=file, line=lines.option(here), field=field_path(here))


def _type_of(option: base.BaseConfigOption[Any]) -> type | None:
    """The one Python type a ``Type`` option (perhaps ``Optional``) takes."""
    inner = option.option if isinstance(option, c.Optional) else option
    expected = getattr(inner, "_type", None) if isinstance(inner, c.Type) else None
    return expected if isinstance(expected, type) and expected in KINDS else None


def _item_type_of(option: base.BaseConfigOption[Any]) -> type | None:
    """The Python type each item of a ``ListOfItems(Type(…))`` option takes."""
    return _type_of(option.option_type) if isinstance(option, c.ListOfItems) else None


def _message(path: OptionPath, option: base.BaseConfigOption[Any], value: object,
             error: str) -> str:
    name = str(path[-1])
    if expected := _type_of(option):
        return say("calendar.option_type", option=name, value=repr(value),
                   kind=say(f"calendar.kind.{KINDS[expected]}"))
    if (expected := _item_type_of(option)) and isinstance(value, list):
        return say("calendar.option_items", option=name, value=repr(value),
                   kind=say(f"calendar.kind.{KINDS[expected]}"))
    if isinstance(option, c.ListOfItems):
        return say("calendar.option_type", option=name, value=repr(value),
                   kind=say("calendar.kind.list"))
    return say("calendar.option_wrong", option=name, message=error)


def _fix(option: base.BaseConfigOption[Any]) -> str:
    expected = _type_of(option) or _item_type_of(option)
    default = option.default
    if expected is None or default in (None, "", []):
        return say("calendar.option_wrong.fix")
    shown = str(default).lower() if isinstance(default, bool) else str(default)
    key = "calendar.option_items.fix" if _item_type_of(option) else "calendar.option_type.fix"
    return say(key, kind=say(f"calendar.kind.{KINDS[expected]}"), default=shown)


def _remove(options: dict[str, Any], path: OptionPath) -> None:
    """Drop the option at ``path`` (a copy of each mapping on the way: the organizer's data stays
    as MkDocs read it)."""
    name, *rest = path
    if not rest:
        options.pop(str(name), None)
        return
    inner = options.get(str(name))
    if isinstance(inner, Mapping):
        options[str(name)] = dict(inner)
        _remove(options[str(name)], tuple(rest))
