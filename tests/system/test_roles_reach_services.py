"""A role given in the directory reaches every service's copy and changes what the person may see there."""

from __future__ import annotations

from collections.abc import Callable

import httpx

from tests.conftest import DemoPerson, Roles, deviation_body, person, wait_until


def test_a_quality_role_given_in_the_directory_opens_the_deviations_of_its_subtree(
    gateway: httpx.Client, people: list[DemoPerson], roles: Roles, login: Callable[[DemoPerson], dict[str, str]]
) -> None:
    reported = gateway.post(
        "/api/v1/deviations", json=deviation_body(roles.nursing_home), headers=login(roles.employee)
    )
    assert reported.status_code == 201
    url = f"/api/v1/deviations/{reported.json()['id']}"

    # The kommune's quality adviser sees it; an employee of a school in the same kommune does not.
    adviser = person(people, "hustadvika", "kvalitetsradgiver")
    assert gateway.get(url, headers=login(adviser)).status_code == 200
    teacher = person(people, "hustadvika", "ansatt", "Eide skule – Barnetrinn")
    teacher_headers = login(teacher)
    assert gateway.get(url, headers=teacher_headers).status_code == 404

    admin = login(person(people, "hustadvika", "systemadministrator"))
    me = gateway.get("/api/v1/directory/me", headers=teacher_headers).json()
    units = gateway.get("/api/v1/directory/units", params={"q": "Helse og omsorg"}, headers=admin).json()["items"]
    sector = next(u for u in units if u["name"] == "Helse og omsorg")
    given = gateway.post(
        f"/api/v1/directory/people/{me['id']}/roles",
        json={"role": "kvalitetskoordinator", "unit_id": sector["id"]},
        headers=admin,
    )
    assert given.status_code == 201, given.text
    wait_until(
        lambda: gateway.get(url, headers=teacher_headers).status_code == 200, what="the role to reach deviations"
    )

    ended = gateway.post(f"/api/v1/directory/role-assignments/{given.json()['id']}/end", headers=admin)
    assert ended.status_code == 200
    wait_until(lambda: gateway.get(url, headers=teacher_headers).status_code == 404, what="the ended role to reach")
