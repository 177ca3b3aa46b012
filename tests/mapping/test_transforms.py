"""Every transform, table-driven: what it makes of good values, and the rejection it gives for bad ones."""

from __future__ import annotations

from typing import Any

import pytest
from staffwire.errors import ConfigError
from staffwire.mapping import TRANSFORMS
from staffwire.mapping.problems import Reject
from staffwire.mapping.transforms import BuildContext, compile_transform

CTX = BuildContext(default_country="US", lookups={"countries": {"1": "US", "2216": "CA", "2359": "GB"}})
PATH = "mappings.candidates.fields.x.transforms[0]"


def run(spec: Any, value: Any) -> Any:
    return compile_transform(spec, CTX, PATH)[1](value)


GOOD: list[tuple[Any, Any, Any]] = [
    ("trim", "  Ada  ", "Ada"),
    ("trim", "   ", None),
    ("trim", 42, "42"),
    ("trim", [" a", None, " ", "b "], ["a", "b"]),
    ("collapse", "  Ada \t  King\n", "Ada King"),
    ("lower", "ADA", "ada"),
    ("upper", "ada", "ADA"),
    ("title", "ada LOVELACE", "Ada Lovelace"),
    ({"case": "upper"}, "ab", "AB"),
    ({"case": {"to": "title"}}, "ab cd", "Ab Cd"),
    ("string", 12.0, "12"),
    ("string", 12.5, "12.5"),
    ({"truncate": 3}, "abcdef", "abc"),
    ({"replace": {"pattern": "[^0-9]", "with": ""}}, "a1b2", "12"),
    ({"prefix": "bullhorn:"}, 123, "bullhorn:123"),
    ({"prefix": "bullhorn:"}, "bullhorn:123", "bullhorn:123"),
    ({"prefix": "bullhorn:"}, "  ", None),
    ({"split_name": "first"}, "Ada Lovelace", "Ada"),
    ({"split_name": "last"}, "Ada King Lovelace", "King Lovelace"),
    ({"split_name": "first"}, "Lovelace, Ada", "Ada"),
    ({"split_name": "last"}, "Ada", None),
    ({"split": ","}, "Java, Go,,SQL ", ["Java", "Go", "SQL"]),
    ({"split": ";"}, ["already", "a list"], ["already", "a list"]),
    ({"join": " "}, ["Ada", None, "", "Lovelace"], "Ada Lovelace"),
    ({"join": ", "}, [], None),
    ("first", [None, "", "x", "y"], "x"),
    ("first", "scalar", "scalar"),
    ("unique", ["a", "b", "a"], ["a", "b"]),
    ("compact", ["a", None, "", [], {}, 0], ["a", 0]),
    ("integer", "42", 42),
    ("integer", 42.0, 42),
    ("integer", " 1,000 ", 1000),
    ("number", "12.50", 12.5),
    ("number", "7", 7),
    ("number", 3.25, 3.25),
    ("money", "1,234.505", 1234.51),
    ("money", "$12", 12),
    ("money", "(3.50)", -3.5),
    ("money", 0.1, 0.1),
    ("money", "USD 99.999", 100),
    ({"money": 0}, "2.5", 3),
    ({"money": {"places": 0, "rounding": "half_even"}}, "2.5", 2),
    ({"multiply": 40}, 42.5, 1700),
    ({"multiply": 0.333}, 42.5, 14.1525),
    ({"multiply": {"by": "1.1"}}, "3", 3.3),
    ({"multiply": -2}, [1, None, "2.5"], [-2, -5]),
    ({"add": 0.1}, 0.2, 0.3),
    ({"add": -2}, "5.5", 3.5),
    ({"add_days": 7}, "2026-07-06", "2026-07-13"),
    ({"add_days": -6}, "2026-07-06", "2026-06-30"),
    ({"add_days": 1}, "2024-05-01T23:30:00-05:00", "2024-05-03"),
    ({"add_days": {"days": 1, "unit": "s"}}, 1714521600, "2024-05-02"),
    ({"add_days": 30}, 1324789200000, "2012-01-24"),
    ({"add_days": 1}, "", None),
    ("boolean", "Yes", True),
    ("boolean", 0, False),
    ("boolean", " ", None),
    ("email", "  Ada@Example.COM ", "ada@example.com"),
    ("email", "mailto:ada@x.org", "ada@x.org"),
    ("email", "", None),
    ("phone", "(703) 913-3240", "+17039133240"),
    ("phone", "1 800.956-1232", "+18009561232"),
    ("phone", "+44 20 7831 1299", "+442078311299"),
    ({"phone": "GB"}, "020 7831 1299", "+442078311299"),
    ({"phone": {"country": "uk"}}, "020 7831 1299", "+442078311299"),
    ("phone", "", None),
    ("phone", "44 020-78311299", "+442078311299"),  # real Bullhorn data: country code without its '+'
    ("phone", "41 223-407561", "+41223407561"),
    ("country", " us ", "US"),
    ("country", "UK", "GB"),
    ("currency", "usd", "USD"),
    ("date", 1324789200000, "2011-12-25"),
    ("date", "2024-05-01", "2024-05-01"),
    ("date", "2024-05-01T23:30:00-05:00", "2024-05-02"),
    ({"date": "s"}, 1714521600, "2024-05-01"),
    ("date", "", None),
    ("datetime", 1292910129807, "2010-12-21T05:42:09.807Z"),
    ("datetime", "1292910129807", "2010-12-21T05:42:09.807Z"),
    ("datetime", "2024-05-01T10:00:00+05:30", "2024-05-01T04:30:00Z"),
    ("datetime", "2024-05-01T10:00:00Z", "2024-05-01T10:00:00Z"),
    ("datetime", "2024-05-01T10:00:00.5-01:00", "2024-05-01T11:00:00.500Z"),
    ("datetime", "2024-05-01", "2024-05-01T00:00:00Z"),
    ({"datetime": {"assume_offset": "-05:00"}}, "2024-05-01T10:00:00", "2024-05-01T15:00:00Z"),
    ({"datetime": "s"}, 1714521600, "2024-05-01T00:00:00Z"),
    ({"lookup": "countries"}, 1, "US"),
    ({"lookup": "countries"}, "2216", "CA"),
    ({"lookup": "countries"}, 9999, None),
    ({"lookup": {"table": "countries", "default": "US"}}, 9999, "US"),
    ({"lookup": {"table": {"Full-Time": "permanent"}}}, " full-time ", "permanent"),
    ({"lookup": {"table": {"A": 1}, "ignore_case": False}}, "a", None),
]


