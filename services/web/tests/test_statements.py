"""The accessibility and privacy statements, signed out: who answers for the installation and where to write, the
pages the browser tests recorded, and what no test covers; in bokmål and nynorsk."""

from __future__ import annotations

import httpx
import pytest
from varde_web.app import create_app
from varde_web.config import WebSettings
from varde_web.statements import WCAG_21_AA, accessibility_status, readable

SETTINGS = WebSettings(
    gateway_url="http://127.0.0.1:9",  # nothing listens: signed out, the statements ask the API nothing
    responsible_name="Nordfjell kommune",
    contact_email="postmottak@nordfjell.kommune.example",
    privacy_officer_email="personvernombud@nordfjell.kommune.example",
)


async def statement(path: str, settings: WebSettings = SETTINGS, language: str = "nb") -> str:
    app = create_app(settings)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://web", cookies={"varde_malform": language}
    ) as client:
        answer = await client.get(path)
    assert answer.status_code == 200
    return answer.text


async def test_the_accessibility_statement_names_the_kommune_the_tested_pages_and_where_to_write() -> None:
    text = await statement("/tilgjengelighet")
    status = accessibility_status()
    assert "Nordfjell kommune er ansvarlig for at Varde" in text
    assert f"axe-core {status.axe_core}" in text
    assert status.tested_on.strftime("%d.%m.%Y") in text
    for page in status.pages:
        assert f"<code>{page.path}</code>" in text
    assert "<code>/saker/…</code>" in text
    assert 'href="mailto:postmottak@nordfjell.kommune.example?subject=Tilgjengelighet%20i%20Varde"' in text
    assert 'href="https://www.uutilsynet.no/"' in text


def test_what_no_test_covers_is_every_criterion_neither_axe_nor_a_check_of_the_tests_covers() -> None:
    status = accessibility_status()
    covered = set(status.criteria) | {criterion for check in status.manual for criterion in check.criteria}
    assert "2.1.1" in covered  # the keyboard journey
    assert "1.4.10" in covered  # 320 px
    assert status.not_covered == [criterion for criterion in WCAG_21_AA if criterion not in covered]
    assert status.not_covered  # some criteria need a person's judgement (2.4.6: headings describe their topic)
    assert len(WCAG_21_AA) == 50
    assert readable("/dokumenter/{document_id:uuid}/versjoner/{version_id:uuid}") == "/dokumenter/…/versjoner/…"


async def test_the_privacy_statement_names_the_controller_the_legal_basis_and_the_officer() -> None:
    text = await statement("/personvern")
    assert "Nordfjell kommune er behandlingsansvarlig" in text
    assert "kommuneloven § 25-1" in text
    assert "artikkel 6 nr. 1 bokstav c og e" in text
    assert "slettes 400 dager etter at de er sendt" in text  # the outbox's retention (varde_common.settings)
    assert 'href="mailto:personvernombud@nordfjell.kommune.example"' in text


@pytest.mark.parametrize(
    ("path", "heading"), [("/tilgjengelighet", "Tilgjengeerklæring"), ("/personvern", "Personvern")]
)
async def test_both_statements_are_in_nynorsk_with_links_to_each_other_in_the_footer(path: str, heading: str) -> None:
    text = await statement(path, language="nn")
    assert '<html lang="nn"' in text
    assert f">{heading}" in text
    assert '<a href="/tilgjengelighet"' in text
    assert '<a href="/personvern"' in text


async def test_without_an_address_the_statements_say_to_contact_the_kommune() -> None:
    text = await statement("/tilgjengelighet", WebSettings(gateway_url="http://127.0.0.1:9"))
    assert "Kommunen er ansvarlig for at Varde" in text
    assert "mailto:" not in text
    assert "Ta kontakt med kommunen din" in text
