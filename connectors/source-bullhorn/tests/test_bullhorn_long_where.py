"""A where clause too long for a GET URL goes in a POST body; that POST only reads, so the SDK retries it like a GET
(PageRequest.idempotent), and a short clause on the same request goes back to a GET."""

from __future__ import annotations

from source_bullhorn.api import MAX_GET_QUERY, BullhornApi
from source_bullhorn.config import BullhornConfig
from source_bullhorn.reader import EntityQuery
from source_bullhorn.sandbox import BullhornSandbox
from staffwire.secrets import SecretMasker


def test_a_long_clause_is_posted_and_retried_like_a_get(sandbox: BullhornSandbox) -> None:
    api = BullhornApi(BullhornConfig(**sandbox.demo_config(retry_base_seconds=0.001)), SecretMasker())
    query = EntityQuery(
        entity="Candidate", searchable=True, fields="id", cursor=None, deleted_flag=False, page_size=5
    )
    request = query.request()
    query.narrow(request, ["(id:[0 TO *] OR id:[0 TO *])"] * 300, 3, 12)
    assert (request.method, request.idempotent) == ("POST", True)
    assert len(request.json["query"]) > MAX_GET_QUERY and "query" not in request.params
    sandbox.faults.server_error("search/Candidate", status=503, times=1, method="POST")
    try:
        response, body = api.client.fetch_page(request, stream="Candidate")
    finally:
        api.close()
    assert (response.status_code, body["total"], [r["id"] for r in body["data"]]) == (200, 9, [4, 5, 6, 7, 8])
    assert [r.status for r in sandbox.requests_to("search/Candidate", "POST")] == [503, 200]

    query.narrow(request, [], 3, 12)
    assert (request.method, request.idempotent, request.json) == ("GET", None, None)
    assert request.params["query"] == "id:{3 TO *] AND id:[* TO 12]"
