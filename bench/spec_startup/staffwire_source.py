"""A minimal Staffwire source (the shape of a real connector's config) for the spec start-up benchmark."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, SecretStr
from staffwire.source import Source
from staffwire.streams import Stream


class BenchConfig(BaseModel):
    client_id: str = Field(title="Client ID", description="OAuth client id.")
    client_secret: SecretStr = Field(title="Client secret", description="OAuth client secret.")
    username: str = Field(title="Username", description="API user.")
    password: SecretStr = Field(title="Password", description="API user's password.")
    data_center: Literal["us", "eu", "au"] = Field("us", description="Where the account lives.")
    start_date: str | None = Field(None, description="Read records updated after this instant (ISO 8601).")
    page_size: int = Field(500, ge=1, le=500, description="Records per request.")


class Items(Stream):
    name = "items"


class SourceBench(Source[BenchConfig]):
    name = "source-bench"
    config_model = BenchConfig
    documentation_url = "https://example.com/docs/source-bench"

    def streams(self, config: BenchConfig) -> list[Stream]:
        return [Items()]


if __name__ == "__main__":
    SourceBench.launch()
