"""``staffwire demo --recipe client-staffing``: the client-staffing recipe (docs/recipes/client-staffing.md) on the
Greenhouse and Bullhorn sandboxes, with nothing to set up.

1-3. the client's Greenhouse requisitions go through the client's rule set into Bullhorn JobOrders
     (``greenhouse-jobs-to-bullhorn.yaml``); a second run writes nothing;
4.   a recruiter submits a candidate on the new JobOrder in Bullhorn; destination-greenhouse creates the
     application in the client's Greenhouse, carrying the Bullhorn submission id (the demo hands it the standard
     submission: source-bullhorn's side of this leg is not wired);
5-6. the client moves the application to an offer, then hires: each stage lands as the JobSubmission's status
     (``greenhouse-statuses-to-bullhorn.yaml``).

The connection files are the recipe's own (shipped in ``staffwire/runner/recipes/``, identical to docs/recipes/).
"""

from __future__ import annotations

import json
import shutil
import sys
from collections.abc import Callable
from contextlib import ExitStack, closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from staffwire.errors import ConfigError
from staffwire.runner.connection import load_connection
from staffwire.runner.demo import _sandbox_class
from staffwire.runner.stats import RunResult
from staffwire.runner.store import StateStore, default_db_path
from staffwire.runner.sync import run_sync

__all__ = ["RECIPES", "RecipeOutcome", "main", "recipe_env", "run_client_staffing"]

RECIPES = ("client-staffing",)
FILES = Path(__file__).parent / "recipes"
REQUISITIONS = "greenhouse-jobs-to-bullhorn.yaml"
STATUSES = "greenhouse-statuses-to-bullhorn.yaml"
SUBMISSIONS = "bullhorn-submissions-to-greenhouse.yaml"


@dataclass
class RecipeOutcome:
    runs: list[tuple[str, RunResult]] = field(default_factory=list)
    #: (Greenhouse stage, the Bullhorn JobSubmission status after the status run)
    statuses: list[tuple[str, str]] = field(default_factory=list)
    job_orders: list[dict[str, Any]] = field(default_factory=list)
    submission_written: bool = False

    @property
    def succeeded(self) -> bool:
        return bool(self.runs) and self.submission_written and all(r.succeeded for _, r in self.runs)

    def as_dict(self) -> dict[str, Any]:
        return {
            "succeeded": self.succeeded,
            "runs": [{"title": title, "run": result.as_dict()} for title, result in self.runs],
            "job_orders": self.job_orders,
            "statuses": [{"stage": stage, "bullhorn_status": status} for stage, status in self.statuses],
        }


def recipe_env(greenhouse: Any, bullhorn: Any) -> dict[str, str]:
    """The environment the recipe's connection files read, pointed at the two sandboxes."""
    source, destination = greenhouse.demo_config(), bullhorn.demo_config()
    return {
        "NORTHWIND_GREENHOUSE_CLIENT_ID": source["client_id"],
        "NORTHWIND_GREENHOUSE_SECRET": source["client_secret"],
        "NORTHWIND_GREENHOUSE_API_URL": source["api_url"],
        "NORTHWIND_GREENHOUSE_TOKEN_URL": source["token_url"],
        "BULLHORN_CLIENT_ID": destination["client_id"],
        "BULLHORN_CLIENT_SECRET": destination["client_secret"],
        "BULLHORN_USERNAME": destination["username"],
        "BULLHORN_PASSWORD": destination["password"],
        "BULLHORN_LOGIN_INFO_URL": destination["login_info_url"],
    }


def main(recipe: str, *, db: Path | None = None, as_json: bool = False) -> int:
    """``staffwire demo --recipe NAME``; exit code 0 when every step succeeded."""
    if recipe not in RECIPES:  # argparse's choices already say so on the command line
        raise ConfigError(f"staffwire demo: unknown recipe {recipe!r} (recipes: {', '.join(RECIPES)})")
    if as_json:
        outcome = run_client_staffing(db=db)
        sys.stdout.write(json.dumps(outcome.as_dict(), indent=2) + "\n")
    else:
        outcome = run_client_staffing(db=db, write=lambda text: print(text, flush=True))
    return 0 if outcome.succeeded else 1


