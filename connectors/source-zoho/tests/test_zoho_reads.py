"""Issue 15 cases for source-zoho's reads on the SDK's HttpStream and paginators: an error inside an HTTP 200
body (or a body that is not a JSON object) fails the stream like a refused request (validate_response), and an
API that answers the same page again is stopped by the paginator's loop detection instead of silently skipping
the records behind it."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from source_zoho.sandbox import ZohoSandbox


def test_an_error_inside_an_http_200_body_fails_the_stream_with_zohos_reason(zoho: Any) -> None:
    with ZohoSandbox(recruit_sizes={"Candidates": 4}) as sb:
        body = {
            "code": "INTERNAL_ERROR",
            "status": "error",
            "message": "Internal Server Error",
            "details": {},
        }
        sb.faults.server_error(r"^/recruit/v2/Candidates$", status=200, body=body, times=None)
        result = zoho.read(zoho.make_config(sb), ["zoho_Candidates"], mode="full_refresh", ok=False)
        assert result.exit_code == 1
        assert zoho.records(result, "zoho_Candidates") == []
        assert [(e["failure_type"], e["message"]) for e in result.trace_errors] == [
            (
                "system_error",
                f"Stream zoho_Candidates: Zoho Recruit ({sb.url.rstrip('/')}) answered INTERNAL_ERROR to GET "
                "/recruit/v2/Candidates: Internal Server Error.",
            )
        ]


def test_a_records_answer_that_is_not_a_json_object_fails_the_stream_naming_the_request(zoho: Any) -> None:
    with ZohoSandbox(recruit_sizes={"Candidates": 4}) as sb:
        sb.faults.server_error(r"^/recruit/v2/Candidates/deleted$", status=200, body=["id"], times=None)
        result = zoho.read(zoho.make_config(sb), ["zoho_Candidates"], ok=False)
        assert result.exit_code == 1
        assert sorted(zoho.ids(result, "zoho_Candidates")) == sorted(sb.ids("recruit", "Candidates"))
        assert [(e["failure_type"], e["message"]) for e in result.trace_errors] == [
            (
                "system_error",
                f"Stream zoho_Candidates: Zoho Recruit ({sb.url.rstrip('/')}) answered HTTP 200 to GET "
                "/recruit/v2/Candidates/deleted with a body that is not a JSON object.",
            )
        ]


def test_an_api_answering_the_same_page_again_is_stopped_not_skipped(zoho: Any) -> None:
    with ZohoSandbox(recruit_sizes={"Candidates": 8}) as sb:
        sb.touch_all("recruit", "Candidates", datetime(2024, 5, 1, 9, 30, tzinfo=timezone.utc))
        first: list[dict[str, Any]] = []

        def ignore_page(module: str, rows: list[dict[str, Any]]) -> None:
            if not first:
                first.extend(rows)
            rows[:] = first  # every page is page 1 again, as an API ignoring ``page`` answers

        sb.on_page = ignore_page
        config = zoho.make_config(sb, page_size=3)
        result = zoho.read(config, ["zoho_Candidates"], mode="full_refresh", ok=False)
        assert result.exit_code == 1
        assert zoho.ids(result, "zoho_Candidates") == [r["id"] for r in first]
        assert [(e["failure_type"], e["message"]) for e in result.trace_errors] == [
            (
                "system_error",
                "Zoho Recruit returned the same page twice (stream zoho_Candidates, GET /recruit/v2/Candidates): "
                "stopped paging to avoid an endless loop. The API is not honouring the paging parameters; please "
                "report this with the stream name.",
            )
        ]
        # page 1; page 1 again from the keyset mark (all in the overlap second); page 2 = page 1: stopped there
        calls = sb.requests_to(r"^/recruit/v2/Candidates$")
        assert [(c.arg("page"), c.headers.get("if-modified-since")) for c in calls] == [
            ("1", None),
            ("1", "2024-05-01T09:29:59+00:00"),
            ("2", "2024-05-01T09:29:59+00:00"),
        ]
