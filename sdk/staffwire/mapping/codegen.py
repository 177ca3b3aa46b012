"""Turn a mapping's field plans into one generated Python function per mapping.

Why generate code: a mapping runs once per record on the hot path of every source. Walking a list of field
objects costs several Python calls per field (step, getter, transform wrapper, type check); generating one
function with the field reads, null checks and type checks inline leaves one call per transform. The generated
source is built only from the compiled plan (never from user text: keys and constants are passed in as
objects, not spliced into the code), and it is kept on the mapping as ``source_code`` for debugging.

The contract of the generated function ``fields(src, out, reasons) -> reasons``: for every plan, read the value
from ``src`` (the input record, or the mapped record for computed fields), run its transforms (a null stops the
chain; list values go element by element through element-wise transforms), make it fit the target type, apply the
default, and set it on ``out``. A transform that raises ``Reject`` (or anything else) adds a reason and leaves the
field unset; the function never raises.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from staffwire.errors import Rejection
from staffwire.mapping.problems import Reject

__all__ = ["FieldPlan", "Link", "generate"]

Transform = Callable[[Any], Any]


@dataclass(frozen=True)
class Link:
    """One transform in a field's chain."""

    rule: str  # "transform.trim", "value_map", "type"
    fn: Transform
    elementwise: bool


@dataclass(frozen=True)
class FieldPlan:
    target: str
    key: str | None  # set out[key]; None: ``setter`` writes a nested path
    setter: Callable[[dict[str, Any], Any], None] | None
    source: tuple[str, Any]  # ("key", k) | ("keys", (k1, k2)) | ("fn", getter) | ("const", value)
    when: Callable[[Any], bool] | None
    chain: tuple[Link, ...]
    final: tuple[str, Any, Transform] | None  # (check kind, extra, finaliser): see _final_lines
    default: Any
    required: bool
    origin: Callable[[Any], Any] | None  # the input value, for rejection reasons
    parent: tuple[str, dict[str, Any], str] | None = None  # (parent key, its empty template, child key)


_SKIP = object()

# Transforms whose text case is one expression: written into the generated code (same result as the function).
_INLINE = {
    "transform.trim": "(v.strip() or None)",
    "transform.lower": "v.lower()",
    "transform.upper": "v.upper()",
}


def _each(fn: Transform, values: list[Any]) -> list[Any]:
    out = []
    for item in values:
        if item is not None:
            item = fn(item)
            if item is not None:
                out.append(item)
    return out


def _shown(value: Any) -> Any:
    if isinstance(value, (dict, list)):
        text = repr(value)
        return text if len(text) <= 200 else text[:197] + "..."
    return value


def _make_fail(plans: Sequence[FieldPlan]) -> Callable[..., list[Rejection]]:
    def fail(
        reasons: list[Rejection] | None, index: int, src: Any, problem: BaseException, at: int
    ) -> list[Rejection]:
        plan = plans[index]
        reasons = reasons if reasons is not None else []
        if isinstance(problem, Reject):
            rule = problem.rule or (plan.chain[at].rule if 0 <= at < len(plan.chain) else "type")
            message = problem.message
        else:  # a transform bug must not stop the sync: reject the record, with the cause
            rule, message = "mapping.error", f"{type(problem).__name__}: {problem}"
        value = plan.origin(src) if plan.origin is not None else None
        reasons.append(Rejection(rule, plan.target, _shown(value), f"{plan.target}: {message}"))
        return reasons

    return fail


def _make_required(plans: Sequence[FieldPlan]) -> Callable[..., list[Rejection]]:
    def required(reasons: list[Rejection] | None, index: int) -> list[Rejection]:
        target = plans[index].target
        reasons = reasons if reasons is not None else []
        reasons.append(Rejection("required", target, None, f"{target}: {target} is required"))
        return reasons

    return required


def generate(plans: Sequence[FieldPlan], name: str) -> tuple[Callable[[Any, dict[str, Any], Any], Any], str]:
    """The generated ``fields(src, out, reasons) -> reasons`` function for ``plans``, and its source code."""
    env: dict[str, Any] = {
        "Reject": Reject,
        "_SKIP": _SKIP,
        "_each": _each,
        "_fail": _make_fail(plans),
        "_required": _make_required(plans),
    }
    body: list[str] = []
    for index, plan in enumerate(plans):
        body.extend(_plan_lines(index, plan, env))
    body.append("    return reasons")
    # Every helper and constant becomes a keyword default: a fast local inside the function, not a global.
    bound = ", ".join(f"{key}={key}" for key in sorted(env))
    code = (
        f"def fields(src, out, reasons, *, type=type, dict=dict, list=list, {bound}):\n"
        + "\n".join(body)
        + "\n"
    )
    namespace = dict(env)
    exec(compile(code, f"<staffwire mapping {name}>", "exec"), namespace)
    return namespace["fields"], code


