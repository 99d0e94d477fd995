"""Where a newcomer should look once the demo history is in: the unit leader of Hustadvika with the most cases
waiting in "Til behandling", found as that person would find them (their own token, the public API), so that
the line ``make run`` prints leads to a page that has something on it (the history spreads its open cases
thinly: seen, the first leader of the list had none)."""

from __future__ import annotations

from typing import Any

import httpx

TENANT = "hustadvika"
LEADER_ROLES = ("virksomhetsleder", "tjenesteleder", "avdelingsleder")
PAGE = 100


def _waiting(client: httpx.Client, person: dict[str, Any]) -> int:
    token = client.post("/dev/token", json={"tenant": TENANT, "email": person["email"]}).json()["access_token"]
    listed = client.get(
        "/api/v1/deviations", params={"view": "to_handle", "limit": PAGE}, headers={"authorization": f"Bearer {token}"}
    )
    listed.raise_for_status()
    return len(listed.json()["items"])


def busiest_handler_line(gateway_url: str) -> str | None:
    """ "Til behandling" for the leader with the most cases waiting, as one line; None when nobody has one."""
    with httpx.Client(base_url=gateway_url, timeout=30) as client:
        people = client.get("/dev/people").json()
        leaders = [p for p in people if p["tenant"] == TENANT and any(r["role"] in LEADER_ROLES for r in p["roles"])]
        waiting = [(_waiting(client, leader), leader) for leader in leaders]
    count, busiest = max(waiting, key=lambda pair: pair[0], default=(0, None))
    if busiest is None or count == 0:
        return None
    more = "+" if count == PAGE else ""
    return f"  Til behandling med {count}{more} saker: logg inn som {busiest['name']} ({busiest['email']}), Hustadvika"
