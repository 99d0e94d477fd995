"""The figures the issues set a target for, and whether a section's figures meet them.

Printed by ``make bench`` after each section, never asserted: a figure below its target is news, not a failed
build. Where each target comes from: issue 2 (gateway, report to notification), issue 4 (reports per second,
lists over a million), issue 5 (documents), issue 6 (risk pictures), issue 16 (web pages); docs/decisions.md tells
their story.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Target:
    section: str
    path: tuple[str, ...]  # keys into the section's figures
    at_most: float | None = None
    at_least: float | None = None
    unit: str = "ms"

    @property
    def bound(self) -> str:
        return f"≤ {self.at_most:g} {self.unit}" if self.at_most is not None else f"≥ {self.at_least:g} {self.unit}"

    def met_by(self, value: float) -> bool:
        if self.at_most is not None:
            return value <= self.at_most
        assert self.at_least is not None
        return value >= self.at_least


_LISTS = "lists_over_a_million"
TARGETS: tuple[Target, ...] = (
    Target("gateway_overhead", ("c1", "added_p50_ms"), at_most=1.0),
    Target("gateway_overhead", ("c32", "throughput_ratio"), at_least=0.4, unit="× direct"),
    Target("report_to_notification", ("p99_ms",), at_most=100.0),
    Target("reports", ("c8", "gateway_full_check_every_request", "requests_per_s"), at_least=300.0, unit="/s"),
    Target(
        "deviations",
        ("reports_per_s", "c8", "gateway_full_check_every_request", "requests_per_s"),
        at_least=300.0,
        unit="/s",
    ),
    *(
        Target("deviations", (_LISTS, label, "p95_ms"), at_most=50.0)
        for label in (
            "unit_list_first_page (virksomhetsleder)",
            "to_handle_first_page (virksomhetsleder)",
            "all_first_page (kvalitetsrådgiver, whole kommune)",
            "search 'legemiddel' (kvalitetsrådgiver, whole kommune)",
            "search 'korridor' (virksomhetsleder)",
        )
    ),
    *(
        Target("documents", ("search_over_20000_documents", f"search '{word}'", "p95_ms"), at_most=50.0)
        for word in ("legemidler", "håndhygiene brannøvelse", "taushetsplikten", "kommuneoverlegen smitteutbrudd")
    ),
    Target("documents", ("publish_to_a_sector", "approve_request_ms"), at_most=200.0),
    Target("documents", ("publish_to_a_sector", "all_requests_exist_after_ms"), at_most=5_000.0),
    Target("documents", ("coverage_of_the_sector", "p95_ms"), at_most=100.0),
    *(
        Target("web", ("pages", page, "p95_ms"), at_most=60.0)
        for page in ("report form (/meld)", "to handle (/behandling)", "case page (/saker/…)")
    ),
    Target("web", ("report_page_downloads", "total_kb"), at_most=150.0, unit="KB"),
    Target("risk", ("kommune picture JSON", "p95_ms"), at_most=100.0),
    Target("risk", ("kommune picture SVG", "p95_ms"), at_most=150.0),
)


def verdicts(section: str, figures: dict[str, Any]) -> list[dict[str, Any]]:
    """Each target of the section: the figure, the bound and whether it is met (or that the figure is missing)."""
    found: list[dict[str, Any]] = []
    for target in (t for t in TARGETS if t.section == section):
        value: Any = figures
        for key in target.path:
            value = value.get(key) if isinstance(value, dict) else None
        entry: dict[str, Any] = {"figure": " / ".join(target.path), "target": target.bound}
        if isinstance(value, int | float):
            entry |= {"value": value, "met": target.met_by(value)}
        else:
            entry |= {"value": None, "met": False, "note": "not measured (the section failed or changed shape)"}
        found.append(entry)
    return found
