"""Secrets never leave in any output line: logs, traces (message, internal message, stack), records, errors.

Adversarial: secrets URL-encoded in a query string, JSON-escaped, inside a library's exception, inside a stack
trace, in an API error body, in multi-line log messages, and tokens obtained at run time.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator, Mapping
from typing import Any, ClassVar
from urllib.parse import quote, quote_plus

import requests
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, SecretStr
from sdk_support import ScriptConfig, ScriptedStream, configured_catalog, scripted_source
from source_example import API_KEY, ExampleSandbox, SourceExample
from staffwire.errors import RecordRejected, Rejection, TransientError
from staffwire.secrets import MASK, SecretMasker
from staffwire.source import Source
from staffwire.streams import Stream, SyncMode
from staffwire.testing.conformance import assert_conformant, assert_no_secrets, run_connector
from staffwire.testing.sandbox import Request, Response, json_response

log = logging.getLogger("source_scripted.streams")

# URL-unsafe and JSON-unsafe characters, so the encoded forms differ from the raw one
TOKEN = 'tok/SECRET "42"+ä&x=1'
CONFIG = {"token": TOKEN}


def _read(*script: Any) -> Any:
    source = scripted_source(ScriptedStream("a", list(script)))
    result = run_connector(source, "read", config=CONFIG, catalog=configured_catalog("a"))
    assert_conformant(result)
    assert_no_secrets(result, [TOKEN])
    return result


def test_a_secret_logged_as_is_and_across_lines_is_masked() -> None:
    result = _read(
        lambda: log.info("token=%s", TOKEN), lambda: log.warning("first line\nsecond %s\nthird", TOKEN)
    )
    assert "token=****" in result.log_messages("INFO")
    assert "first line\nsecond ****\nthird" in result.log_messages("WARN")


def test_a_secret_in_a_record_is_masked_in_its_json_escaped_form() -> None:
    result = _read({"id": 1, "note": f"the token is {TOKEN}"})
    assert result.records("a") == [{"id": 1, "note": "the token is ****"}]


def test_a_secret_url_encoded_in_a_query_string_inside_a_library_exception_is_masked() -> None:
    def call() -> None:
        requests.get("http://127.0.0.1:9/items", params={"access_token": TOKEN}, timeout=1)

    result = _read(call)
    (error,) = result.trace_errors
    assert error["failure_type"] == "system_error"
    assert "access_token=****" in error["message"]
    assert "access_token=****" in error["internal_message"]
    assert "ConnectionError" in error["stack_trace"]


def test_a_secret_in_an_exception_message_is_masked_in_message_internal_message_and_stack_trace() -> None:
    result = _read(ValueError(f"bad token {TOKEN}"))
    (error,) = result.trace_errors
    assert "bad token ****" in error["message"]
    assert error["internal_message"] == "ValueError('bad token ****')"
    assert "ValueError: bad token ****" in error["stack_trace"]


def test_a_secret_in_a_logged_exception_stack_trace_is_masked() -> None:
    def fail_and_log() -> None:
        try:
            raise RuntimeError(f"login with {TOKEN} failed")
        except RuntimeError:
            log.exception("login failed")

    result = _read(fail_and_log)
    (entry,) = [e for e in result.logs if e["message"] == "login failed"]
    assert entry["level"] == "ERROR"
    assert "RuntimeError: login with **** failed" in entry["stack_trace"]


def test_a_secret_in_rejection_reasons_is_masked() -> None:
    reason = Rejection("format", "api_key", TOKEN, f"{TOKEN} is not an email")
    result = _read(RecordRejected(reasons=[reason], record_id="1"))
    assert result.log_messages("WARN") == ["stream 'a': record 1 rejected: **** is not an email"]


class EchoingSandbox(ExampleSandbox):
    """Answers every /items call with a 500 whose body echoes the caller's Authorization header, as some APIs do."""

    def before_request(self, request: Request) -> Response | None:
        if request.path.startswith("/items"):
            return json_response({"error": "server error", "auth": request.header("authorization")}, 500)
        return super().before_request(request)


