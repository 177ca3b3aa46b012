"""How the engine reports problems: config mistakes (at compile time, with the exact spec path) and per-record
rejections (at run time, as :class:`staffwire.errors.Rejection` reasons).
"""

from __future__ import annotations

import difflib
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


def from_validation_error(exc: ValidationError, base: str) -> ConfigError:
    """The first pydantic error as a ConfigError whose message starts with the exact spec path."""
    messages = []
    for error in exc.errors():
        path = base
        for key in error["loc"]:
            if isinstance(key, str) and key.startswith(
                ("function-", "list[", "dict[", "str", "json-or-python")
            ):
                continue  # pydantic's union branch labels, not part of the user's document
            path = at(path, key)
        messages.append(f"{path}: {_describe(error)}")
    first = messages[0]
    more = f" (and {len(messages) - 1} more problems)" if len(messages) > 1 else ""
    return ConfigError(first + more, internal_message="\n".join(messages))


def _describe(error: Any) -> str:
    kind = error["type"]
    if kind == "extra_forbidden":
        key = str(error["loc"][-1]) if error["loc"] else ""
        close = difflib.get_close_matches(key, sorted(_spec_keys()), n=1, cutoff=0.6)
        return f"unknown key {key!r}" + (
            f" (did you mean {close[0]!r}?)" if close else "; check the spelling"
        )
    if kind == "missing":
        return "required key is missing"
    return str(error["msg"]).replace("Input should be", "should be").removeprefix("Value error, ")


def _spec_keys() -> set[str]:
    """Every key the mapping document's models know (their aliases), for did-you-mean hints."""
    from staffwire.mapping import rules as rule_models
    from staffwire.mapping import spec, transforms  # late: they import this module

    keys: set[str] = set()
    models = [getattr(spec, n) for n in spec.__all__]
    models += [m for m in vars(transforms).values() if isinstance(m, type) and issubclass(m, BaseModel)]
    models += list(rule_models.RULES.values())
    for model in models:
        for name, info in model.model_fields.items():
            keys.add(info.alias or name)
    return keys
