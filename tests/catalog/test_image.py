"""A connector's Dockerfile builds an image that runs ``spec`` as the ``airbyte`` user: built with buildah (chroot
isolation; no Docker engine or registry needed) on a Debian base made locally with debootstrap.

Off by default (a first run debootstraps Debian, minutes); run it with::

    apt-get install -y buildah debootstrap
    STAFFWIRE_IMAGE_TESTS=1 .venv/bin/pytest -q tests/catalog/test_image.py

The base image is what Airbyte's python-connector-base provides: Debian with Python 3 (venv) and a non-root
``airbyte`` user (uid 1000). It also gets this machine's CA bundle as pip's ``cert``, so pip inside the build
reaches the package index the way the host does. The root file system is cached in
``~/.cache/staffwire/images/``. ``podman run`` cannot set rlimits or cgroups in these sandboxes, so the image's
command runs through ``buildah run`` (the entrypoint is checked from the image config).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(
    os.environ.get("STAFFWIRE_IMAGE_TESTS") != "1", reason="image build test: set STAFFWIRE_IMAGE_TESTS=1"
)

REPO = Path(__file__).resolve().parents[2]
CACHE = Path.home() / ".cache" / "staffwire" / "images"
BASE = "localhost/staffwire-test-base:bookworm"
MIRROR = "http://deb.debian.org/debian"


def _run(*argv: str, env: dict[str, str] | None = None, timeout: float = 1800) -> str:
    done = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=timeout, check=False)
    assert done.returncode == 0, f"{' '.join(argv)} exited {done.returncode}:\n{done.stderr[-3000:]}"
    return done.stdout


@pytest.fixture(scope="module")
def buildah(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    for tool in ("buildah", "debootstrap"):
        if shutil.which(tool) is None:
            pytest.fail(f"{tool} is not installed: apt-get install -y buildah debootstrap")
    conf = tmp_path_factory.mktemp("containers") / "containers.conf"
    conf.write_text("[containers]\ndefault_ulimits = []\n")
    os.environ["CONTAINERS_CONF"] = str(conf)
    return ["buildah", "--storage-driver", "vfs"]


def _base_tar() -> Path:
    """A Debian bookworm root file system with python3-venv and the airbyte user, as a tar (cached)."""
    tar = CACHE / "base-bookworm.tar"
    if tar.is_file():
        return tar
    CACHE.mkdir(parents=True, exist_ok=True)
    root = CACHE / "rootfs"
    shutil.rmtree(root, ignore_errors=True)
    _run("debootstrap", "--variant=minbase", "--include=python3,python3-venv", "bookworm", str(root), MIRROR)
    _run("chroot", str(root), "useradd", "--create-home", "--uid", "1000", "airbyte")
    shutil.copy("/etc/ssl/certs/ca-certificates.crt", root / "etc/ssl/certs/host-ca-certificates.crt")
    (root / "etc/pip.conf").write_text("[global]\ncert = /etc/ssl/certs/host-ca-certificates.crt\n")
    _run("tar", "-C", str(root), "-cf", str(tar) + ".part", ".")
    os.replace(str(tar) + ".part", tar)
    shutil.rmtree(root)
    return tar


@pytest.fixture(scope="module")
def base_image(buildah: list[str]) -> str:
    tar = _base_tar()
    container = _run(*buildah, "from", "scratch").strip()
    _run(*buildah, "add", container, str(tar), "/")
    _run(
        *buildah,
        "config",
        "--env",
        "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
        container,
    )
    _run(*buildah, "commit", "--quiet", "--rm", container, BASE)
    return BASE


@pytest.mark.timeout(3600)
def test_the_source_zoho_image_builds_from_the_wheels_and_runs_spec_as_airbyte(
    buildah: list[str], base_image: str, tmp_path: Path, uv: list[str]
) -> None:
    wheels = tmp_path / "wheels"
    _run(*uv, "build", "--all-packages", "--wheel", "--quiet", "-o", str(wheels), timeout=600)
    tag = "localhost/staffwire/source-zoho:test"
    _run(
        *buildah, "bud", "--isolation", "chroot", "--build-arg", f"BASE_IMAGE={base_image}",
        "-f", str(REPO / "connectors/source-zoho/Dockerfile"), "-t", tag, str(wheels),
    )  # fmt: skip
    config = json.loads(_run(*buildah, "inspect", "--type", "image", tag))["OCIv1"]["config"]
    assert config["Entrypoint"] == ["source-zoho"]
    assert config["User"] == "airbyte"
    assert "AIRBYTE_ENTRYPOINT=source-zoho" in config["Env"]
    assert config["Labels"]["io.airbyte.name"] == "staffwire/source-zoho"
    container = _run(*buildah, "from", tag).strip()
    try:
        who = _run(*buildah, "run", "--isolation", "chroot", container, "--", "id", "-un").strip()
        printed = _run(*buildah, "run", "--isolation", "chroot", container, "--", "source-zoho", "spec")
    finally:
        _run(*buildah, "rm", container)
    assert who == "airbyte"
    [message] = [json.loads(line) for line in printed.splitlines()]
    local = subprocess.run(
        [str(Path(sys.executable).parent / "source-zoho"), "spec"], capture_output=True, text=True, check=True
    )
    assert message == json.loads(local.stdout)