@pytest.mark.parametrize(("spec", "value", "expected"), GOOD, ids=[f"{i}-{g[0]}" for i, g in enumerate(GOOD)])
def test_transform_turns_a_good_value_into_the_expected_one(spec: Any, value: Any, expected: Any) -> None:
    assert run(spec, value) == expected


BAD: list[tuple[Any, Any, str, str]] = [
    ("trim", {"a": 1}, "transform.trim", "expected text, got an object"),
    (
        {"prefix": "bullhorn:"},
        "12\n3",
        "transform.prefix",
        "'12\\n3' contains a line break; it cannot be an id",
    ),
    ("lower", True, "transform.lower", "expected text, got a boolean"),
    ("integer", "12.5", "transform.integer", "'12.5' is not a whole number"),
    ("integer", "twelve", "transform.integer", "'twelve' is not a number"),
    ("number", float("nan"), "transform.number", "nan is not a finite number"),
    ("number", [1, "x"], "transform.number", "'x' is not a number"),
    ("money", "abc", "transform.money", "'abc' is not a number"),
    ("money", "12.3.4", "transform.money", "'12.3.4' is not a number"),
    ("money", True, "transform.money", "expected a number, got a boolean"),
    ("money", {"amount": 1}, "transform.money", "expected a number, got an object"),
    ("money", "Infinity", "transform.money", "'Infinity' is not a number"),
    ("money", float("inf"), "transform.money", "inf is not a finite number"),
    (
        "money",
        10**20,
        "transform.money",
        "100000000000000000000 has more than 15 significant digits; it cannot be carried exactly",
    ),
    ("boolean", "maybe", "transform.boolean", "'maybe' is not a yes/no value"),
    ("email", "ada@", "transform.email", "'ada@' is not an email address"),
    ("email", "ada@x..org", "transform.email", "'ada@x..org' is not an email address"),
    ("email", "a b@x.org", "transform.email", "'a b@x.org' is not an email address"),
    ("phone", "12", "transform.phone", "'12' is not a valid phone number (default country US)"),
    ("phone", "call me", "transform.phone", "'call me' is not a valid phone number (default country US)"),
    (
        "phone",
        "40 403-6466866",
        "transform.phone",
        "'40 403-6466866' is not a valid phone number (default country US)",
    ),
    (
        {"phone": {"international_fallback": False}},
        "44 020-78311299",
        "transform.phone",
        "'44 020-78311299' is not a valid phone number (default country US)",
    ),
    ("country", "USA", "transform.country", "'USA' is not an ISO 3166-1 alpha-2 country code"),
    ("currency", "dollars", "transform.currency", "'dollars' is not an ISO 4217 currency code"),
    ("date", "2024-02-30", "transform.date", "'2024-02-30' is not a valid calendar date"),
    ("date", "next tuesday", "transform.date", "'next tuesday' is not an ISO 8601 date/time or epoch number"),
    ("date", 1e30, "transform.date", "1e+30 is out of range for an epoch time in ms"),
    ("datetime", True, "transform.datetime", "True is not a date or time"),
    ("datetime", {"at": 1}, "transform.datetime", "expected a date/time string or epoch number, got dict"),
    (
        "datetime",
        "2024-13-01T00:00:00Z",
        "transform.datetime",
        "'2024-13-01T00:00:00Z' is not an ISO 8601 date/time or epoch number",
    ),
    (
        {"lookup": {"table": "countries", "strict": True}},
        7,
        "transform.lookup",
        "7 is not in table 'countries'",
    ),
    ({"lookup": "countries"}, [{"id": 1}], "transform.lookup", "cannot look up an object"),
    ({"split_name": "first"}, {"a": 1}, "transform.split_name", "expected text, got an object"),
    ({"multiply": 40}, "abc", "transform.multiply", "'abc' is not a number"),
    ({"multiply": 2}, True, "transform.multiply", "expected a number, got a boolean"),
    ({"add": 1}, "NaN", "transform.add", "'NaN' is not a number"),
    ({"add_days": 1}, "nope", "transform.add_days", "'nope' is not an ISO 8601 date/time or epoch number"),
    ({"add_days": 1}, "9999-12-31", "transform.add_days", "'9999-12-31' + 1 days is outside the calendar"),
]


