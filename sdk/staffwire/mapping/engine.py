"""Compile a mapping document into one fast function per stream, and apply it to records.

Usage::

    from staffwire.mapping import compile_mappings, load_document

    mappings = compile_mappings(load_document("mapping.yaml"),                 # or a dict
                                value_map_overrides=config.status_map)          # per-connection words
    candidates = mappings["candidates"]
    for item in candidates.map_records(raw_records):     # dict (mapped) or RecordRejected (reasons, counted)
        ...
    candidates(raw)            # one record: dict, None (the `when` trigger did not fire), or raises RecordRejected
    candidates.stats           # mapped / skipped / rejected counts and rejections per rule

Everything about the spec is checked here, once: a wrong entry is a ConfigError naming its exact path
(``mappings.candidates.fields.email.transforms[1]: unknown transform 'lowercase' (did you mean 'lower'?)``).
Per record, one generated function runs (see :mod:`staffwire.mapping.codegen`).
"""

from __future__ import annotations

import re
import string
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from staffwire.errors import ConfigError, RecordRejected, Rejection
from staffwire.mapping.codegen import FieldPlan, Link, generate
from staffwire.mapping.conditions import Predicate, compile_condition
from staffwire.mapping.paths import Getter, PathSyntaxError, compile_path, parse_path
from staffwire.mapping.problems import Reject, at, config_error, did_you_mean, from_validation_error
from staffwire.mapping.rules import Check, compile_rule, compile_rule_sets, compile_selection
from staffwire.mapping.spec import FieldSpec, MappingDocument, MappingSpec
from staffwire.mapping.targets import StandardTarget, TargetField, item_target, standard_target
from staffwire.mapping.transforms import BuildContext, build_transform
from staffwire.mapping.valuemaps import ValueMap, ValueMapSpec
from staffwire.standard import STANDARD_STREAM_NAMES
from staffwire.streams import Record

__all__ = [
    "CompiledMapping",
    "MappingStats",
    "check_document",
    "compile_fields",
    "compile_mapping",
    "compile_mappings",
    "load_document",
    "meta_change",
]

ValueFn = Callable[[Any], Any]
Setter = Callable[[dict[str, Any], Any], None]


NULLED = "NULLED"
SOURCE_SERIALIZATION_ERROR = "SOURCE_SERIALIZATION_ERROR"


@dataclass
class MappingStats:
    """Counts of one mapping's work; ``rejections`` counts reasons by rule (``format.email``: 3); ``nulled``
    counts the values that could not be normalised and became null, by target field (``phone``: 12)."""

    mapped: int = 0
    skipped: int = 0
    rejected: int = 0
    rejections: Counter[str] = field(default_factory=Counter)
    nulled: Counter[str] = field(default_factory=Counter)

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "mapped": self.mapped,
            "skipped": self.skipped,
            "rejected": self.rejected,
            "rejections": dict(self.rejections),
        }
        if self.nulled:
            out["nulled"] = dict(self.nulled)
        return out


def meta_change(target: str) -> dict[str, str]:
    """The Airbyte record meta change of a value that became null (AirbyteRecordMessageMetaChange)."""
    return {"field": target, "change": NULLED, "reason": SOURCE_SERIALIZATION_ERROR}


