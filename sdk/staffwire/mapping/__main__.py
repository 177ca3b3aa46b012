"""Check a mapping document, or try it on records, from the command line.

    python -m staffwire.mapping check mapping.yaml            # "ok: 2 mappings (candidates, jobs)" or the error
    python -m staffwire.mapping map mapping.yaml candidates < rows.jsonl > records.jsonl
    python -m staffwire.mapping code mapping.yaml candidates  # the generated per-record code

``map`` reads one JSON record per line (or one JSON array), writes each mapped record as a JSON line, writes each
rejection (with its reasons) and each record's meta changes (values that could not be normalised and became null)
as a JSON line to stderr, and ends with the counts on stderr. Exit status: 0 when every record mapped (nulled
values included), 1 when records were rejected, 2 when the document or the input is wrong.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from typing import Any, TextIO

import orjson

from staffwire.errors import ConfigError, RecordRejected
from staffwire.mapping.engine import compile_mapping, compile_mappings, load_document
from staffwire.streams import Record


def _records(stream: TextIO) -> Iterator[Any]:
    text = stream.read()
    if text.lstrip().startswith("["):
        yield from orjson.loads(text)
        return
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            try:
                yield orjson.loads(line)
            except orjson.JSONDecodeError as exc:
                raise ConfigError(f"input line {number} is not JSON: {exc}") from None


def main(
    argv: list[str] | None = None,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    stdin, stdout, stderr = stdin or sys.stdin, stdout or sys.stdout, stderr or sys.stderr
    parser = argparse.ArgumentParser(prog="python -m staffwire.mapping", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="compile the document; report the first mistake with its path")
    check.add_argument("document")
    run = commands.add_parser("map", help="map JSON records from stdin")
    run.add_argument("document")
    run.add_argument("mapping")
    code = commands.add_parser("code", help="print the generated per-record code of a mapping")
    code.add_argument("document")
    code.add_argument("mapping")
    args = parser.parse_args(argv)
    try:
        document = load_document(args.document)
        if args.command == "check":
            compiled = compile_mappings(document)
            stdout.write(f"ok: {len(compiled)} mappings ({', '.join(compiled)})\n")
            return 0
        mapping = compile_mapping(document, args.mapping)
        if args.command == "code":
            stdout.write(mapping.source_code)
            return 0
        for item in mapping.map_records(_records(stdin)):
            if isinstance(item, RecordRejected):
                reasons = [reason.as_dict() for reason in item.reasons]
                line = {"rejected": item.record_id, "stream": item.stream, "reasons": reasons}
                stderr.write(orjson.dumps(line, default=str).decode() + "\n")
            elif isinstance(item, Record):
                stdout.write(orjson.dumps(item.data, default=str).decode() + "\n")
                changed = {"record": item.data.get("id"), "stream": mapping.name, "meta": item.meta}
                stderr.write(orjson.dumps(changed, default=str).decode() + "\n")
            else:
                stdout.write(orjson.dumps(item, default=str).decode() + "\n")
    except ConfigError as error:
        stderr.write(f"error: {error}\n")
        return 2
    except orjson.JSONDecodeError as exc:
        stderr.write(f"error: the input is not JSON: {exc}\n")
        return 2
    stats = mapping.stats
    nulled = "".join(f", {name} nulled {count}" for name, count in sorted(stats.nulled.items()))
    stderr.write(f"mapped {stats.mapped}, skipped {stats.skipped}, rejected {stats.rejected}{nulled}\n")
    return 1 if stats.rejected else 0


if __name__ == "__main__":
    raise SystemExit(main())
