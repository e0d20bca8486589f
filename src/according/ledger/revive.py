"""Stored report JSON back to records (for exporters that take a Report, e.g. PLOVER)."""
from __future__ import annotations

import dataclasses
import types
import typing
from functools import lru_cache
from typing import Any, Optional, Union

from .. import records
from ..records import Report

_RENAMED = {("EventObject", "class"): "cls"}  # to_dict names that differ from the field name


def report_from_dict(data: dict[str, Any], text: str) -> Report:
    """The Report stored as ``report_json`` (which omits the text) with its text restored."""
    return _build(Report, {**data, "text": text})


@lru_cache(maxsize=None)
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls, vars(records))


def _build(cls: type, data: dict[str, Any]) -> Any:
    hints = _hints(cls)
    kwargs = {}
    for key, value in data.items():
        name = _RENAMED.get((cls.__name__, key), key)
        if name in hints:
            kwargs[name] = _value(hints[name], value)
    return cls(**kwargs)


def _value(hint: Any, value: Any) -> Any:
    if value is None:
        return None
    origin = typing.get_origin(hint)
    if origin in (Union, types.UnionType):
        inner = [a for a in typing.get_args(hint) if a is not type(None)]
        return _value(inner[0], value) if len(inner) == 1 else value
    if origin is tuple:
        args = typing.get_args(hint)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_value(args[0], v) for v in value)
        return tuple(_value(a, v) for a, v in zip(args, value))
    if dataclasses.is_dataclass(hint) and isinstance(value, dict):
        return _build(hint, value)
    return value


def event_by_id(report: Report, event_id: str) -> Optional[records.Event]:
    return next((e for e in report.events if e.id == event_id), None)