class CompiledMapping:
    """A compiled mapping. Call it on one record; see the module docstring."""

    def __init__(
        self,
        name: str,
        *,
        standard: str | None,
        when: Predicate | None,
        record_plans: tuple[FieldPlan, ...],
        output_plans: tuple[FieldPlan, ...],
        template: dict[str, Any],
        fresh: tuple[str, ...],
        custom_fields: Callable[[dict[str, Any]], dict[str, Any]] | None,
        keep_remote_data: bool,
        choose_rules: Callable[[Any], tuple[Check, ...]],
        envelope: tuple[str, ...],
        lenient: bool = False,
    ) -> None:
        self.name = name
        self.standard = standard
        self.stats = MappingStats()
        self._when = when
        self._targets = [plan.target for plan in (*record_plans, *output_plans)]
        self._record_fields, record_code = generate(record_plans, f"{name} (record)")
        self._output_fields, output_code = generate(output_plans, f"{name} (output)")
        self.source_code = record_code + "\n" + output_code
        """The generated per-record code, for debugging (``print(mapping.source_code)``)."""
        self._has_output = bool(output_plans)
        self._template = template
        self._fresh_lists = tuple(k for k in fresh if type(template[k]) is list)
        self._fresh_dicts = tuple(k for k in fresh if type(template[k]) is dict)
        self._custom_fields = custom_fields
        self._keep_remote_data = keep_remote_data
        self._choose_rules = choose_rules
        self._envelope = envelope
        self._lenient = lenient
        """Values that cannot be normalised become null with a meta change instead of rejecting the record."""

    def __repr__(self) -> str:
        return f"<CompiledMapping {self.name} -> {self.standard or 'payload'}>"

    @property
    def target_fields(self) -> list[str]:
        return list(self._targets)

    def __call__(self, record: Any) -> dict[str, Any] | None:
        """The mapped record; None when the mapping's ``when`` does not hold; RecordRejected with every reason.
        In a lenient mapping (``on_invalid: null``) values that cannot be normalised are null here; use
        :meth:`map_one` to get the record meta changes that say which."""
        return self.map_one(record)[0]

    def map_one(self, record: Any) -> tuple[dict[str, Any] | None, list[dict[str, str]] | None]:
        """(the mapped record or None, its Airbyte meta changes or None): like calling the mapping, plus the
        ``{field, change: NULLED, reason: SOURCE_SERIALIZATION_ERROR}`` entries of the values made null."""
        if type(record) is not dict:
            self._reject(
                [Rejection("record", None, None, f"expected a JSON object, got {type(record).__name__}")],
                record,
                None,
            )
        if self._when is not None and not self._when(record):
            self.stats.skipped += 1
            return None, None
        out = self._template.copy()
        for key in self._fresh_lists:
            out[key] = []
        for key in self._fresh_dicts:
            out[key] = {}
        reasons = self._record_fields(record, out, None)
        if self._custom_fields is not None:
            custom = out.get("custom_fields")
            if type(custom) is not dict:
                custom = out["custom_fields"] = {}
            custom.update(self._custom_fields(record))
        if self._keep_remote_data:
            out["remote_data"] = record
        if self._has_output:
            reasons = self._output_fields(out, out, reasons)
        changes = None
        if reasons and self._lenient:
            reasons, changes = self._soften(reasons)
        for key in self._envelope:
            if not out[key]:
                reasons = reasons if reasons is not None else []
                reasons.append(
                    Rejection("required", key, None, f"{key} is required (every standard record has one)")
                )
        checks = self._choose_rules(out)
        if checks:
            for check in checks:
                reason = check(out)
                if reason is not None:
                    reasons = reasons if reasons is not None else []
                    reasons.append(reason)
        if reasons:
            self._reject(reasons, record, out)
        self.stats.mapped += 1
        if changes is not None:
            nulled = self.stats.nulled
            for change in changes:
                nulled[change["field"]] += 1
        return out, changes

    map = __call__

    def _soften(self, reasons: list[Rejection]) -> tuple[list[Rejection] | None, list[dict[str, str]] | None]:
        """Split field problems into those that still reject (identity: id, remote_id, source_system; a field
        the spec marks ``required``) and values that become null with a meta change (the field was left unset,
        so it holds its empty value)."""
        hard: list[Rejection] = []
        changes: list[dict[str, str]] = []
        for reason in reasons:
            if reason.rule == "required" or reason.field is None or reason.field in self._envelope:
                hard.append(reason)
            else:
                changes.append(meta_change(reason.field))
        return hard or None, changes or None

    def map_records(self, records: Iterable[Any]) -> Iterator[dict[str, Any] | Record | RecordRejected]:
        """Mapped records and rejections in input order; records the trigger skips are left out. A record with
        values made null comes as a :class:`~staffwire.streams.Record` carrying its meta changes."""
        map_one = self.map_one
        for record in records:
            try:
                mapped, changes = map_one(record)
            except RecordRejected as rejected:
                yield rejected
                continue
            if mapped is not None:
                yield mapped if changes is None else Record(mapped, {"changes": changes})

    def map_pages(self, records: Iterable[Any]) -> Iterator[list[dict[str, Any]] | Record | RecordRejected]:
        """Like :meth:`map_records`, but clean mapped records come in pages (the read loop's fast path), split
        around each rejection and each record with meta changes so that everything stays in input order."""
        page: list[dict[str, Any]] = []
        for item in self.map_records(records):
            if isinstance(item, dict):
                page.append(item)
            else:
                if page:
                    yield page
                    page = []
                yield item
        if page:
            yield page

    def _reject(self, reasons: list[Rejection], record: Any, out: dict[str, Any] | None) -> None:
        self.stats.rejected += 1
        for reason in reasons:
            self.stats.rejections[reason.rule] += 1
        record_id = None
        if out is not None and isinstance(out.get("id"), str):
            record_id = out["id"]
        elif isinstance(record, dict) and isinstance(record.get("id"), (str, int)):
            record_id = str(record["id"])
        raise RecordRejected(reasons=reasons, stream=self.name, record_id=record_id)


