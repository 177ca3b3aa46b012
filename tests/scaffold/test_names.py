"""Connector names: what `staffwire new` accepts and how it spells the rest."""

from __future__ import annotations

import pytest
from staffwire.errors import ConfigError
from staffwire.scaffold import parse_name


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("source-acme", ("source", "acme", "source_acme", "SourceAcme", "Acme", "AcmeSandbox", "AcmeConfig")),
        (
            "destination-acme-crm2",
            (
                "destination",
                "acme_crm2",
                "destination_acme_crm2",
                "DestinationAcmeCrm2",
                "Acme Crm2",
                "AcmeCrm2Sandbox",
                "AcmeCrm2Config",
            ),
        ),
    ],
)
def test_a_valid_name_gives_every_spelling(name: str, expected: tuple[str, ...]) -> None:
    names = parse_name(name, definition_id="11111111-2222-4333-8444-555555555555")
    got = (
        names.type,
        names.system,
        names.package,
        names.class_name,
        names.title,
        names.sandbox_class,
        names.config_class,
    )
    assert got == expected
    assert names.name == name
    assert names.definition_id == "11111111-2222-4333-8444-555555555555"


def test_each_connector_gets_a_fresh_definition_id() -> None:
    assert parse_name("source-acme").definition_id != parse_name("source-acme").definition_id


@pytest.mark.parametrize(
    "name",
    [
        "acme",
        "source-",
        "source",
        "Source-Acme",
        "source-acme_ats",
        "sink-acme",
        "source-1acme",
        "source--acme",
        "source-acme-",
        "source-acme ats",
        "destination-ACME",
    ],
)
def test_an_invalid_name_is_refused_with_the_rule(name: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_name(name)
    assert str(caught.value) == (
        f"{name!r} is not a connector name: use source-<system> or destination-<system>, in lower case, "
        "with words separated by '-' (e.g. source-acme-ats)."
    )
