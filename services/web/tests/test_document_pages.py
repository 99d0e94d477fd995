"""The pure parts of the documents pages: a search hit's parts and a document's HTML become markup only through
``markup``, safely whatever the author or the searcher typed; the difference between versions shows the changes
with a little context; folders by their path; and which units a person's roles let them write for."""

from __future__ import annotations

from varde_web.difference import difference
from varde_web.document_pages import an_id, comma_list, folder_paths, line_list
from varde_web.document_roles import DocumentPowers, own_units_first, units_where
from varde_web.markup import document_html, highlighted

from varde_common.authz import Action


def test_a_hit_is_escaped_and_only_its_matched_words_are_marked() -> None:
    parts = [
        {"text": "Bruk <script>alert(1)</script> ", "match": False},
        {"text": "hånd&sprit", "match": True},
        {"text": " ved ", "match": False},
        {"text": '"stell"', "match": True},
    ]
    assert str(highlighted(parts)) == (
        "Bruk &lt;script&gt;alert(1)&lt;/script&gt; <mark>hånd&amp;sprit</mark> ved <mark>&#34;stell&#34;</mark>"
    )
    assert str(highlighted([])) == ""


def test_a_documents_html_keeps_what_markdown_makes_and_nothing_an_author_could_add() -> None:
    rendered = (
        '<h1>Formål</h1>\n<p>Se <a href="https://lovdata.no/forskrift">forskriften</a> og '
        '<a href="javascript:alert(1)">dette</a>.</p>\n'
        '<p onclick="alert(1)" class="x" style="color:red">Tekst</p><script>alert(1)</script>'
        '<iframe src="https://x"></iframe><img src="https://bilde.no/a.png" alt="Skjema" onerror="alert(1)">'
        '<table><thead><tr><th style="text-align:right;background:url(x)">Dose</th></tr></thead></table>'
        "<h6>Liten</h6><!-- kommentar -->"
    )
    html = str(document_html(rendered))
    assert html.startswith("<h2>Formål</h2>")  # below the page's own <h1>
    assert '<a href="https://lovdata.no/forskrift" rel="noopener noreferrer nofollow">forskriften</a>' in html
    assert "javascript:" not in html
    assert ">dette</a>" in html
    for gone in (
        "onclick",
        "onerror",
        "class=",
        "color:red",
        "<script",
        "alert(1)</",
        "<iframe",
        "kommentar",
        "url(x)",
    ):
        assert gone not in html, gone
    assert '<img src="https://bilde.no/a.png" alt="Skjema">' in html
    assert '<th style="text-align:right">Dose</th>' in html
    assert "<h6>Liten</h6>" in html  # there is no <h7>
    assert str(document_html("<h2>Ansvar</h2>", below_level=2)) == "<h4>Ansvar</h4>"


def lines(*ops: str) -> list[dict[str, object]]:
    return [{"op": op, "text": f"linje {i}", "old_line": i, "new_line": i} for i, op in enumerate(ops, 1)]


def test_the_difference_shows_each_change_with_three_lines_around_it_and_counts_the_rest() -> None:
    shown = difference(lines(*["equal"] * 10, "removed", "added", *["equal"] * 10, "added", *["equal"] * 2))
    assert (shown.added, shown.removed, shown.changed) == (2, 1, True)
    assert [(hunk.skipped, len(hunk.lines)) for hunk in shown.hunks] == [(7, 8), (4, 6)]
    assert [line["op"] for line in shown.hunks[0].lines][3:5] == ["removed", "added"]
    assert shown.skipped_after == 0
    close = difference(lines("added", *["equal"] * 5, "removed", *["equal"] * 9))
    assert [(hunk.skipped, len(hunk.lines)) for hunk in close.hunks] == [(0, 10)]  # 5 apart: one hunk
    assert close.skipped_after == 6


def test_a_difference_without_changes_says_so() -> None:
    same = difference(lines("equal", "equal"))
    assert (same.hunks, same.changed, same.skipped_after) == ([], False, 2)


def test_folders_are_named_by_their_path_and_a_loop_in_the_tree_ends() -> None:
    folders = [
        {"id": "b", "name": "Smittevern", "parent_id": "a"},
        {"id": "a", "name": "Helse", "parent_id": None},
        {"id": "c", "name": "Brann", "parent_id": None},
        {"id": "x", "name": "Løkke", "parent_id": "y"},
        {"id": "y", "name": "Ring", "parent_id": "x"},
    ]
    assert folder_paths(folders) == [
        ("c", "Brann"),
        ("a", "Helse"),
        ("b", "Helse / Smittevern"),
        ("y", "Løkke / Ring"),
        ("x", "Ring / Løkke"),
    ]


def test_lists_and_ids_are_read_the_way_a_person_types_them() -> None:
    assert comma_list("hms, smittevern,\n legemidler ,,") == ["hms", "smittevern", "legemidler"]
    assert line_list("Kommuneloven § 25-1\n\n Forskrift § 4, første ledd \n") == [
        "Kommuneloven § 25-1",
        "Forskrift § 4, første ledd",
    ]
    assert an_id("6F1D4C1E-6A57-4C1B-9A8E-3C1F5B0D7A21") == "6f1d4c1e-6a57-4c1b-9a8e-3c1f5b0d7a21"
    assert an_id("alle") is None
    assert an_id(None) is None


UNITS = [
    {"id": "kommune", "parent_id": None, "name": "Kommunen"},
    {"id": "helse", "parent_id": "kommune", "name": "Helse"},
    {"id": "sykehjem", "parent_id": "helse", "name": "Sykehjemmet"},
    {"id": "kjokken", "parent_id": "sykehjem", "name": "Kjøkkenet"},
    {"id": "nedlagt", "parent_id": "sykehjem", "name": "Nedlagt", "closed": True},
    {"id": "skole", "parent_id": "kommune", "name": "Skolen"},
]


def test_a_role_reaches_the_units_below_its_own_and_what_it_grants_decides_the_menu() -> None:
    leader = {"roles": [{"role": "virksomhetsleder", "unit_id": "sykehjem"}, {"role": "ansatt", "unit_id": "skole"}]}
    reached = units_where(leader, Action.APPROVE_DOCUMENT, UNITS)
    assert [unit["id"] for unit in reached] == ["sykehjem", "kjokken"]  # not the closed one, not the school
    assert units_where({"roles": [{"role": "ansatt", "unit_id": "kommune"}]}, Action.WRITE_DOCUMENT, UNITS) == []
    assert DocumentPowers.of(leader) == DocumentPowers(write=True, approve=True, follow_reading=True)
    adviser = {"roles": [{"role": "kvalitetsradgiver", "unit_id": "kommune"}]}
    assert DocumentPowers.of(adviser) == DocumentPowers(write=True, approve=False, follow_reading=True)
    employee = {"roles": [{"role": "ansatt", "unit_id": "skole"}, {"role": "ukjent", "unit_id": "x"}]}
    assert DocumentPowers.of(employee) == DocumentPowers(write=False, approve=False, follow_reading=False)
    assert DocumentPowers.of(None) == DocumentPowers(write=False, approve=False, follow_reading=False)
    mine = own_units_first(leader, [unit for unit in UNITS if not unit.get("closed")])
    assert [unit["id"] for unit in mine] == ["sykehjem", "skole", "kommune", "helse", "kjokken"]
