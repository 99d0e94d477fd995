"""Where code goes, checked (``make lint`` runs this; ``test_layout`` holds it in ``make test``):

- every query of a service is in its ``repository.py`` or a ``*_queries.py`` beside the capability that uses it
  (and in ``migrations/``): no other module runs a statement or asks the session for a row;
- the outbox is written only through ``varde_common.outbox``.

Run ``python -m tests.contracts.layout_rules`` to list what breaks them.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SERVICE_PACKAGES = sorted((ROOT / "services").glob("*/varde_*"))
QUERY_CALLS = {"execute", "exec", "scalar", "scalars", "stream", "stream_scalars"}
SESSION_QUERIES = {"get", "refresh"}


def _query_module(path: Path) -> bool:
    return path.name == "repository.py" or path.name.endswith("_queries.py") or "migrations" in path.parts


def _receiver_is_session(node: ast.expr) -> bool:
    return isinstance(node, ast.Name) and "session" in node.id


def violations() -> Iterator[str]:
    for package in SERVICE_PACKAGES:
        common = package.name == "varde_common"
        for path in sorted(package.rglob("*.py")):
            relative = path.relative_to(ROOT)
            source = path.read_text()
            tree = ast.parse(source, filename=str(path))
            for node in ast.walk(tree):
                if (
                    isinstance(node, ast.Constant)
                    and isinstance(node.value, str)
                    and "insert into outbox" in " ".join(node.value.lower().split())
                    and relative.as_posix() != "services/common/varde_common/outbox.py"
                ):
                    yield f"{relative}:{node.lineno}: writes the outbox itself; use varde_common.outbox"
                if common or _query_module(path) or not isinstance(node, ast.Call):
                    continue
                function = node.func
                if not isinstance(function, ast.Attribute):
                    continue
                if function.attr in QUERY_CALLS or (
                    function.attr in SESSION_QUERIES and _receiver_is_session(function.value)
                ):
                    yield (
                        f"{relative}:{node.lineno}: a query outside repository.py or *_queries.py (.{function.attr}(…))"
                    )


def main() -> int:
    found = list(violations())
    for line in found:
        print(line)
    if found:
        print(f"\n{len(found)} places break the layout rules (tests/contracts/layout_rules.py says which).")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
