"""The same read as a Staffwire source: an ``HttpStream`` with an offset paginator, run by the core runtime."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel
from staffwire.http import HttpClient, HttpStream
from staffwire.paginate import OffsetPaginator, Paginator
from staffwire.source import Source
from staffwire.streams import Stream


class BenchConfig(BaseModel):
    url: str
    page_size: int = 500


class Candidates(HttpStream):
    name = "candidates"
    records_path = "data"

    def __init__(self, client: HttpClient, page_size: int) -> None:
        super().__init__(client)
        self.page_size = page_size

    def path(self, state: Mapping[str, Any] | None) -> str:
        return "candidates"

    def paginator(self) -> Paginator:
        return OffsetPaginator(self.page_size, offset_param="start", limit_param="count", total_path="total")


class SourceBench(Source[BenchConfig]):
    name = "source-bench"
    config_model = BenchConfig

    def check(self, config: BenchConfig) -> None:
        return None

    def streams(self, config: BenchConfig) -> list[Stream]:
        return [Candidates(HttpClient(config.url, system="Bench"), config.page_size)]


if __name__ == "__main__":
    SourceBench.launch()