def run_client_staffing(
    *, db: Path | None = None, write: Callable[[str], None] = lambda _: None
) -> RecipeOutcome:
    """Run the recipe on fresh sandboxes; what it tells goes to ``write``."""
    outcome = RecipeOutcome()
    greenhouse_class = _sandbox_class("greenhouse", "source_greenhouse.sandbox", "GreenhouseSandbox")
    bullhorn_class = _sandbox_class("bullhorn", "source_bullhorn.sandbox", "BullhornSandbox")
    db_path = Path(db) if db is not None else default_db_path()
    folder = db_path.parent / "demo"
    folder.mkdir(parents=True, exist_ok=True)
    for name in (REQUISITIONS, SUBMISSIONS, STATUSES):
        shutil.copyfile(FILES / name, folder / name)
    with ExitStack() as stack:
        greenhouse = stack.enter_context(greenhouse_class(candidates=12))
        bullhorn = stack.enter_context(bullhorn_class(seed=7, candidates=10))
        env = recipe_env(greenhouse, bullhorn)
        store = stack.enter_context(closing(StateStore(db_path)))
        write("Staffwire demo, recipe client-staffing: a client's Greenhouse <-> Bullhorn, both on loopback.")
        write(f"  Greenhouse sandbox: {greenhouse.url}\n  Bullhorn sandbox: {bullhorn.url}")
        write(f"  connections: {folder / REQUISITIONS}, {folder / SUBMISSIONS}, {folder / STATUSES}")

        def sync(title: str, name: str, reset: bool = False) -> RunResult:
            # reset: the sandboxes are new in every demo while the history (and its state) is kept
            result = run_sync(load_connection(folder / name), store=store, env=env, reset=reset)
            outcome.runs.append((title, result))
            write(f"\n{title}\n" + "\n".join(_describe(result)))
            return result

        if not sync(
            "1-3. Requisitions -> Northwind's rules -> Bullhorn JobOrders", REQUISITIONS, reset=True
        ).succeeded:
            return outcome
        outcome.job_orders = [
            {"id": j["id"], "externalID": j["externalID"], "title": j["title"]}
            for j in bullhorn.rows["JobOrder"].values()
            if j.get("externalID")
        ]
        for job in outcome.job_orders:
            write(f"  JobOrder {job['id']}: {job['title']} (Greenhouse job {job['externalID']})")
        sync("1-3 again: nothing changed, nothing written", REQUISITIONS)
        if not outcome.job_orders:
            return outcome
        job = outcome.job_orders[0]
        submission_id = bullhorn.add(
            "JobSubmission", candidate=1, jobOrder=job["id"], status="Client Submission"
        )
        write(
            f"\n4. A recruiter sends candidate 1 to the client on JobOrder {job['id']} in Bullhorn (JobSubmission "
            f"{submission_id}, status Client Submission)"
        )
        submitted = sync(
            "4. Bullhorn submissions sent to the client -> Greenhouse applications", SUBMISSIONS, True
        )
        outcome.submission_written = submitted.succeeded
        app = next((a for a in greenhouse.tables["applications"].values() if a.get("_referrer")), None)
        if not outcome.submission_written or app is None:
            write("  destination-greenhouse did not create the application")
            return outcome
        write(f"  Greenhouse application {app['id']} on job {app['job_id']}, bullhorn_submission_id set")
        if not sync("5-6. Statuses: the client has not moved it yet", STATUSES, reset=True).succeeded:
            return outcome
        for stage, change in (
            ("Offer", {"current_stage": {"id": 106, "name": "Offer"}}),
            ("hired", {"status": "hired", "current_stage": None}),
        ):
            app.update(change, updated_at=greenhouse.now())
            result = sync(f"5-6. The client moves the application: {stage}", STATUSES)
            status = str(bullhorn.rows["JobSubmission"][submission_id]["status"])
            outcome.statuses.append((stage, status))
            write(f"  Bullhorn JobSubmission {submission_id} status: {status}")
            if not result.succeeded:
                break
    write(
        "\nSteps 7-8 (hires as placements, placements to finance): see docs/recipes/client-staffing.md and finance.md."
    )
    return outcome


def _describe(result: RunResult, shown: int = 8) -> list[str]:
    lines = []
    for name, s in result.streams.items():
        lines.append(
            f"  {name}: read {s['records_read']}, created {s.get('records_created') or 0}, "
            f"updated {s.get('records_updated') or 0}, unchanged {s.get('records_unchanged') or 0}, "
            f"ignored {s.get('records_ignored') or 0}, rejected {s['records_rejected']}"
        )
    for entry in result.rejected_records[:shown]:
        reasons = [str(r.get("message")) for r in entry.get("reasons") or [] if isinstance(r, dict)]
        lines.append(f"    rejected {entry.get('record_id')}: {'; '.join(reasons) or entry.get('message')}")
    for error in result.errors:
        lines.append(f"  error ({error.failure_type}): {error.message}")
    lines.append(f"  run {result.run_id}: {result.status}")
    return lines