# -- compiling ------------------------------------------------------------------------------------------------


def load_document(source: str | Path | Mapping[str, Any]) -> dict[str, Any]:
    """A mapping document from a dict, a YAML/JSON file path, or YAML/JSON text."""
    if isinstance(source, Mapping):
        return dict(source)
    path = source if isinstance(source, Path) else _as_file(source)
    if path is not None:
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise ConfigError(f"cannot read the mapping document {path}: {exc.strerror or exc}") from None
    else:
        text = str(source)
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ConfigError(f"the mapping document is not valid YAML/JSON: {exc}") from None
    if not isinstance(data, dict):
        raise ConfigError("the mapping document must be an object with a 'mappings' key")
    return data


def _as_file(text: str) -> Path | None:
    """``text`` as an existing file's path, or None when it is document text."""
    if "\n" in text or len(text) > 1024:
        return None
    try:
        return Path(text) if Path(text).is_file() else None
    except (OSError, ValueError):
        return None


def compile_mappings(
    document: Mapping[str, Any] | MappingDocument,
    *,
    value_map_overrides: Mapping[str, Mapping[str, Any]] | None = None,
    default_country: str | None = None,
    rule_sets: Mapping[str, Any] | None = None,
    rule_set_choice: Mapping[str, Any] | None = None,
) -> dict[str, CompiledMapping]:
    """Every mapping of the document, compiled.

    The connection's own settings (from the connector config) come on top of the connector's document:
    ``value_map_overrides`` (value map name -> remote value -> standard value) win over the document's words;
    ``rule_sets`` (name -> ``{extends, rules}``) are added to (and replace same-named) document rule sets;
    ``rule_set_choice`` (mapping name -> a rule set name or ``{field, cases, default}``) replaces a mapping's
    ``rule_set``, e.g. ``{"placements": {"field": "client_id", "cases": {"bullhorn:42": "acme"}}}``.
    Mistakes in them are ConfigErrors naming ``value_map_overrides.…``, ``rule_sets.…``, ``rule_set_choice.…``.
    """
    doc = _validate(document)
    overrides = dict(value_map_overrides or {})
    for name in overrides:
        if name not in doc.value_maps:
            raise config_error(
                f"value_map_overrides.{name}", "unknown value map" + did_you_mean(name, doc.value_maps)
            )
    choices = dict(rule_set_choice or {})
    for name in choices:
        if name not in doc.mappings:
            raise config_error(
                f"rule_set_choice.{name}", "unknown mapping" + did_you_mean(name, doc.mappings)
            )
    ctx = BuildContext(default_country=default_country or doc.defaults.country, lookups=doc.lookups)
    compiled_sets = compile_rule_sets({**doc.rule_sets, **dict(rule_sets or {})}, "rule_sets")
    return {
        name: _compile_one(name, spec, doc, ctx, compiled_sets, overrides, at("mappings", name), choices)
        for name, spec in doc.mappings.items()
    }


def compile_mapping(
    document: Mapping[str, Any] | MappingDocument, name: str, **options: Any
) -> CompiledMapping:
    """One mapping of the document (the whole document is still checked)."""
    compiled = compile_mappings(document, **options)
    if name not in compiled:
        raise config_error("mappings", f"no mapping named {name!r}" + did_you_mean(name, compiled))
    return compiled[name]


def check_document(document: Mapping[str, Any] | MappingDocument, **options: Any) -> None:
    """Raise ConfigError (with the exact path) if the document would not compile; for ``check``."""
    compile_mappings(document, **options)


