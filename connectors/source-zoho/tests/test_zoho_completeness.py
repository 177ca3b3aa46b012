"""No real record is lost on the way to the standard streams: over the whole seeded sandbox each standard stream
has exactly as many records as the Zoho module it covers, and any record in Zoho's shapes, whatever its values,
gives exactly one standard record (only a record without an id is rejected)."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from source_zoho.fields import resolve
from source_zoho.sandbox import ZohoSandbox
from source_zoho.standard import StandardMapper, specs_for
from staffwire.errors import RecordRejected
from staffwire.standard import model_for
from staffwire.streams import Record

RECRUIT = {spec.stream: spec.module for spec in specs_for("recruit")}
CRM = {spec.stream: spec.module for spec in specs_for("crm")}


def test_each_recruit_standard_stream_counts_exactly_the_records_of_its_module(zoho: Any) -> None:
    sizes = {"Candidates": 60, "Clients": 12, "Contacts": 30, "JobOpenings": 20, "Applications": 40}
    with ZohoSandbox(recruit_sizes=sizes) as sb:
        result = zoho.read(zoho.make_config(sb), list(RECRUIT), mode="full_refresh")
        expected = {stream: len(sb.ids("recruit", module)) for stream, module in RECRUIT.items()}
    assert {stream: len(zoho.records(result, stream)) for stream in RECRUIT} == expected
    assert expected["candidates"] == 60
    assert not [m for m in result.log_messages("WARN") if "rejected" in m]
    nulled = [
        change["field"]
        for message in result.record_messages("candidates")
        for change in message.get("meta", {}).get("changes", [])
    ]
    assert "phone" in nulled  # the seed's junk phones came out as records, their phone nulled and said so
    for stream in RECRUIT:
        for record in zoho.records(result, stream):
            model_for(stream).model_validate(record)


def test_each_crm_standard_stream_counts_exactly_the_records_of_its_module(zoho: Any) -> None:
    with ZohoSandbox() as sb:
        result = zoho.read(zoho.make_config(sb, product="crm"), list(CRM), mode="full_refresh")
        expected = {stream: len(sb.ids("crm", module)) for stream, module in CRM.items()}
    assert {stream: len(zoho.records(result, stream)) for stream in CRM} == expected


# -- any record in Zoho's shapes ---------------------------------------------------------------------------------

text = st.one_of(
    st.text(max_size=30), st.sampled_from(["", " ", "n/a", "+1 555 602 9290", "2024-13-45T99:00:00+05:30"])
)
scalar = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), text)
json_value = st.recursive(
    scalar,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)
lookup = st.one_of(
    st.none(),
    st.fixed_dictionaries({"name": text, "id": st.one_of(text, st.integers(), st.none())}),
    json_value,
)
zoho_time = st.one_of(
    st.datetimes().map(lambda t: t.strftime("%Y-%m-%dT%H:%M:%S+05:30")), text, st.none(), json_value
)


def sandbox_metadata() -> dict[tuple[str, str], list[dict[str, Any]]]:
    """(product, module) -> the field metadata the sandbox tenant serves."""
    with ZohoSandbox() as sb:
        return {
            (product, module): [spec.metadata(str(i)) for i, spec in enumerate(store.seed.fields)]
            for product, modules in sb.modules.items()
            for module, store in modules.items()
        }


METADATA = sandbox_metadata()


def record_in_zoho_shapes(fields: list[dict[str, Any]]) -> st.SearchStrategy[dict[str, Any]]:
    shaped: dict[str, st.SearchStrategy[Any]] = {"id": st.integers(min_value=1, max_value=2**62).map(str)}
    for meta in fields:
        data_type = meta["data_type"]
        if data_type in ("lookup", "ownerlookup"):
            strategy = lookup
        elif data_type in ("datetime", "date"):
            strategy = zoho_time
        elif data_type in ("multiselectpicklist", "multiuserlookup"):
            strategy = st.one_of(st.lists(text, max_size=3), json_value)
        else:
            strategy = st.one_of(text, json_value)
        shaped[meta["api_name"]] = strategy
    return st.fixed_dictionaries(shaped)


def mapper(product: str, stream: str, module: str) -> StandardMapper:
    spec = next(s for s in specs_for(product) if s.stream == stream)
    metadata = METADATA[(product, module)]
    fields = resolve(stream, module, spec.fields, metadata, report=lambda message: None)
    custom = [m["api_name"] for m in metadata if m.get("custom_field")]
    return StandardMapper(spec, product, custom_fields=custom, fields=fields)


MAPPERS = {
    **{(stream, "recruit"): mapper("recruit", stream, module) for stream, module in RECRUIT.items()},
    **{(stream, "crm"): mapper("crm", stream, module) for stream, module in CRM.items()},
}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_every_record_in_zohos_shapes_yields_exactly_one_standard_record(data: st.DataObject) -> None:
    for (stream, product), standard in MAPPERS.items():
        module = RECRUIT[stream] if product == "recruit" else CRM[stream]
        row = data.draw(record_in_zoho_shapes(METADATA[(product, module)]), label=f"{product} {module}")
        items = list(standard.live.map_records([row]))
        assert len(items) == 1, (stream, items)
        item = items[0]
        assert not isinstance(item, RecordRejected), item.reasons_text()
        record = item.data if isinstance(item, Record) else item
        assert record["remote_id"] == row["id"]
        model_for(stream).model_validate(record)
