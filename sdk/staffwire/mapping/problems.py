"""How the engine reports problems: config mistakes (at compile time, with the exact spec path) and per-record
rejections (at run time, as :class:`staffwire.errors.Rejection` reasons).
"""

from __future__ import annotations

import difflib
import types
import typing
from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel, ValidationError

from staffwire.errors import ConfigError

__all__ = ["Reject", "at", "config_error", "did_you_mean", "from_validation_error"]


class Reject(Exception):
    """Raised by a transform or value map on one value; the mapping turns it into a Rejection."""

    def __init__(self, message: str, rule: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.rule = rule


def at(path: str, key: str | int) -> str:
    """Extend a spec path: ``at("mappings.candidates", "fields")``, ``at("...transforms", 1)`` -> ``[1]``."""
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def config_error(path: str, message: str) -> ConfigError:
    return ConfigError(f"{path}: {message}" if path else message)


def did_you_mean(name: str, choices: Iterable[str]) -> str:
    """`` (did you mean 'lower'?)`` or, with no close match, the list of valid names."""
    options = sorted(choices)
    close = difflib.get_close_matches(name, options, n=1, cutoff=0.6)
    if close:
        return f" (did you mean {close[0]!r}?)"
    return f"; use one of: {', '.join(options)}"


def from_validation_error(
    exc: ValidationError, base: str, model: type[BaseModel] | None = None
) -> ConfigError:
    """The first pydantic error as a ConfigError whose message starts with the exact spec path. With ``model``
    (the validated class), an unknown key gets a did-you-mean from the keys valid at that place."""
    messages = []
    for error in exc.errors():
        path = base
        for key in error["loc"]:
            path = at(path, key)
        messages.append(f"{path}: {_describe(error, model)}")
    first = messages[0]
    more = f" (and {len(messages) - 1} more problems)" if len(messages) > 1 else ""
    return ConfigError(first + more, internal_message="\n".join(messages))


def _describe(error: Any, model: type[BaseModel] | None) -> str:
    kind = error["type"]
    if kind == "extra_forbidden":
        loc = tuple(error["loc"])
        key = str(loc[-1]) if loc else ""
        owner = _model_at(model, loc[:-1]) if model is not None else None
        valid = sorted(info.alias or name for name, info in owner.model_fields.items()) if owner else []
        close = difflib.get_close_matches(key, valid, n=1, cutoff=0.6)
        return f"unknown key {key!r}" + (
            f" (did you mean {close[0]!r}?)" if close else "; check the spelling"
        )
    if kind == "missing":
        return "required key is missing"
    return str(error["msg"]).replace("Input should be", "should be").removeprefix("Value error, ")


def _model_at(model: type[BaseModel], loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """The model class that validates the object at ``loc`` (walking fields, lists and dicts)."""
    current: Any = model
    for key in loc:
        current = _unwrap(current)
        if isinstance(current, type) and issubclass(current, BaseModel):
            fields = {info.alias or name: info for name, info in current.model_fields.items()}
            info = fields.get(key)
            if info is None:
                return None
            current = info.annotation
        elif typing.get_origin(current) in (list, dict):
            current = typing.get_args(current)[-1]
        else:
            return None
    current = _unwrap(current)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _unwrap(annotation: Any) -> Any:
    """``X | None`` -> ``X``."""
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if typing.get_origin(annotation) in (typing.Union, types.UnionType) and len(args) == 1:
        return args[0]
    return annotation