def compile_fields(
    fields: Mapping[str, Any],
    *,
    name: str,
    path: str,
    when: Mapping[str, Any] | None = None,
    when_path: str | None = None,
    default_country: str | None = None,
) -> CompiledMapping:
    """One payload mapping from its ``fields`` alone (target field -> field spec, as in a mapping's ``fields``),
    with an optional ``when`` trigger: for a destination whose config carries field specs itself (labels, stream
    mappings) rather than a mapping document.

    Config mistakes are ConfigErrors at the caller's own config paths: ``{path}.{target}...`` for a field and
    ``when_path`` (default ``{path}.when``) for the trigger, e.g. ``contractor_labels.tier.transforms[0]: unknown
    transform 'lowr' (did you mean 'lower'?)``. Rejections name ``name`` as their stream.
    """
    if not isinstance(fields, Mapping):
        raise config_error(path, "fields are an object: target field -> field spec")
    specs: dict[str, FieldSpec] = {}
    for target_name, raw in fields.items():
        try:
            specs[str(target_name)] = FieldSpec.model_validate(raw)
        except ValidationError as exc:
            raise from_validation_error(exc, at(path, str(target_name)), FieldSpec) from None
    trigger_path = when_path or at(path, "when")
    if when is not None and not isinstance(when, Mapping):
        raise config_error(trigger_path, "a condition is an object like {field: status, in: [placed]}")
    spec = MappingSpec.model_construct(fields=specs, when=dict(when) if when else None)
    ctx = BuildContext(default_country=default_country)
    return _compile_one(
        name, spec, MappingDocument(), ctx, {}, {}, path, {}, fields_path=path, when_path=trigger_path
    )


def _validate(document: Mapping[str, Any] | MappingDocument) -> MappingDocument:
    if isinstance(document, MappingDocument):
        return document
    if not isinstance(document, Mapping):
        raise ConfigError("the mapping document must be an object with a 'mappings' key")
    try:
        return MappingDocument.model_validate(dict(document))
    except ValidationError as exc:
        raise from_validation_error(exc, "", MappingDocument) from None


def _compile_one(
    name: str,
    spec: MappingSpec,
    doc: MappingDocument,
    ctx: BuildContext,
    rule_sets: dict[str, tuple[Check, ...]],
    overrides: Mapping[str, Mapping[str, Any]],
    path: str,
    choices: Mapping[str, Any],
    *,
    fields_path: str | None = None,
    when_path: str | None = None,
) -> CompiledMapping:
    target: StandardTarget | None = None
    if spec.standard is not None:
        if spec.standard not in STANDARD_STREAM_NAMES:
            raise config_error(
                at(path, "standard"),
                f"unknown standard stream {spec.standard!r}"
                + did_you_mean(spec.standard, STANDARD_STREAM_NAMES),
            )
        target = standard_target(spec.standard)
    system = spec.system or doc.system
    fields_path = fields_path or at(path, "fields")
    specs = dict(spec.fields)
    # Auto-fill original_status next to a value-mapped status/stage, unless mapped explicitly.
    for target_name, fspec in list(specs.items()):
        original = fspec.original
        if fspec.value_map is None or original is None:
            continue
        if original == "auto":
            if target is None or "original_status" not in target.fields or "original_status" in specs:
                continue
            original = "original_status"
        if original in specs:
            raise config_error(
                at(at(fields_path, target_name), "original"), f"{original!r} is also mapped as a field"
            )
        specs[original] = fspec.model_copy(
            update={
                "value_map": None,
                "original": None,
                "transforms": [*fspec.transforms],
                "default": None,
                "required": False,
            }
        )
    record_plans: list[FieldPlan] = []
    output_plans: list[FieldPlan] = []
    for target_name, fspec in specs.items():
        step_path = at(fields_path, target_name)
        plan = _compile_field(target_name, fspec, doc, ctx, overrides, target, step_path)
        (output_plans if fspec.from_ == "output" else record_plans).append(plan)
    envelope: tuple[str, ...] = ()
    if target is not None:
        if system is None and ("id" not in specs or "source_system" not in specs):
            raise config_error(
                path,
                "set 'system' (e.g. bullhorn) in the document or the mapping, or map id and source_system",
            )
        if "remote_id" not in specs:
            raise config_error(
                fields_path, "a standard mapping must map remote_id (the record's id in the remote system)"
            )
        if "source_system" not in specs:
            record_plans.append(_const_plan("source_system", system))
        if "id" not in specs:
            output_plans.insert(0, _id_plan(system or ""))
        envelope = ("id", "remote_id", "source_system")
    when = compile_condition(spec.when, when_path or at(path, "when")) if spec.when is not None else None
    always = tuple(compile_rule(rule, at(at(path, "rules"), i)) for i, rule in enumerate(spec.rules))
    if name in choices:
        choose = compile_selection(choices[name], rule_sets, f"rule_set_choice.{name}", always=always)
    else:
        choose = compile_selection(spec.rule_set, rule_sets, at(path, "rule_set"), always=always)
    custom = _compile_custom_fields(spec, target, at(path, "custom_fields"))
    return CompiledMapping(
        name,
        standard=spec.standard,
        when=when,
        record_plans=tuple(record_plans),
        output_plans=tuple(output_plans),
        template=dict(target.template) if target is not None else {},
        fresh=target.fresh if target is not None else (),
        custom_fields=custom,
        keep_remote_data=spec.remote_data,
        choose_rules=choose,
        envelope=envelope,
        lenient=(spec.on_invalid or ("null" if target is not None else "reject")) == "null",
    )