def test_an_api_error_body_echoing_the_key_is_masked(config: dict[str, Any]) -> None:
    with EchoingSandbox() as echoing:
        result = run_connector(
            SourceExample,
            "read",
            config={**config, "api_url": echoing.url},
            catalog=configured_catalog("items"),
        )
    assert_conformant(result)
    assert_no_secrets(result, [API_KEY])
    (error,) = result.trace_errors
    assert error["failure_type"] == "transient_error"
    assert error["message"] == (
        "Example API answered 500 on GET /items for stream 'items': "
        '{"error":"server error","auth":"Bearer ****"}'
    )


def test_a_secret_in_a_failed_check_message_is_masked() -> None:
    class Leaky(scripted_source()):  # type: ignore[misc]
        def check(self, config: ScriptConfig) -> None:
            raise TransientError(f"login refused for {config.token.get_secret_value()}")

    result = run_connector(Leaky, "check", config=CONFIG)
    assert result.connection_status == {"status": "FAILED", "message": "login refused for ****"}
    assert_no_secrets(result, [TOKEN])


def test_a_secret_under_a_oneof_branch_is_masked(config: dict[str, Any]) -> None:
    class Creds(BaseModel):
        auth_type: str = "oauth"
        refresh_token: SecretStr

    class Config(BaseModel):
        credentials: Creds

    class Source1(Source[Config]):
        name: ClassVar[str] = "source-creds"
        config_model = Config

        def streams(self, config: Config) -> list[Stream]:
            return [ScriptedStream("a", [lambda: log.info("refresh with %s", "rt-ONE-two-three")])]

    result = run_connector(
        Source1,
        "read",
        config={"credentials": {"refresh_token": "rt-ONE-two-three"}},
        catalog=configured_catalog("a"),
    )
    assert "refresh with ****" in result.log_messages("INFO")
    assert_no_secrets(result, ["rt-ONE-two-three"])


class TokenStream(Stream):
    name = "a"

    def __init__(self, source: Source[Any]) -> None:
        self.source = source

    def read(self, sync_mode: SyncMode, state: Mapping[str, Any] | None) -> Iterator[Any]:
        access = "access-XYZ-987654"
        self.source.secrets.add(access)  # a token obtained at run time
        log.info("got access token %s", access)
        yield {"id": 1, "echo": access}
        self.source.emit_config({"token": "rotated-REFRESH-555"})
        log.info("rotated to %s", "rotated-REFRESH-555")


class SourceTokens(Source[ScriptConfig]):
    name: ClassVar[str] = "source-tokens"
    config_model = ScriptConfig

    def streams(self, config: ScriptConfig) -> list[Stream]:
        return [TokenStream(self)]


def test_run_time_tokens_are_masked_and_a_rotated_config_goes_out_unmasked_only_in_control() -> None:
    result = run_connector(SourceTokens, "read", config=CONFIG, catalog=configured_catalog("a"))
    assert_conformant(result)
    assert "got access token ****" in result.log_messages("INFO")
    assert "rotated to ****" in result.log_messages("INFO")
    assert result.records("a") == [{"id": 1, "echo": "****"}]
    (control,) = result.controls
    assert control["type"] == "CONNECTOR_CONFIG"
    assert control["connectorConfig"] == {"config": {"token": "rotated-REFRESH-555"}}
    assert_no_secrets(result, [TOKEN, "access-XYZ-987654", "rotated-REFRESH-555"])


def test_emit_config_accepts_the_config_model_and_reveals_its_secrets() -> None:
    class Rotating(SourceTokens):
        def streams(self, config: ScriptConfig) -> list[Stream]:
            return [
                ScriptedStream(
                    "a",
                    [lambda: self.emit_config(config.model_copy(update={"token": SecretStr("new-TOKEN-1")}))],
                )
            ]

    result = run_connector(Rotating, "read", config=CONFIG, catalog=configured_catalog("a"))
    assert [c["connectorConfig"]["config"] for c in result.controls] == [{"token": "new-TOKEN-1"}]
    assert_no_secrets(result, [TOKEN, "new-TOKEN-1"])


