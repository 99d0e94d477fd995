"""The demo kommuner are realistic enough to try every workflow: sizes from the seeds, every role present."""

from __future__ import annotations

import pytest

from varde_common.roles import Role
from varde_common.tenant_settings import DEFAULT_COLOUR, LEAST_CONTRAST, TenantSettings, contrast_with_white
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


def test_each_demo_kommune_has_its_own_colour_readable_on_white() -> None:
    colours = [TenantSettings.model_validate(kommune.settings).colour for kommune in DEMO_KOMMUNER]
    assert len(set(colours)) == len(DEMO_KOMMUNER)
    assert DEFAULT_COLOUR not in colours
    assert all(contrast_with_white(colour) >= LEAST_CONTRAST for colour in colours)


def test_someone_in_hustadvika_has_chosen_nynorsk() -> None:
    hustadvika = next(k for k in DEMO_KOMMUNER if k.slug == "hustadvika")
    holders = [
        p for p in hr_export(hustadvika)["people"] if any(r["role"] in hustadvika.nynorsk_roles for r in p["roles"])
    ]
    assert holders