def _const_plan(target: str, value: Any) -> FieldPlan:
    return FieldPlan(target, target, None, ("const", value), None, (), None, None, False, None)


def _id_plan(system: str) -> FieldPlan:
    prefix = f"{system}:"

    def standard_id(out: Any) -> Any:
        remote_id = out.get("remote_id")
        if not remote_id:
            return None
        if "\n" in remote_id:
            raise Reject(f"remote id {remote_id!r} contains a line break; it cannot form an id", "format.id")
        return prefix + remote_id

    return FieldPlan("id", "id", None, ("fn", standard_id), None, (), None, None, False, None)


def _compile_field(
    target_name: str,
    fspec: FieldSpec,
    doc: MappingDocument,
    ctx: BuildContext,
    overrides: Mapping[str, Mapping[str, Any]],
    target: StandardTarget | None,
    path: str,
) -> FieldPlan:
    tfield: TargetField | None = None
    if target is not None:
        if not target.allows(target_name):
            raise config_error(
                path,
                f"unknown field {target_name!r} for standard stream {target.stream}"
                + did_you_mean(target_name, target.fields),
            )
        tfield = target.fields.get(target_name)
    try:
        parse_path(target_name)
    except PathSyntaxError:
        raise config_error(
            path, f"bad target field {target_name!r}: use dotted keys like 'address.city'"
        ) from None
    if "[" in target_name:
        raise config_error(
            path, f"bad target field {target_name!r}: targets are dotted keys, without [n] or [*]"
        )

    source = _compile_source(fspec, path)
    chain: list[Link] = []
    produces: str | None = None
    if fspec.items is not None:
        chain.append(
            Link("items", _compile_items(target_name, fspec, doc, ctx, overrides, target, path), False)
        )
    for i, entry in enumerate(fspec.transforms):
        name, fn, elementwise, produces = build_transform(entry, ctx, at(at(path, "transforms"), i))
        chain.append(Link(f"transform.{name}", fn, elementwise))
    if fspec.value_map is not None:
        value_map = _compile_value_map(fspec.value_map, doc, overrides, tfield, at(path, "value_map"))
        chain.append(Link("value_map", value_map, False))
        produces = None
    final = tfield.final_for(produces) if tfield is not None else None
    finalise = tfield.finalise if tfield is not None else None
    default = fspec.default
    if default is not None and finalise is not None:
        try:
            default = finalise(default)
        except Reject as problem:
            raise config_error(
                at(path, "default"), f"wrong type for {target_name}: {problem.message}"
            ) from None
    if "const" in fspec.model_fields_set and fspec.const is not None and finalise is not None:
        try:
            finalise(fspec.const)
        except Reject as problem:
            raise config_error(
                at(path, "const"), f"wrong type for {target_name}: {problem.message}"
            ) from None
    when = compile_condition(fspec.when, at(path, "when")) if fspec.when is not None else None
    key, setter = (
        (target_name, None) if "." not in target_name else (None, _nested_setter(target_name, target))
    )
    origin: Getter | None = None  # the input value shown in a rejection
    if isinstance(fspec.path, str):
        origin = _getter(fspec.path, path)
    elif fspec.path is not None:
        origin = source[1]
    parent = None
    parts = target_name.split(".")
    if len(parts) == 2:  # the common nested target ("address.city"): set inline by the generated code
        template = target.nested_templates.get(parts[0]) if target is not None else None
        parent = (parts[0], dict(template or {}), parts[1])
    return FieldPlan(
        target_name, key, setter, source, when, tuple(chain), final, default, fspec.required, origin, parent
    )


