"""Spec from a pydantic config model: draft-07, refs inlined, secrets marked, oneOf for discriminated unions."""

from __future__ import annotations

import json
from enum import Enum
from typing import Annotated, Any, Literal

import jsonschema
import pytest
from pydantic import BaseModel, Field, SecretStr
from staffwire.spec import connection_specification, specification


class DataCenter(str, Enum):
    us = "us"
    eu = "eu"


class OAuth(BaseModel):
    auth_type: Literal["oauth"] = "oauth"
    client_id: str = Field(title="Client ID")
    refresh_token: SecretStr = Field(title="Refresh token")


class ApiKey(BaseModel):
    auth_type: Literal["api_key"] = "api_key"
    api_key: SecretStr = Field(title="API key", examples=["abc123"])


class Address(BaseModel):
    city: str
    country: str = "US"


class Config(BaseModel):
    credentials: Annotated[OAuth | ApiKey, Field(discriminator="auth_type", title="Authentication")]
    data_center: DataCenter = Field(DataCenter.us, description="Where the account lives.")
    product: Literal["recruit", "crm"] = "recruit"
    page_size: int = Field(100, ge=1, le=500, description="Records per request.")
    password: SecretStr | None = Field(None, description="Optional password.")
    start_date: str | None = Field(None, examples=["2024-01-01T00:00:00Z"])
    home: Address | None = None
    tokens: list[SecretStr] = Field(default_factory=list)


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    return connection_specification(Config)


def _all_keys(node: Any) -> set[str]:
    if isinstance(node, dict):
        return set(node) | set().union(*(_all_keys(v) for v in node.values()))
    if isinstance(node, list):
        return set().union(*(_all_keys(v) for v in node)) if node else set()
    return set()


def test_the_spec_is_draft_07_with_every_ref_inlined(spec: dict[str, Any]) -> None:
    assert spec["$schema"] == "http://json-schema.org/draft-07/schema#"
    assert {"$ref", "$defs", "definitions", "discriminator"}.isdisjoint(_all_keys(spec))
    jsonschema.Draft7Validator.check_schema(spec)


def test_properties_carry_their_declaration_order(spec: dict[str, Any]) -> None:
    assert [(name, prop["order"]) for name, prop in spec["properties"].items()] == [
        ("credentials", 0),
        ("data_center", 1),
        ("product", 2),
        ("page_size", 3),
        ("password", 4),
        ("start_date", 5),
        ("home", 6),
        ("tokens", 7),
    ]
    assert spec["required"] == ["credentials"]


def test_secret_fields_are_marked_airbyte_secret_also_when_optional_and_in_arrays(
    spec: dict[str, Any],
) -> None:
    props = spec["properties"]
    assert props["password"] == {
        "type": "string",
        "airbyte_secret": True,
        "description": "Optional password.",
        "title": "Password",
        "order": 4,
    }
    assert props["tokens"]["items"] == {"type": "string", "airbyte_secret": True}


def test_a_discriminated_union_is_a_oneof_whose_branches_carry_their_const(spec: dict[str, Any]) -> None:
    credentials = spec["properties"]["credentials"]
    assert credentials["title"] == "Authentication"
    assert credentials["type"] == "object"
    oauth, api_key = credentials["oneOf"]
    assert oauth["properties"]["auth_type"]["const"] == "oauth"
    assert api_key["properties"]["auth_type"]["const"] == "api_key"
    assert oauth["required"] == ["auth_type", "client_id", "refresh_token"]
    assert oauth["properties"]["refresh_token"]["airbyte_secret"] is True
    assert api_key["properties"]["api_key"] == {
        "title": "API key",
        "type": "string",
        "examples": ["abc123"],
        "airbyte_secret": True,
        "order": 1,
    }


def test_enums_defaults_bounds_and_examples_are_kept(spec: dict[str, Any]) -> None:
    props = spec["properties"]
    assert (props["data_center"]["enum"], props["data_center"]["default"]) == (["us", "eu"], "us")
    assert props["data_center"]["description"] == "Where the account lives."
    assert (props["product"]["enum"], props["product"]["default"]) == (["recruit", "crm"], "recruit")
    assert {k: props["page_size"][k] for k in ("default", "minimum", "maximum", "type")} == {
        "default": 100,
        "minimum": 1,
        "maximum": 500,
        "type": "integer",
    }
    assert props["start_date"]["examples"] == ["2024-01-01T00:00:00Z"]
    assert "default" not in props["start_date"]  # a None default is no default
    assert props["home"]["properties"]["country"]["default"] == "US"


@pytest.mark.parametrize(
    ("config", "valid"),
    [
        ({"credentials": {"auth_type": "api_key", "api_key": "k"}}, True),
        (
            {
                "credentials": {"auth_type": "oauth", "client_id": "c", "refresh_token": "r"},
                "data_center": "eu",
            },
            True,
        ),
        ({"credentials": {"auth_type": "api_key"}}, False),
        ({"credentials": {"auth_type": "api_key", "api_key": "k"}, "data_center": "mars"}, False),
        ({"credentials": {"auth_type": "api_key", "api_key": "k"}, "page_size": 0}, False),
        ({}, False),
    ],
)
def test_the_spec_accepts_exactly_the_configs_the_model_accepts(
    spec: dict[str, Any], config: dict[str, Any], valid: bool
) -> None:
    assert jsonschema.Draft7Validator(spec).is_valid(config) is valid
    try:
        Config.model_validate(config)
        model_valid = True
    except Exception:
        model_valid = False
    assert model_valid is valid


def test_the_spec_passes_airbyte_cdk_spec_lint(spec: dict[str, Any]) -> None:
    from airbyte_cdk.models import ConnectorSpecificationSerializer
    from airbyte_cdk.test.standard_tests._spec_lint import assert_spec_is_valid, find_secret_marking_errors

    assert find_secret_marking_errors(spec) == []
    assert_spec_is_valid(
        ConnectorSpecificationSerializer.load(specification(Config)), connector_name="source-test"
    )


def test_specification_wraps_the_schema_with_documentation_url() -> None:
    spec = specification(Address, documentation_url="https://docs.example.com")
    assert spec["documentationUrl"] == "https://docs.example.com"
    assert json.loads(json.dumps(spec))["connectionSpecification"]["properties"]["city"] == {
        "title": "City",
        "type": "string",
        "order": 0,
    }
