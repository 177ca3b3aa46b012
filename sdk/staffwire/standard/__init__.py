"""The standard staffing record streams: models, their JSON Schemas, and the stream names.

Usage::

    from staffwire.standard import STANDARD_STREAM_NAMES, Candidate, model_for, standard_stream_schema

    STANDARD_STREAM_NAMES                    # ("candidates", "jobs", ..., "payables")
    standard_stream_schema("placements")     # draft-07 JSON Schema dict for the stream's catalog entry
    model_for("jobs").model_fields           # the target fields a mapping may write
    Candidate.model_validate(record)         # strict validation of one record (tests, destinations)

``docs/standard-model.md`` is generated from these models by ``python -m staffwire.standard.docs``.
"""

from __future__ import annotations

from staffwire.standard import models
from staffwire.standard.models import *  # noqa: F403  (every model and enum: the models' own __all__)
from staffwire.standard.schema import (
    STANDARD_STREAM_NAMES,
    STANDARD_STREAMS,
    model_for,
    standard_stream_schema,
)

__all__ = ["STANDARD_STREAMS", "STANDARD_STREAM_NAMES", "model_for", "standard_stream_schema"]
__all__ += models.__all__
