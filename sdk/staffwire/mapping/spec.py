"""The mapping document: plain data (YAML or JSON) validated by pydantic before anything is compiled.

A whole document::

    system: bullhorn                      # the source system: ids become "bullhorn:{remote_id}"
    defaults: {country: US}               # default region for phone numbers written without +code
    lookups:    {countries: {"1": US, "2216": CA}}
    value_maps: {candidate_status: {values: {Active: active, Placed: placed}, default: other}}
    rule_sets:  {base: {rules: [{rule: required, field: email}]}}
    mappings:
      candidates:                         # the output stream (a standard stream name when `standard` is set)
        standard: candidates              # target model: target fields are checked at compile time
        source: Candidate                 # the input stream (documentation)
        when: {field: isDeleted, equals: false}         # trigger: other records are skipped, not rejected
        fields:
          remote_id: id                                 # shorthand for {path: id}
          first_name: {path: firstName, transforms: [trim]}
          status: {path: status, value_map: candidate_status}   # original_status is filled automatically
          owner.id: {path: owner.id, transforms: [{prefix: "bullhorn:"}]}
          skills: {path: "primarySkills.data[*].name", transforms: [trim, unique]}
          full_name: {template: "{firstName} {lastName}"}
          is_new: {from: output, cases: [{when: {field: status, in: [new]}, const: true}], default: false}
        custom_fields: {match: "^custom(Text|Date|Int|Float)\\d+$"}
        rule_set: base
        on_invalid: null                  # a messy value becomes null + a record meta change (standard default)
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

__all__ = ["CaseSpec", "CustomFieldsSpec", "DefaultsSpec", "FieldSpec", "MappingDocument", "MappingSpec"]


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class CaseSpec(_Spec):
    """One branch of ``cases``: the first whose ``when`` holds gives the value (else the field's default)."""

    when: dict[str, Any]
    path: str | None = None
    const: Any = None
    template: str | None = None

    @model_validator(mode="after")
    def _one_source(self) -> CaseSpec:
        given = [k for k in ("path", "const", "template") if k in self.model_fields_set]
        if len(given) != 1:
            raise ValueError("a case needs 'when' and exactly one of path, const, template")
        return self


class FieldSpec(_Spec):
    """How one target field gets its value. Exactly one of path / const / template / cases."""

    path: Any = Field(default=None, description="Input path; a list of paths takes the first non-empty.")
    const: Any = None
    template: str | None = Field(default=None, description='"{firstName} {lastName}": paths in braces.')
    cases: list[CaseSpec] | None = None
    transforms: list[Any] = Field(default_factory=list)
    value_map: Any = Field(default=None, description="A value map name or an inline one.")
    original: str | None = Field(
        default="auto",
        description="Target field that keeps the value before the value map (auto: original_status).",
    )
    default: Any = Field(default=None, description="Used when the value is null or empty after transforms.")
    when: dict[str, Any] | None = Field(default=None, description="Set the field only when this holds.")
    required: bool = Field(default=False, description="Reject the record when the value is empty.")
    from_: Literal["record", "output"] = Field(
        default="record", alias="from", description="output: a computed field, read from the mapped record."
    )
    items: dict[str, FieldSpec] | None = Field(
        default=None,
        description="Map each element of a list (of objects) with these fields; paths are relative to the element.",
    )

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, data: Any) -> Any:
        return {"path": data} if isinstance(data, str) else data

    @model_validator(mode="after")
    def _one_source(self) -> FieldSpec:
        given = [k for k in ("path", "const", "template", "cases") if k in self.model_fields_set]
        if len(given) != 1:
            raise ValueError(
                "a field needs exactly one of path, const, template, cases"
                + (f" (found {', '.join(given)})" if given else "")
            )
        return self


class CustomFieldsSpec(_Spec):
    """Copy the input's custom fields into ``custom_fields`` (by name list and/or name pattern)."""

    include: list[str] = Field(default_factory=list)
    match: str | None = None
    skip_empty: bool = True


class MappingSpec(_Spec):
    standard: str | None = Field(default=None, description="The standard stream this mapping produces.")
    source: str | None = Field(default=None, description="The input stream (documentation).")
    system: str | None = Field(default=None, pattern=r"^[a-z0-9_]+$")
    when: dict[str, Any] | None = None
    fields: dict[str, FieldSpec]
    custom_fields: CustomFieldsSpec | None = None
    remote_data: bool = Field(default=False, description="Keep the input record in remote_data.")
    rules: list[Any] = Field(default_factory=list)
    rule_set: Any = Field(default=None, description="A rule set name or {field, cases, default}.")
    on_invalid: Literal["null", "reject"] | None = Field(
        default=None,
        description="A value that cannot be normalised: null (the field becomes null and the record carries an "
        "Airbyte meta change) or reject (the record is rejected). Default: null for standard mappings, reject "
        "for payload mappings.",
    )


class DefaultsSpec(_Spec):
    country: str | None = Field(default=None, description="Default region for phone numbers, e.g. US.")


class MappingDocument(_Spec):
    version: Literal[1] = 1
    system: str | None = Field(default=None, pattern=r"^[a-z0-9_]+$")
    defaults: DefaultsSpec = Field(default_factory=DefaultsSpec)
    lookups: dict[str, dict[str, Any]] = Field(default_factory=dict)
    value_maps: dict[str, dict[str, Any]] = Field(default_factory=dict)
    rule_sets: dict[str, Any] = Field(default_factory=dict)
    mappings: dict[str, MappingSpec] = Field(default_factory=dict)


FieldSpec.model_rebuild()