def _plan_lines(i: int, plan: FieldPlan, env: dict[str, Any]) -> list[str]:
    out: list[str] = [f"    # [{i}] {plan.target!r}"]
    kind, arg = plan.source
    if kind == "key":
        env[f"K{i}"] = arg
        read = f"src.get(K{i})"
    elif kind == "keys":
        env[f"K{i}a"], env[f"K{i}b"] = arg
        read = f"src.get(K{i}a)"
    elif kind == "fn":
        env[f"G{i}"] = arg
        read = f"G{i}(src)"
    else:
        env[f"C{i}"] = arg
        read = f"C{i}"
    reading: list[str] = []
    if plan.when is not None:
        env[f"W{i}"] = plan.when
        reading.append(f"v = {read} if W{i}(src) else None")
    else:
        reading.append(f"v = {read}")
    if kind == "keys":
        reading.append(f"v = v.get(K{i}b) if type(v) is dict else None")
    if kind == "fn" or plan.when is not None:  # code of the user's spec runs here: guard it like a transform
        out.append("    at = -1")
        out.append("    try:")
        out.extend("        " + line for line in reading)
        out.append("    except Exception as problem:")
        out.append(f"        reasons = _fail(reasons, {i}, src, problem, at)")
        out.append("        v = _SKIP")
    else:
        out.extend("    " + line for line in reading)
    body: list[str] = []
    depth = 0
    for j, link in enumerate(plan.chain):
        env[f"F{i}_{j}"] = link.fn
        pad = "    " * depth
        if j:
            body.append(f"{pad}if v is not None:")
            depth += 1
            pad = "    " * depth
        body.append(f"{pad}at = {j}")
        inline = _INLINE.get(link.rule)
        if inline is not None:  # the text case inline, anything else through the transform itself
            body.append(
                f"{pad}v = {inline} if type(v) is str else "
                f"(F{i}_{j}(v) if type(v) is not list else _each(F{i}_{j}, v))"
            )
        elif link.elementwise:
            body.append(f"{pad}v = F{i}_{j}(v) if type(v) is not list else _each(F{i}_{j}, v)")
        else:
            body.append(f"{pad}v = F{i}_{j}(v)")
    if plan.final is not None:
        check, extra, finaliser = plan.final
        env[f"Z{i}"] = finaliser
        pad = "    " * depth
        if plan.chain:
            body.append(f"{pad}if v is not None:")
            pad = "    " * (depth + 1)
        body.append(f"{pad}at = {len(plan.chain)}")
        body.extend(pad + line for line in _final_lines(i, check, extra, env))
    if body:
        out.append("    if v is not None and v is not _SKIP:")
        out.append("        try:")
        out.extend("            " + line for line in body)
        out.append("        except Exception as problem:")
        out.append(f"            reasons = _fail(reasons, {i}, src, problem, at)")
        out.append("            v = _SKIP")
    if plan.default is not None:
        env[f"D{i}"] = plan.default
        out.append("    if v is None or v is not _SKIP and (v == '' or v == []):")
        out.append(f"        v = D{i}")
    if plan.key is not None:
        env[f"T{i}"] = plan.key
        setter = [f"out[T{i}] = v"]
    elif plan.parent is not None:  # "address.city": one level deep, the parent created from its template
        env[f"P{i}"], env[f"N{i}"], env[f"L{i}"] = plan.parent[0], plan.parent[1], plan.parent[2]
        setter = [
            f"parent = out.get(P{i})",
            "if type(parent) is not dict:",
            f"    parent = out[P{i}] = dict(N{i})",
            f"parent[L{i}] = v",
        ]
    else:
        env[f"S{i}"] = plan.setter
        setter = [f"S{i}(out, v)"]
    out.append("    if v is not None:")
    out.append("        if v is not _SKIP:")
    out.extend(f"            {line}" for line in setter)
    if plan.required:
        out.append("    else:")
        out.append(f"        reasons = _required(reasons, {i})")
    return out


def _final_lines(i: int, check: str, extra: Any, env: dict[str, Any]) -> list[str]:
    """Inline the cheap part of a target type check; call the finaliser only when it may change the value."""
    if check == "text":
        return [f"if type(v) is not str: v = Z{i}(v)"]
    if check == "enum":
        env[f"E{i}"] = extra
        return [f"if type(v) is not str or v not in E{i}: v = Z{i}(v)"]
    if check == "integer":
        return [f"if type(v) is not int: v = Z{i}(v)"]
    if check == "number":
        return [f"if type(v) is not int and not (type(v) is float and v - v == 0.0): v = Z{i}(v)"]
    if check == "boolean":
        return [f"if type(v) is not bool: v = Z{i}(v)"]
    if check == "object":
        return [f"if type(v) is not dict: v = Z{i}(v)"]
    return [f"v = Z{i}(v)"]