@pytest.mark.parametrize(
    ("spec", "value", "rule", "message"), BAD, ids=[f"{i}-{b[0]}" for i, b in enumerate(BAD)]
)
def test_transform_rejects_a_bad_value_with_a_reason(spec: Any, value: Any, rule: str, message: str) -> None:
    with pytest.raises(Reject) as caught:
        run(spec, value)
    assert (caught.value.rule, caught.value.message) == (rule, message)


def test_phone_without_any_default_country_needs_a_plus_prefix() -> None:
    phone = compile_transform("phone", BuildContext(), PATH)[1]
    assert phone("+1 703 913 3240") == "+17039133240"
    with pytest.raises(Reject) as caught:
        phone("703 913 3240")
    assert (
        caught.value.message
        == "'703 913 3240' is not a valid phone number (no default country: write it as +<code>...)"
    )


BAD_SPECS: list[tuple[Any, str]] = [
    ("lowercase", f"{PATH}: unknown transform 'lowercase' (did you mean 'lower'?)"),
    (
        {"phone": {"country": "XX"}},
        f"{PATH}.phone.country: 'XX' is not a country code phonenumbers knows (e.g. US, GB)",
    ),
    ({"phone": {"contry": "US"}}, f"{PATH}.phone.contry: unknown key 'contry' (did you mean 'country'?)"),
    ({"money": {"places": 9}}, f"{PATH}.money.places: should be less than or equal to 6"),
    ({"case": "snake"}, f"{PATH}.case.to: should be 'lower', 'upper' or 'title'"),
    (
        {"lookup": "colours"},
        f"{PATH}.lookup.table: unknown lookup table 'colours' (did you mean 'countries'?)",
    ),
    ({"lookup": "zz"}, f"{PATH}.lookup.table: unknown lookup table 'zz'; use one of: countries"),
    (
        {"replace": {"pattern": "("}},
        f"{PATH}.replace.pattern: bad regular expression '(': missing ), unterminated subpattern at position 0",
    ),
    ({"trim": {"x": 1}}, f"{PATH}: transform 'trim' takes no arguments"),
    (
        {"trim": None, "lower": None},
        f"{PATH}: a transform is a name like 'trim' or a one-key object like {{phone: {{country: US}}}}",
    ),
    (3, f"{PATH}: a transform is a name like 'trim' or a one-key object like {{phone: {{country: US}}}}"),
    (
        {"datetime": {"assume_offset": "EST"}},
        f"{PATH}.datetime.assume_offset: 'EST' is not an offset like +00:00",
    ),
    ({"truncate": 0}, f"{PATH}.truncate.length: should be greater than 0"),
    ("multiply", f"{PATH}.multiply.by: required key is missing"),
    ({"multiply": "forty"}, f"{PATH}.multiply.by: should be a valid decimal"),
    ({"multiply": "NaN"}, f"{PATH}.multiply.by: should be a finite number"),
    ({"add": {"by": 1}}, f"{PATH}.add.value: required key is missing (and 1 more problems)"),
    (
        {"add_days": 1.5},
        f"{PATH}.add_days.days: should be a valid integer, got a number with a fractional part",
    ),
    ({"add_days": {"days": 1, "unit": "h"}}, f"{PATH}.add_days.unit: should be 'ms' or 's'"),
]


@pytest.mark.parametrize(("spec", "message"), BAD_SPECS, ids=[str(i) for i in range(len(BAD_SPECS))])
def test_a_wrong_transform_spec_is_a_config_error_with_its_path(spec: Any, message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        compile_transform(spec, CTX, PATH)
    assert str(caught.value) == message


def test_every_registered_transform_is_covered_by_the_tables() -> None:
    named = {spec if isinstance(spec, str) else next(iter(spec)) for spec, *_ in GOOD}
    assert set(TRANSFORMS) <= named
