"""Fixtures of the HTTP toolkit tests: a loopback sandbox, a fast client, a masker, recorded sleeps."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from http_toolkit_sandbox import CLIENT_SECRET, PASSWORD, REFRESH_TOKEN, Sleeps, ToolkitSandbox
from staffwire.http import HttpClient, RetryPolicy
from staffwire.secrets import SecretMasker
from staffwire.testing.sandbox import sandbox_fixture

sandbox = sandbox_fixture(ToolkitSandbox)


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
def masker() -> SecretMasker:
    return SecretMasker([CLIENT_SECRET, REFRESH_TOKEN, PASSWORD])


@pytest.fixture
def client(sandbox: ToolkitSandbox, sleeps: Sleeps, masker: SecretMasker) -> Iterator[HttpClient]:
    policy = RetryPolicy(max_attempts=4, base_delay=0.01, jitter=0.0, sleep=sleeps)
    with HttpClient(sandbox.url, system="Toolkit", retry=policy, masker=masker, timeout=(2.0, 2.0)) as c:
        yield c
