"""The demo kommuner are realistic enough to try every workflow: sizes from the seeds, every role present."""

from __future__ import annotations

import pytest

from varde_common.roles import Role
from varde_directory.demo import DEMO_KOMMUNER, hr_export


@pytest.mark.parametrize("kommune", DEMO_KOMMUNER, ids=lambda k: k.slug)
def test_every_role_is_held_by_someone_in_every_demo_kommune(kommune: object) -> None:
    export = hr_export(kommune)  # type: ignore[arg-type]
    leader_role = {
        "kommune": "kommunedirektor",
        "kommunalsjefsomrade": "kommunalsjef",
        "virksomhet": "virksomhetsleder",
        "tjeneste": "tjenesteleder",
        "avdeling": "avdelingsleder",
    }
    held = {leader_role[u["unit_type"]] for u in export["units"] if u["leader"]}
    held |= {r["role"] for p in export["people"] for r in p["roles"]}
    assert held == {role.value for role in Role}


def test_hustadvika_has_the_46_reporting_units_of_its_annual_report() -> None:
    hustadvika = next(k for k in DEMO_KOMMUNER if k.slug == "hustadvika")
    units = hr_export(hustadvika)["units"]
    below_sectors = [u for u in units if u["unit_type"] not in ("kommune", "kommunalsjefsomrade")]
    assert len(below_sectors) == 46
