"""Static checks of a connector's Dockerfile against Airbyte's current Python connector convention.

What the convention asks (as Airbyte's own Python connectors are built): the base image comes in as the build
argument ``BASE_IMAGE`` (Airbyte's ``python-connector-base`` by default, a locally built one in tests); the build is
multi-stage (a builder stage installs, the final stage copies the result); the final stage runs as the non-root
``airbyte`` user; the entrypoint is the connector's console script (exec form) and ``AIRBYTE_ENTRYPOINT`` names it;
``io.airbyte.name`` / ``io.airbyte.version`` label the image. Staffwire's build context is a *wheel context* (the
folder of wheels ``uv build`` writes), so ``COPY`` from the context takes wheels only, never repository paths.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["DockerfileFacts", "dockerfile_problems", "parse_dockerfile"]

_INSTR = re.compile(r"^\s*([A-Za-z]+)\s+(.*)$")


@dataclass
class DockerfileFacts:
    """What the checks need from a Dockerfile (continuation lines joined, comments dropped)."""

    args_before_from: set[str] = field(default_factory=set)
    froms: list[str] = field(default_factory=list)
    entrypoint: Any = None
    env: dict[str, str] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    final_user: str | None = None
    context_copies: list[str] = field(default_factory=list)  # sources of COPY/ADD without --from
    final_copies_from: list[str] = field(default_factory=list)  # --from= stages copied in the final stage


def _pairs(rest: str) -> list[tuple[str, str]]:
    pairs = re.findall(r'([\w.\-]+)=("(?:[^"\\]|\\.)*"|\S+)', rest)
    if not pairs and " " in rest:  # legacy `ENV KEY value`
        key, value = rest.split(None, 1)
        pairs = [(key, value)]
    return [(k, v[1:-1] if v.startswith('"') and v.endswith('"') else v) for k, v in pairs]


def parse_dockerfile(text: str) -> DockerfileFacts:
    facts = DockerfileFacts()
    joined = re.sub(r"\\\n", " ", text)
    for line in joined.splitlines():
        if line.lstrip().startswith("#"):
            continue
        match = _INSTR.match(line)
        if not match:
            continue
        instr, rest = match.group(1).upper(), match.group(2).strip()
        if instr == "ARG" and not facts.froms:
            facts.args_before_from.add(rest.split("=", 1)[0].strip())
        elif instr == "FROM":
            facts.froms.append(rest)
            facts.final_user = None
            facts.final_copies_from = []
        elif instr == "USER":
            facts.final_user = rest
        elif instr == "ENTRYPOINT":
            try:
                facts.entrypoint = json.loads(rest)
            except json.JSONDecodeError:
                facts.entrypoint = rest
        elif instr in ("ENV", "LABEL"):
            (facts.env if instr == "ENV" else facts.labels).update(_pairs(rest))
        elif instr in ("COPY", "ADD"):
            words = rest.split()
            stage = next((w.split("=", 1)[1] for w in words if w.startswith("--from=")), None)
            sources = [w for w in words if not w.startswith("--")][:-1]
            if stage is None:
                facts.context_copies.extend(sources)
            else:
                facts.final_copies_from.append(stage)
    return facts


def dockerfile_problems(path: Path, script: str, version: str | None = None) -> list[str]:
    """Every way the Dockerfile at ``path`` departs from the convention (empty when it follows it)."""
    if not path.is_file():
        return ["missing: every connector needs a Dockerfile (see the scaffold's template)"]
    facts = parse_dockerfile(path.read_text())
    problems = []
    if "BASE_IMAGE" not in facts.args_before_from:
        problems.append(
            "ARG BASE_IMAGE must be declared before the first FROM (Airbyte passes the base image)"
        )
    if any("${BASE_IMAGE}" not in f and "$BASE_IMAGE" not in f for f in facts.froms):
        problems.append(f"every FROM must build on ${{BASE_IMAGE}}, found {facts.froms!r}")
    if len(facts.froms) < 2 or not facts.final_copies_from:
        problems.append("must be multi-stage: a builder stage, and a final stage that COPY --from= it")
    if facts.final_user != "airbyte":
        problems.append(f"the final stage must run as USER airbyte (non-root), found {facts.final_user!r}")
    repo_paths = [s for s in facts.context_copies if not s.endswith(".whl")]
    if repo_paths:
        problems.append(
            f"COPY from the build context must take wheels only (the context is the wheel folder `uv build` "
            f"writes), found {repo_paths!r}"
        )
    if facts.entrypoint != [script]:
        problems.append(
            f'ENTRYPOINT must be ["{script}"] (the console script, exec form), found {facts.entrypoint!r}'
        )
    if facts.env.get("AIRBYTE_ENTRYPOINT") != script:
        problems.append(
            f'ENV AIRBYTE_ENTRYPOINT must be "{script}", found {facts.env.get("AIRBYTE_ENTRYPOINT")!r}'
        )
    if not facts.labels.get("io.airbyte.name"):
        problems.append("LABEL io.airbyte.name is missing")
    if version is not None and facts.labels.get("io.airbyte.version") != version:
        problems.append(
            f"LABEL io.airbyte.version must be {version!r}, found {facts.labels.get('io.airbyte.version')!r}"
        )
    return problems
