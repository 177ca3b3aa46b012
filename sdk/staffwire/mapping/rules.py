"""Validation rules and named rule sets, checked on mapped records.

Spec::

    rule_sets:
      base:
        rules:
          - {rule: required, field: email}
          - {rule: format, field: email, format: email}         # email phone postal_code country date datetime
          - {rule: format, field: address.postal_code, format: postal_code, country_field: address.country}
          - {rule: allowed, field: status, values: [active, placed]}
          - {rule: compare, field: end_date, op: ">=", other: start_date}
          - {rule: pattern, field: remote_id, pattern: "^[0-9]+$"}
          - {rule: range, field: pay_rate, min: 0}
      strict_client:
        extends: [base]
        rules: [{rule: required, field: phone, when: {field: status, in: [placed]}}]

    # which set applies to a record: one name, or chosen by a field of the record (e.g. per client)
    rule_set: {field: client_id, cases: {"bullhorn:42": strict_client}, default: base}

Every rule may carry ``when`` (a condition on the record), ``message`` (shown to the user) and ``name`` (the
machine-readable ``Rejection.rule``; default ``required``, ``format.email``, ``allowed`` ...). A null value passes
every rule but ``required``; list values are checked element by element.

Usage::

    checker = compile_rules({"base": {"rules": [...]}}, "base")
    checker.check(record)            # [] or [Rejection(rule, field, value, message), ...]
    checker.validate(record, stream="placements")   # raises RecordRejected with every reason
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from staffwire.errors import RecordRejected, Rejection
from staffwire.mapping.conditions import compile_condition
from staffwire.mapping.formats import FORMATS, is_postal_code
from staffwire.mapping.paths import Getter, PathSyntaxError, compile_path
from staffwire.mapping.problems import at, config_error, did_you_mean, from_validation_error

__all__ = ["RULES", "Check", "RuleChecker", "compile_rule", "compile_rules"]

Check = Callable[[Any], "Rejection | None"]


class _RuleBase(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    rule: str
    field: str
    when: dict[str, Any] | None = None
    message: str | None = None
    name: str | None = None


class _Required(_RuleBase):
    pass


class _Format(_RuleBase):
    format: str
    country: str | None = Field(default=None, description="postal_code: the country, e.g. US.")
    country_field: str | None = Field(default=None, description="postal_code: the field holding the country.")


class _Allowed(_RuleBase):
    values: list[Any]
    exact: bool = False


class _Compare(_RuleBase):
    op: Literal[">", ">=", "<", "<=", "==", "!="]
    other: str


class _Pattern(_RuleBase):
    pattern: str


class _Range(_RuleBase):
    min: float | None = None
    max: float | None = None


RULES: Mapping[str, type[_RuleBase]] = {
    "required": _Required,
    "format": _Format,
    "allowed": _Allowed,
    "compare": _Compare,
    "pattern": _Pattern,
    "range": _Range,
}
FORMAT_NAMES = (*FORMATS, "postal_code")


def _getter(field: str, path: str) -> Getter:
    try:
        return compile_path(field)
    except PathSyntaxError as exc:
        raise config_error(path, str(exc)) from None


def compile_rule(spec: Any, path: str) -> Check:
    """One rule spec -> ``record -> Rejection | None``; ConfigError at ``path`` when the spec is wrong."""
    if not isinstance(spec, dict):
        raise config_error(path, "a rule is an object like {rule: required, field: email}")
    kind = spec.get("rule")
    model = RULES.get(kind) if isinstance(kind, str) else None
    if model is None:
        raise config_error(at(path, "rule"), f"unknown rule {kind!r}" + did_you_mean(str(kind), RULES))
    try:
        rule = model.model_validate(spec)
    except ValidationError as exc:
        raise from_validation_error(exc, path, model) from None
    get = _getter(rule.field, at(path, "field"))
    test, default_name, default_message = _build(rule, path)
    name = rule.name or default_name
    field = rule.field
    when = compile_condition(rule.when, at(path, "when")) if rule.when is not None else None

    def check(record: Any) -> Rejection | None:
        if when is not None and not when(record):
            return None
        value = get(record)
        failed = test(value, record)
        if failed is None:
            return None
        shown = failed if failed is not _WHOLE else value
        return Rejection(rule=name, field=field, value=shown, message=rule.message or default_message(shown))

    return check


_WHOLE = object()


def _build(rule: _RuleBase, path: str) -> tuple[Callable[[Any, Any], Any], str, Callable[[Any], str]]:
    """(test(value, record) -> None when fine, else the offending value; rule name; message builder)."""
    field = rule.field
    if isinstance(rule, _Required):

        def required(value: Any, record: Any) -> Any:
            return _WHOLE if value is None or value == "" or value == [] or value == {} else None

        return required, "required", lambda v: f"{field} is required"
    if isinstance(rule, _Format):
        return _build_format(rule, path)
    if isinstance(rule, _Allowed):
        from staffwire.mapping.valuemaps import value_key

        norm: Callable[[Any], Any] = (lambda v: v) if rule.exact else value_key
        allowed = {norm(v) for v in rule.values if not isinstance(v, (dict, list))}
        shown = ", ".join(map(str, rule.values))
        return (
            _each(lambda v: isinstance(v, (dict, list)) or norm(v) not in allowed),
            "allowed",
            lambda v: f"{field} {v!r} is not allowed; allowed: {shown}",
        )
    if isinstance(rule, _Compare):
        return _build_compare(rule, path)
    if isinstance(rule, _Pattern):
        try:
            pattern = re.compile(rule.pattern)
        except re.error as exc:
            raise config_error(
                at(path, "pattern"), f"bad regular expression {rule.pattern!r}: {exc}"
            ) from None
        return (
            _each(lambda v: not isinstance(v, str) or pattern.search(v) is None),
            "pattern",
            lambda v: f"{field} {v!r} does not match {rule.pattern!r}",
        )
    assert isinstance(rule, _Range)
    low, high = rule.min, rule.max
    if low is None and high is None:
        raise config_error(path, "a range rule needs min, max or both")

    def out_of_range(v: Any) -> bool:
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            return True
        return (low is not None and v < low) or (high is not None and v > high)

    bounds = " and ".join(
        p for p in (f">= {low:g}" if low is not None else "", f"<= {high:g}" if high is not None else "") if p
    )
    return _each(out_of_range), "range", lambda v: f"{field} {v!r} must be a number {bounds}"


def _build_format(rule: _Format, path: str) -> tuple[Callable[[Any, Any], Any], str, Callable[[Any], str]]:
    field, fmt = rule.field, rule.format
    if fmt not in FORMAT_NAMES:
        raise config_error(at(path, "format"), f"unknown format {fmt!r}" + did_you_mean(fmt, FORMAT_NAMES))
    if fmt == "postal_code":
        if rule.country is None and rule.country_field is None:
            raise config_error(
                path, "format postal_code needs 'country' (e.g. US) or 'country_field' (e.g. address.country)"
            )
        fixed = rule.country
        country_of = _getter(rule.country_field, at(path, "country_field")) if rule.country_field else None

        def postal(value: Any, record: Any) -> Any:
            if value is None:
                return None
            country = fixed if country_of is None else country_of(record)
            ok = is_postal_code(value, country if isinstance(country, str) else None)
            return value if ok is False else None

        return (
            postal,
            "format.postal_code",
            lambda v: f"{field} {v!r} is not a valid postal code for its country",
        )
    check = FORMATS[fmt]
    return _each(lambda v: not check(v)), f"format.{fmt}", lambda v: f"{field} {v!r} is not a valid {fmt}"


_OPS: dict[str, Callable[[Any, Any], bool]] = {
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
}


def _build_compare(rule: _Compare, path: str) -> tuple[Callable[[Any, Any], Any], str, Callable[[Any], str]]:
    other_of = _getter(rule.other, at(path, "other"))
    op = _OPS[rule.op]
    field, other, sign = rule.field, rule.other, rule.op

    def compare(value: Any, record: Any) -> Any:
        against = other_of(record)
        if value is None or against is None:
            return None
        comparable = (isinstance(value, str) and isinstance(against, str)) or (
            isinstance(value, (int, float))
            and isinstance(against, (int, float))
            and not isinstance(value, bool)
            and not isinstance(against, bool)
        )
        if not comparable or not op(value, against):
            return value
        return None

    return compare, "compare", lambda v: f"{field} {v!r} must be {sign} {other}"


def _each(bad: Callable[[Any], bool]) -> Callable[[Any, Any], Any]:
    """Null passes; a list fails on its first bad element (which becomes the rejection's value)."""

    def test(value: Any, record: Any) -> Any:
        if value is None:
            return None
        if isinstance(value, list):
            return next((item for item in value if item is not None and bad(item)), None)
        return value if bad(value) else None

    return test


# -- rule sets ------------------------------------------------------------------------------------------------


class _RuleSetSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    extends: list[str] = Field(default_factory=list)
    rules: list[Any] = Field(default_factory=list)


@dataclass(frozen=True)
class RuleChecker:
    """Picks the rule set for a record and runs its checks. Built by :func:`compile_rules`."""

    choose: Callable[[Any], tuple[Check, ...]]

    def check(self, record: Any) -> list[Rejection]:
        reasons = []
        for check in self.choose(record):
            reason = check(record)
            if reason is not None:
                reasons.append(reason)
        return reasons

    def validate(self, record: Any, *, stream: str | None = None, record_id: str | None = None) -> None:
        reasons = self.check(record)
        if reasons:
            if record_id is None and isinstance(record, dict) and isinstance(record.get("id"), str):
                record_id = record["id"]
            raise RecordRejected(reasons=reasons, stream=stream, record_id=record_id)


def compile_rule_sets(spec: Any, path: str = "rule_sets") -> dict[str, tuple[Check, ...]]:
    """Every named rule set, with ``extends`` resolved (cycles and unknown names are ConfigErrors)."""
    if spec is None:
        return {}
    if not isinstance(spec, dict):
        raise config_error(path, "rule_sets is an object: name -> {extends: [...], rules: [...]}")
    parsed: dict[str, _RuleSetSpec] = {}
    for name, body in spec.items():
        try:
            parsed[name] = _RuleSetSpec.model_validate(body)
        except ValidationError as exc:
            raise from_validation_error(exc, at(path, name), _RuleSetSpec) from None
    done: dict[str, tuple[Check, ...]] = {}

    def resolve(name: str, trail: tuple[str, ...]) -> tuple[Check, ...]:
        if name in done:
            return done[name]
        body = parsed[name]
        checks: list[Check] = []
        for i, parent in enumerate(body.extends):
            where = at(at(at(path, name), "extends"), i)
            if parent not in parsed:
                raise config_error(where, f"unknown rule set {parent!r}" + did_you_mean(parent, parsed))
            if parent in trail:
                raise config_error(
                    where, f"rule sets extend each other in a cycle: {' -> '.join((*trail, parent))}"
                )
            checks.extend(resolve(parent, (*trail, parent)))
        checks.extend(
            compile_rule(rule, at(at(at(path, name), "rules"), i)) for i, rule in enumerate(body.rules)
        )
        done[name] = tuple(checks)
        return done[name]

    for name in parsed:
        resolve(name, (name,))
    return done


def compile_selection(
    selection: Any, sets: Mapping[str, tuple[Check, ...]], path: str, *, always: tuple[Check, ...] = ()
) -> Callable[[Any], tuple[Check, ...]]:
    """``selection`` is a rule set name, or ``{field, cases: {value: set}, default: set|null}``."""
    if selection is None:
        return lambda record: always
    if isinstance(selection, str):
        if selection not in sets:
            raise config_error(path, f"unknown rule set {selection!r}" + did_you_mean(selection, sets))
        chosen = always + sets[selection]
        return lambda record: chosen
    if not isinstance(selection, dict):
        raise config_error(
            path, "rule_set is a rule set name or {field: client_id, cases: {...}, default: name}"
        )
    unknown = set(selection) - {"field", "cases", "default"}
    if unknown:
        key = sorted(unknown)[0]
        raise config_error(at(path, key), "unknown key" + did_you_mean(key, ("field", "cases", "default")))
    if "field" not in selection:
        raise config_error(path, "a rule set selection needs 'field' (e.g. client_id)")
    get = _getter(selection["field"], at(path, "field"))
    cases: dict[str, tuple[Check, ...]] = {}
    for value, name in (selection.get("cases") or {}).items():
        if name not in sets:
            raise config_error(
                at(at(path, "cases"), str(value)),
                f"unknown rule set {name!r}" + did_you_mean(str(name), sets),
            )
        cases[str(value)] = always + sets[name]
    default_name = selection.get("default")
    if default_name is not None and default_name not in sets:
        raise config_error(
            at(path, "default"), f"unknown rule set {default_name!r}" + did_you_mean(str(default_name), sets)
        )
    fallback = always + (sets[default_name] if default_name is not None else ())

    def choose(record: Any) -> tuple[Check, ...]:
        key = get(record)
        if key is None or isinstance(key, (dict, list)):
            return fallback
        return cases.get(str(key), fallback)

    return choose


def compile_rules(
    rule_sets: Any, selection: Any = None, *, rules: list[Any] | None = None, path: str = "rule_sets"
) -> RuleChecker:
    """Rule sets + which one applies (+ rules that always apply) -> a :class:`RuleChecker`."""
    sets = compile_rule_sets(rule_sets, path)
    always = tuple(compile_rule(rule, f"rules[{i}]") for i, rule in enumerate(rules or []))
    return RuleChecker(choose=compile_selection(selection, sets, "rule_set", always=always))