def _compile_items(
    target_name: str,
    fspec: FieldSpec,
    doc: MappingDocument,
    ctx: BuildContext,
    overrides: Mapping[str, Mapping[str, Any]],
    target: StandardTarget | None,
    path: str,
) -> Callable[[Any], Any]:
    """Each element of a list mapped through ``items`` (e.g. payables.line_items): one generated function."""
    element_target = None
    if target is not None:
        element_target = item_target(target, target_name)
        if element_target is None:
            raise config_error(
                at(path, "items"), f"{target_name} is not a list of objects; 'items' does not apply"
            )
    plans = tuple(
        _compile_field(name, sub, doc, ctx, overrides, element_target, at(at(path, "items"), name))
        for name, sub in (fspec.items or {}).items()
    )
    fields, _ = generate(plans, f"{target_name} items")
    template = dict(element_target.template) if element_target is not None else {}

    def map_items(value: Any) -> Any:
        elements = value if type(value) is list else [value]
        mapped = []
        for index, element in enumerate(elements):
            if element is None:
                continue
            if type(element) is not dict:
                raise Reject(
                    f"[{index}] expected an object, got {type(element).__name__} {element!r}", "items"
                )
            out = template.copy()
            reasons = fields(element, out, None)
            if reasons:
                first = reasons[0]
                raise Reject(f"[{index}] {first.message}", first.rule)
            mapped.append(out)
        return mapped

    return map_items


def _compile_source(fspec: FieldSpec, path: str) -> tuple[str, Any]:
    """Where a field's value comes from, in the form the code generator inlines best."""
    if fspec.cases is not None:
        return ("fn", _compile_cases(fspec, path))
    if "const" in fspec.model_fields_set:
        return ("const", fspec.const)
    if fspec.template is not None:
        return ("fn", _compile_template(fspec.template, at(path, "template")))
    raw = fspec.path
    if isinstance(raw, list):
        if not raw:
            raise config_error(at(path, "path"), "a list of paths needs at least one path")
        getters = tuple(_getter(p, at(at(path, "path"), i)) for i, p in enumerate(raw))

        def first_present(record: Any) -> Any:
            for get in getters:
                value = get(record)
                if value is not None and value != "" and value != []:
                    return value
            return None

        return ("fn", first_present)
    getter = _getter(raw, at(path, "path"))
    steps = parse_path(raw)
    if all(kind == "key" for kind, _ in steps) and len(steps) <= 2:
        keys = tuple(arg for _, arg in steps)
        return ("key", keys[0]) if len(keys) == 1 else ("keys", keys)
    return ("fn", getter)


def _getter(raw: Any, path: str) -> Getter:
    if not isinstance(raw, str):
        raise config_error(path, "a field path is text like 'owner.id' or 'categories.data[*].name'")
    try:
        return compile_path(raw)
    except PathSyntaxError as exc:
        raise config_error(path, str(exc)) from None


def _compile_cases(fspec: FieldSpec, path: str) -> ValueFn:
    branches: list[tuple[Predicate, ValueFn]] = []
    for i, case in enumerate(fspec.cases or []):
        where = at(at(path, "cases"), i)
        test = compile_condition(case.when, at(where, "when"))
        if case.path is not None:
            value: ValueFn = _getter(case.path, at(where, "path"))
        elif case.template is not None:
            value = _compile_template(case.template, at(where, "template"))
        else:
            value = _constant(case.const)
        branches.append((test, value))

    def first_match(record: Any) -> Any:
        for test, value in branches:
            if test(record):
                return value(record)
        return None

    return first_match


def _constant(value: Any) -> ValueFn:
    return lambda record: value


