"""``staffwire new source-<name>`` / ``destination-<name>``: a complete, working connector package (code, sandbox,
tests, packaging, metadata) generated from the template in ``template/``."""

from __future__ import annotations

from staffwire.scaffold.render import TEMPLATE_DIR, Names, generate, parse_name, tidy

__all__ = ["TEMPLATE_DIR", "Names", "generate", "parse_name", "tidy"]
