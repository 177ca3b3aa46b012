"""Extract Greenhouse's published Harvest example bodies from a checkout of grnhse/greenhouse-api-docs.

    python scripts/extract_reference.py /path/to/greenhouse-api-docs

Writes ``source_greenhouse/reference/harvest/<name>.json``: the first JSON block under each section named below
(the object examples and the request/response examples the sandbox is tested against; a block counts when
it holds JSON, whether its fence says ``json`` or nothing). Re-run it to refresh them.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

# output name -> (file under source/includes/harvest, section heading, which ```json block under it: 0 = first)
SECTIONS: dict[str, tuple[str, str, int]] = {
    "candidate": ("_candidates.md", "## The candidate object", 0),
    "application": ("_applications.md", "## The application object", 0),
    "job": ("_jobs.md", "## The job object", 0),
    "offer": ("_offers.md", "## The offer object", 0),
    "scheduled_interview": ("_scheduled_interviews.md", "## The Scheduled Interview object", 0),
    "user": ("_users.md", "## The user object", 0),
    "department": ("_departments.md", "## The department object", 0),
    "office": ("_offices.md", "## The office object", 0),
    "job_post": ("_job_posts.md", "## The job post object", 0),
    "job_opening": ("_job_openings.md", "## The job opening object", 0),
    "add_candidate_request": ("_candidates.md", "## POST: Add Candidate", 0),
    "add_candidate_response": ("_candidates.md", "## POST: Add Candidate", 1),
    "add_attachment_request": ("_candidates.md", "## POST: Add Attachment", 0),
    "add_attachment_response": ("_candidates.md", "## POST: Add Attachment", 1),
    "add_note_request": ("_candidates.md", "## POST: Add Note", 0),
    "add_note_response": ("_candidates.md", "## POST: Add Note", 1),
    "validation_error": ("_introduction.md", "## Validation", 0),
    "apply_tag_response": ("_tags.md", "## PUT: Add a candidate tag", 0),
}

_BLOCK = re.compile(r"```(?:json)?\n([\[{].*?)\n```", re.S)  # JSON blocks, tagged json or not


def section(text: str, heading: str) -> str:
    start = text.index(heading)
    nxt = text.find("\n## ", start + len(heading))
    return text[start : nxt if nxt != -1 else len(text)]


def main(root: str) -> None:
    base = Path(root) / "source" / "includes" / "harvest"
    out = Path(__file__).resolve().parent.parent / "source_greenhouse" / "reference" / "harvest"
    out.mkdir(parents=True, exist_ok=True)
    for name, (file, heading, index) in SECTIONS.items():
        blocks = _BLOCK.findall(section((base / file).read_text(), heading))
        body = json.loads(blocks[index])
        (out / f"{name}.json").write_text(json.dumps(body, indent=2, ensure_ascii=False) + "\n")
        print(f"{name}: {file} / {heading} / json block {index}")


if __name__ == "__main__":
    main(sys.argv[1])