class Collecting(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(logging.Formatter().format(record))


def test_other_handlers_in_the_process_see_records_masked_too() -> None:
    """In-process runs share the host's logging (the runner's terminal handler): records are masked at creation."""
    collecting = Collecting()
    root = logging.getLogger()
    root.addHandler(collecting)
    factory = logging.getLogRecordFactory()

    def fail_and_log() -> None:
        try:
            raise RuntimeError(f"login with {TOKEN} failed")
        except RuntimeError:
            log.exception("login with %s failed", TOKEN)

    try:
        _read(fail_and_log)
    finally:
        root.removeHandler(collecting)
    mine = [line for line in collecting.lines if line.startswith("login with")]
    assert mine and mine[0].startswith("login with **** failed\nTraceback")
    assert "RuntimeError: login with **** failed" in mine[0]
    assert not any(TOKEN in line for line in collecting.lines)
    assert logging.getLogRecordFactory() is factory


def test_the_block_scan_finds_any_of_many_secrets_in_any_form() -> None:
    # many needles (past the ~64 an automaton's SIMD prefilter takes) and non-ASCII forms, on large blocks: the
    # first scanned by one automaton for every needle, the second by one searcher per needle, then the cheaper
    masker = SecretMasker([f"secret-number-{i:03d}-x" for i in range(150)])
    masker.add("pässwörd-ünïcode")
    clean = b'{"id":1,"name":"secret-number-999-x is no secret"}\n' * 2000
    assert masker.mask_bytes(clean) is clean  # a clean block is returned as is, not copied
    escaped = json.dumps("pässwörd-ünïcode")[1:-1]  # p\u00e4ssw\u00f6rd-...: the stdlib json form
    for text in ("secret-number-149-x", "secret-number-000-x", "pässwörd-ünïcode", escaped):
        block = bytearray(clean + f'{{"id":2,"v":"a {text} b"}}\n'.encode())
        assert masker.mask_bytes(block) == clean + b'{"id":2,"v":"a **** b"}\n'


@settings(max_examples=300, deadline=None)
@given(
    value=st.text(min_size=4, max_size=30),
    which=st.integers(0, 5),
    filler=st.binary(max_size=50).map(lambda b: b.hex().encode()),
)
def test_the_block_scan_misses_no_form_of_any_secret(value: str, which: int, filler: bytes) -> None:
    # the completeness argument of staffwire.secrets, checked on arbitrary text: every form a secret is masked in
    # holds a needle of the one scan, so a block carrying it is masked
    assume(MASK not in value and value.strip())
    masker = SecretMasker([value])
    forms = [
        value,
        quote(value, safe=""),
        quote_plus(value),
        json.dumps(value)[1:-1],
        json.dumps(value, ensure_ascii=False)[1:-1],
        re.sub(r"\s+", " ", value),  # whitespace runs collapsed
    ]
    form = forms[which].encode()
    block = filler + b"<<" + form + b">>" + filler
    assert form not in masker.mask_bytes(block)
    # a large block: the first two are scanned one way each (one automaton, one searcher per needle), then the
    # cheaper way; each must find the secret
    large = b"." * 20_000 + block
    for _ in range(3):
        assert form not in masker.mask_bytes(large)


def test_a_million_character_secret_is_registered_at_once_and_masked_in_a_block() -> None:
    token = ("Ab9-" * 250_000)[:1_000_000]
    masker = SecretMasker(["short-secret-1"])
    masker.add(token)  # no automaton is built over it: registering stays instant
    block = b'{"type":"LOG","log":{"level":"INFO","message":"' + token.encode() + b'"}}\n'
    clean = b'{"type":"RECORD","record":{"stream":"a","data":{"id":1},"emitted_at":1}}\n' * 500
    assert masker.mask_bytes(clean) is clean
    assert (
        masker.mask_bytes(block)
        == b'{"type":"LOG","log":{"level":"INFO","message":"' + MASK.encode() + b'"}}\n'
    )
    assert masker.mask_bytes(clean + b"short-secret-1") == clean + MASK.encode()
