"""The hot-path shortcuts give exactly the answers of the general code they stand in for."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from staffwire.mapping.timeparse import epoch_ms_to_utc, to_utc_datetime
from staffwire.mapping.transforms import _e164_full, _nanp_fast

digits = st.text(alphabet="0123456789", min_size=3, max_size=4)
LAYOUTS = [
    "{a}{b}{c}{d}",
    "({a}) {b}-{c}{d}",
    "1 {a}.{b}.{c}{d}",
    "+1 {a} {b} {c}{d}",
    "1-{a}-{b}-{c}{d}",
    "+1{a}{b}{c}{d}",
    "{a}-{b}-{c}{d}",
    "+44 {a} {b} {c}{d}",
    "{a} {b} {c}{d} x12",
]


@settings(max_examples=400, deadline=None)
@given(
    layout=st.sampled_from(LAYOUTS),
    a=st.text(alphabet="0123456789", min_size=3, max_size=3),
    b=st.text(alphabet="0123456789", min_size=3, max_size=3),
    c=st.text(alphabet="0123456789", min_size=2, max_size=2),
    d=st.text(alphabet="0123456789", min_size=2, max_size=2),
    region=st.sampled_from(["US", "CA", "PR"]),
)
def test_the_north_american_shortcut_agrees_with_libphonenumber(
    layout: str, a: str, b: str, c: str, d: str, region: str
) -> None:
    text = layout.format(a=a, b=b, c=c, d=d)
    fast = _nanp_fast(text, region)
    if fast is not None:  # when it answers, it answers like the full parser; otherwise the parser decides
        assert fast == _e164_full(text, region)


def test_the_shortcut_answers_for_common_us_layouts() -> None:
    assert [
        _nanp_fast(t, "US") for t in ("(703) 913-3240", "1 800.956-1232", "+1 415 555 0132", "7039133240")
    ] == ["+17039133240", "+18009561232", "+14155550132", "+17039133240"]
    assert _nanp_fast("+44 20 7946 0958", "US") is None  # not North American: the full parser's job


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=253_402_214_399_999))
def test_the_epoch_millisecond_shortcut_agrees_with_the_general_parser(value: int) -> None:
    assert epoch_ms_to_utc(value) == to_utc_datetime(value)
