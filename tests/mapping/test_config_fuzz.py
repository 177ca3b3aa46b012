"""Property: any document, however wrong, either compiles or is a ConfigError (never another exception), and
what compiles maps or rejects records without raising anything else."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from staffwire.errors import ConfigError, RecordRejected
from staffwire.mapping import TRANSFORMS, compile_mappings

names = st.sampled_from(
    [
        "remote_id",
        "first_name",
        "email",
        "status",
        "address.city",
        "address.country",
        "skills",
        "openings",
        "pay_rate",
        "custom_fields.x",
        "owner.id",
        "start_date",
        "bogus",
        "line_items",
        "a.b.c",
    ]
)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 5),
    st.text(max_size=6),
    st.sampled_from(["id", "x.y", "a[*].b", "a[0]", "{id}", "placed", "US", "a..b", "["]),
)
anything = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=8,
)
transform = st.one_of(
    st.sampled_from([*TRANSFORMS, "lowercase", ""]),
    st.builds(lambda n, a: {n: a}, st.sampled_from([*TRANSFORMS, "nope"]), anything),
)
condition = st.one_of(
    anything,
    st.builds(
        lambda f, op, v: {"field": f, op: v},
        scalars,
        st.sampled_from(["in", "equals", "exists", "gt", "matches", "all"]),
        anything,
    ),
)
field_spec = st.one_of(
    scalars,
    st.fixed_dictionaries(
        {},
        optional={
            "path": st.one_of(scalars, st.lists(scalars, max_size=2)),
            "const": anything,
            "template": scalars,
            "transforms": st.one_of(st.lists(transform, max_size=3), anything),
            "value_map": anything,
            "default": anything,
            "when": condition,
            "required": anything,
            "from": st.sampled_from(["output", "x"]),
            "cases": st.lists(st.fixed_dictionaries({"when": condition, "const": anything}), max_size=2),
            "items": st.dictionaries(st.sampled_from(["amount", "description", "zz"]), scalars, max_size=2),
        },
    ),
)
rule = st.fixed_dictionaries(
    {"rule": st.sampled_from(["required", "format", "allowed", "compare", "range", "x"])},
    optional={
        "field": scalars,
        "format": scalars,
        "values": anything,
        "op": scalars,
        "other": scalars,
        "min": anything,
        "when": condition,
    },
)
mapping = st.fixed_dictionaries(
    {"fields": st.dictionaries(names, field_spec, max_size=5)},
    optional={
        "standard": st.sampled_from(["candidates", "jobs", "payables", "nope"]),
        "when": condition,
        "rules": st.lists(rule, max_size=2),
        "rule_set": st.one_of(scalars, anything),
        "custom_fields": st.one_of(st.fixed_dictionaries({"match": scalars}), anything),
        "system": st.sampled_from(["zoho_recruit", "bad system"]),
    },
)
documents = st.fixed_dictionaries(
    {"mappings": st.dictionaries(st.sampled_from(["m1", "m2"]), mapping, max_size=2)},
    optional={
        "system": st.sampled_from(["bullhorn", "bullhorn", "bullhorn", "Bad System", 3]),
        "value_maps": st.dictionaries(
            st.sampled_from(["vm", "st"]),
            st.one_of(
                st.fixed_dictionaries({"values": st.dictionaries(st.text(max_size=4), scalars)}), anything
            ),
            max_size=2,
        ),
        "lookups": st.dictionaries(st.sampled_from(["t"]), anything, max_size=1),
        "rule_sets": st.dictionaries(st.sampled_from(["base", "acme"]), anything, max_size=2),
        "defaults": st.one_of(
            st.fixed_dictionaries({"country": st.sampled_from(["US", "GB", "XX"])}), anything
        ),
    },
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(doc=documents, record=anything)
def test_any_document_compiles_or_is_a_config_error_and_never_fails_a_read(
    doc: dict[str, Any], record: Any
) -> None:
    try:
        compiled = compile_mappings(doc)
    except ConfigError as error:
        assert str(error)
        return
    for mapping in compiled.values():
        for candidate in (record, {"id": 1, "x": record}):
            try:
                mapping(candidate)
            except RecordRejected as rejected:
                assert rejected.reasons
                assert all(reason.rule != "mapping.error" for reason in rejected.reasons), rejected.reasons
