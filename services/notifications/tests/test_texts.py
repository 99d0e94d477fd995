"""The catalogue of notification texts: each text in both målformer with the same facts, and a stored
notification still readable whatever the catalogue of this version knows."""

from __future__ import annotations

import pytest

from varde_notifications.domain import CATALOGUE, STORED, render


@pytest.mark.parametrize("key", sorted(CATALOGUE))
def test_each_text_has_both_forms_with_the_same_facts(key: str) -> None:
    message = CATALOGUE[key]
    for text in (message.title, message.body):
        bokmal, nynorsk = text.placeholders()
        assert bokmal == nynorsk
    if key != STORED:
        assert message.body.nb != message.body.nn, "the nynorsk is a copy of the bokmål"


def test_a_notification_stored_before_the_catalogue_reads_as_it_was_in_both_forms() -> None:
    facts = {"title": "Avviket ditt er lukket", "body": "Avviket du meldte er behandlet og lukket. {ikke en plass}"}
    assert render("stored", facts, "nn") == ("Avviket ditt er lukket", facts["body"])


def test_a_key_this_version_does_not_know_still_tells_the_person_something() -> None:
    title, body = render("deviation.from_a_newer_version", {"unit_name": "Solsiden"}, "nn")
    assert (title, body) == ("Nytt varsel", "Du har eit nytt varsel. Opne saka for å sjå kva det gjeld.")
