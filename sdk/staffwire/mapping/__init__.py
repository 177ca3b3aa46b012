"""One declarative mapping and rules engine for sources (raw -> standard) and destinations (standard -> payload).

Usage::

    from staffwire.mapping import compile_mappings

    doc = {
        "system": "bullhorn",
        "defaults": {"country": "US"},
        "value_maps": {"candidate_status": {"values": {"Active": "active", "Placed": "placed"}}},
        "mappings": {
            "candidates": {
                "standard": "candidates",
                "fields": {
                    "remote_id": "id",
                    "first_name": {"path": "firstName", "transforms": ["trim"]},
                    "email": {"path": "email", "transforms": ["email"]},
                    "phone": {"path": "phone", "transforms": ["phone"]},
                    "status": {"path": "status", "value_map": "candidate_status"},
                    "remote_updated_at": {"path": "dateLastModified", "transforms": ["datetime"]},
                },
                "rules": [{"rule": "required", "field": "email"}],
            }
        },
    }
    candidates = compile_mappings(doc, value_map_overrides={"candidate_status": {"Hot": "active"}})["candidates"]
    candidates({"id": 7, "firstName": " Ada ", "email": "ADA@X.ORG", "status": "Placed"})
    # {'id': 'bullhorn:7', 'remote_id': '7', 'source_system': 'bullhorn', 'first_name': 'Ada',
    #  'email': 'ada@x.org', 'status': 'placed', 'original_status': 'Placed', ...}

A record that cannot be mapped raises :class:`staffwire.errors.RecordRejected` (reasons: ``Rejection(rule, field,
value, message)``); a wrong document raises :class:`staffwire.errors.ConfigError` at compile time. See
docs/mapping.md for the full reference and worked examples.
"""

from __future__ import annotations

from staffwire.mapping.conditions import compile_condition
from staffwire.mapping.dedupe import Deduper, DedupeReport
from staffwire.mapping.engine import (
    CompiledMapping,
    MappingStats,
    check_document,
    compile_fields,
    compile_mapping,
    compile_mappings,
    load_document,
)
from staffwire.mapping.paths import compile_path
from staffwire.mapping.rules import RuleChecker, compile_rules
from staffwire.mapping.spec import MappingDocument
from staffwire.mapping.transforms import TRANSFORMS
from staffwire.mapping.valuemaps import ValueMap, value_key

__all__ = [
    "TRANSFORMS",
    "CompiledMapping",
    "DedupeReport",
    "Deduper",
    "MappingDocument",
    "MappingStats",
    "RuleChecker",
    "ValueMap",
    "check_document",
    "compile_condition",
    "compile_fields",
    "compile_mapping",
    "compile_mappings",
    "compile_path",
    "compile_rules",
    "load_document",
    "value_key",
]
