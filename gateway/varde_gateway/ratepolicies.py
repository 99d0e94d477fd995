"""Which requests the gateway rate-limits, and how many each person, kommune and client address may make.

A policy names the requests it covers (methods and path patterns, ``*`` for any run of characters) and its
quotas in the notation of the ``limits`` library (``"600/minute"``). The first policy that matches a request is
the one counted, so the specific ones (imports, the receipt lookup) come before the general "writes". The same
policies hold for every kommune; ``VARDE_RATE_LIMITS`` replaces the list (JSON).

The defaults are far above what a person does by hand (a burst of reports by a script or an integration is
what they stop) and above what the test suite and the demo send; a kommune's quota is ten persons' worth, so one
kommune's load cannot take the capacity the others share.
"""

from __future__ import annotations

import json
import re
from fnmatch import translate

from limits import RateLimitItem, parse
from pydantic import BaseModel, ConfigDict, Field, field_validator

CHANGING = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class RatePolicy(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(pattern=r"^[a-z][a-z0-9-]*$", description="Policy name in RateLimit-Policy and RateLimit")
    methods: frozenset[str]
    paths: tuple[str, ...] = Field(min_length=1)
    per_person: str | None = None
    per_kommune: str | None = None
    per_address: str | None = None

    @field_validator("per_person", "per_kommune", "per_address")
    @classmethod
    def _parses(cls, value: str | None) -> str | None:
        if value is not None:
            parse(value)  # raises ValueError on a quota the library cannot read
        return value

    @field_validator("methods")
    @classmethod
    def _upper(cls, value: frozenset[str]) -> frozenset[str]:
        return frozenset(method.upper() for method in value)

    def pattern(self) -> re.Pattern[str]:
        return re.compile("|".join(f"(?:{translate(path)})" for path in self.paths))

    def quotas(self) -> dict[str, RateLimitItem]:
        """The quotas by partition (``person``, ``kommune``, ``address``), each as the library's item."""
        given = {"person": self.per_person, "kommune": self.per_kommune, "address": self.per_address}
        return {partition: parse(quota) for partition, quota in given.items() if quota is not None}


def default_policies() -> list[RatePolicy]:
    get = frozenset({"GET"})
    return [
        # An HR export of a whole kommune: seconds of work for the directory per call.
        RatePolicy(
            name="imports",
            methods=CHANGING,
            paths=("/api/v1/directory/imports", "/api/v1/directory/imports/*"),
            per_person="20/minute",
            per_kommune="60/minute",
        ),
        # Receipt codes of anonymous reports must not be guessable by trying many: per person and per address.
        RatePolicy(
            name="receipts",
            methods=frozenset({"POST"}),
            paths=("/api/v1/deviations/receipts/lookup",),
            per_person="30/minute",
            per_address="120/minute",
        ),
        RatePolicy(
            name="search",
            methods=get,
            paths=("/api/v1/documents/search",),
            per_person="300/minute",
            per_kommune="3000/minute",
        ),
        RatePolicy(
            name="pictures",
            methods=get,
            paths=(
                "/api/v1/risk/picture",
                "/api/v1/risk/picture.svg",
                "/api/v1/risk/assessments/*/matrix",
                "/api/v1/risk/assessments/*/matrix.svg",
            ),
            per_person="300/minute",
            per_kommune="3000/minute",
        ),
        RatePolicy(
            name="coverage",
            methods=get,
            paths=("/api/v1/documents/reading-coverage", "/api/v1/documents/*/coverage"),
            per_person="300/minute",
            per_kommune="3000/minute",
        ),
        RatePolicy(
            name="diff",
            methods=get,
            paths=("/api/v1/documents/*/diff",),
            per_person="120/minute",
            per_kommune="1200/minute",
        ),
        RatePolicy(
            name="writes",
            methods=CHANGING,
            paths=("/api/v1/*",),
            per_person="1200/minute",
            per_kommune="12000/minute",
        ),
        # Logins come before anyone is known: per client address. A kommune's offices often share one address,
        # so this is several hundred people's morning logins a minute.
        RatePolicy(
            name="login",
            methods=frozenset({"GET", "POST"}),
            paths=("/auth/login", "/auth/callback", "/dev/token", "/dev/session"),
            per_address="600/minute",
        ),
    ]


def scaled_policies_json(factor: int) -> str:
    """The default policies with every quota ``factor`` times larger, as ``VARDE_RATE_LIMITS`` takes them: for a
    benchmark or a fuzzing run that sends far more than people do, and should still pay for the counting."""
    scaled = []
    for policy in default_policies():
        quotas = {
            field: f"{item.amount * factor}/{item.multiples} {item.GRANULARITY.name}"
            for field, item in (
                ("per_person", policy.quotas().get("person")),
                ("per_kommune", policy.quotas().get("kommune")),
                ("per_address", policy.quotas().get("address")),
            )
            if item is not None
        }
        scaled.append(policy.model_copy(update=quotas).model_dump(mode="json"))
    return json.dumps(scaled)