def _compile_template(text: Any, path: str) -> ValueFn:
    """``"{firstName} {lastName}"``: placeholders are paths; null parts read as empty; all empty -> null."""
    if not isinstance(text, str):
        raise config_error(path, "a template is text like '{firstName} {lastName}'")
    parts: list[str | Getter] = []
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError as exc:
        raise config_error(path, f"bad template {text!r}: {exc}") from None
    for literal, name, spec, conversion in parsed:
        if literal:
            parts.append(literal)
        if name is not None:
            if spec or conversion:
                raise config_error(
                    path,
                    f"template placeholders are plain paths; remove the format spec in {{{name}:{spec}}}",
                )
            if not name:
                raise config_error(path, "an empty {} in a template; name a path, e.g. {firstName}")
            parts.append(_getter(name.replace("[]", "[*]"), path))
    if not any(callable(part) for part in parts):
        raise config_error(path, "a template needs at least one {path}; use const for fixed text")
    spaces = re.compile(r"\s{2,}")

    def fill(record: Any) -> Any:
        pieces = []
        found = False
        for part in parts:
            if isinstance(part, str):
                pieces.append(part)
                continue
            value = part(record)
            if value is None or value == "" or isinstance(value, (dict, list)):
                continue
            found = True
            pieces.append(str(int(value)) if isinstance(value, float) and value.is_integer() else str(value))
        if not found:
            return None
        return spaces.sub(" ", "".join(pieces)).strip() or None

    return fill


def _compile_value_map(
    spec: Any,
    doc: MappingDocument,
    overrides: Mapping[str, Mapping[str, Any]],
    tfield: TargetField | None,
    path: str,
) -> ValueMap:
    allowed = None
    if tfield is not None and "enum" in tfield.schema:
        allowed = [v for v in tfield.schema["enum"] if v is not None]
    if isinstance(spec, str):
        if spec not in doc.value_maps:
            raise config_error(path, f"unknown value map {spec!r}" + did_you_mean(spec, doc.value_maps))
        body, name, where = doc.value_maps[spec], spec, at("value_maps", spec)
    elif isinstance(spec, dict):
        body, name, where = spec, path, path
    else:
        raise config_error(
            path, "value_map is the name of a value map or an inline {values: {...}, default: other}"
        )
    try:
        return ValueMap.build(
            body,
            overrides.get(name) if isinstance(spec, str) else None,
            name=name,
            allowed=allowed,
            path=where,
        )
    except ValidationError as exc:
        raise from_validation_error(exc, where, ValueMapSpec) from None


def _nested_setter(target_name: str, target: StandardTarget | None) -> Setter:
    parents = target_name.split(".")[:-1]
    last = target_name.rsplit(".", 1)[-1]
    templates = [
        target.nested_templates.get(".".join(parents[: i + 1])) if target else None
        for i in range(len(parents))
    ]
    plan = tuple(zip(parents, templates, strict=True))

    def set_nested(out: dict[str, Any], value: Any) -> None:
        node = out
        for key, template in plan:
            child = node.get(key)
            if type(child) is not dict:
                child = dict(template) if template is not None else {}
                node[key] = child
            node = child
        node[last] = value

    return set_nested


def _compile_custom_fields(
    spec: MappingSpec, target: StandardTarget | None, path: str
) -> Callable[[dict[str, Any]], dict[str, Any]] | None:
    custom = spec.custom_fields
    if custom is None:
        return None
    if target is not None and "custom_fields" not in target.fields:
        raise config_error(path, f"standard stream {target.stream} has no custom_fields")
    try:
        pattern = re.compile(custom.match) if custom.match else None
    except re.error as exc:
        raise config_error(at(path, "match"), f"bad regular expression {custom.match!r}: {exc}") from None
    names = tuple(custom.include)
    skip_empty = custom.skip_empty
    decided: dict[str, bool] = {}  # key -> matches the pattern; keys repeat across records, so decide once

    def collect(record: dict[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name in names:
            value = record.get(name)
            if not skip_empty or (value is not None and value != "" and value != []):
                out[name] = value
        if pattern is not None:
            for key, value in record.items():
                hit = decided.get(key)
                if hit is None:
                    hit = pattern.search(key) is not None
                    if len(decided) < 10_000:  # bounded: a source with ever-new keys must not grow it forever
                        decided[key] = hit
                if hit and (not skip_empty or (value is not None and value != "" and value != [])):
                    out[key] = value
        return out

    return collect
