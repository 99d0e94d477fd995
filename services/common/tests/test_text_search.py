"""Norwegian search finds what people write: inflections, compounds and bokmål/nynorsk pairs find each other
through varde_norwegian and varde_search_query, on the real dictionaries in a real PostgreSQL; the matched words
come back as parts a client renders as text; a server without the right dictionaries is told, not ignored."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from varde_common import norwegian_dictionaries, text_search
from varde_common.text_search import (
    DictionariesMissing,
    HighlightPart,
    headline,
    highlight_parts,
    install_norwegian_search,
    search_check,
    search_query,
)

# (what was written, what is searched): each must find the other, bokmål, nynorsk and across them.
FIND_EACH_OTHER = [
    ("legemiddel", "legemidler"),
    ("legemidlene", "legemiddel"),
    ("legemidlar", "legemiddel"),
    ("røykvarsler", "røykvarslere"),
    ("røykvarslar", "røykvarsler"),
    ("håndvask", "handvask"),
    ("handvasken", "håndvask"),
    ("sykehjem", "sjukeheim"),
    ("sjukeheimen", "sykehjemmet"),
    ("brannalarm", "brannalarmen"),
    ("fall", "fallet"),
    ("beboer", "beboere"),
    ("beboerne", "beboer"),
    ("bebuar", "beboer"),
    ("tilsyn", "tilsynet"),
    ("pasient", "pasientene"),
    ("sykepleier", "sjukepleiar"),
    ("hjemmetjenesten", "heimetenesta"),
    ("hjemmesykepleien", "heimesjukepleia"),
    ("avvik", "avvika"),
    ("tiltak", "tiltaka"),
    ("rutinene", "rutinane"),
    ("sykehus", "sjukehus"),
    ("ansatte", "tilsette"),
    ("brukerne", "brukarane"),
    ("kjøkken", "kjøkenet"),
    ("hendelsen", "hendinga"),
    ("nestenuhell", "nestenulykke"),
    ("pasientsikkerhet", "pasienttryggleik"),
    ("hverdagsrehabilitering", "kvardagsrehabilitering"),
]
# (a compound that was written, a part that is searched): the part finds the compound (not the other way round).
PART_FINDS_COMPOUND = [
    ("medisinrom", "medisin"),
    ("medisinrommet", "medisin"),
    ("legemiddelhåndtering", "legemiddel"),
    ("smittevernrutinen", "smittevern"),
    ("brannalarmen", "alarm"),
    ("pasientjournal", "journal"),
    ("dobbeltkontroll", "kontroll"),
    ("fallskade", "fall"),
    # linking -s, which hunspell-no's files alone do not split in PostgreSQL
    ("kveldsmedisinering", "medisinering"),
    ("sykehjemsavdelingen", "sykehjem"),
    ("tilsynsrapport", "tilsyn"),
    ("avviksmeldingen", "avvik"),
]


async def _new_database(admin_url: str) -> tuple[str, str]:
    name = f"test_search_{uuid.uuid4().hex[:8]}"
    connection = await asyncpg.connect(admin_url.replace("postgresql+asyncpg://", "postgresql://", 1))
    try:
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()
    return name, admin_url.rsplit("/", 1)[0] + f"/{name}"


@pytest.fixture(scope="module")
async def engine(postgres_admin_url: str) -> AsyncIterator[AsyncEngine]:
    _, url = await _new_database(postgres_admin_url)
    engine = create_async_engine(url)
    async with engine.begin() as connection:
        await connection.run_sync(install_norwegian_search)
    yield engine
    await engine.dispose()


async def finds(engine: AsyncEngine, written: str, searched: str) -> bool:
    statement = sa.select(sa.func.to_tsvector(text_search.CONFIGURATION, written).op("@@")(search_query(searched)))
    async with engine.connect() as connection:
        return bool((await connection.execute(statement)).scalar_one())


@pytest.mark.parametrize(("written", "searched"), FIND_EACH_OTHER)
async def test_forms_and_målformer_find_each_other(engine: AsyncEngine, written: str, searched: str) -> None:
    assert await finds(engine, written, searched), f"{searched!r} does not find {written!r}"
    assert await finds(engine, searched, written), f"{written!r} does not find {searched!r}"


@pytest.mark.parametrize(("compound", "part"), PART_FINDS_COMPOUND)
async def test_a_part_finds_the_compound(engine: AsyncEngine, compound: str, part: str) -> None:
    assert await finds(engine, compound, part)


async def test_a_sentence_in_nynorsk_is_found_by_a_search_in_bokmål(engine: AsyncEngine) -> None:
    written = "Sjukeheimen hadde ikkje handvask på medisinrommet, og dei tilsette melde avvik."
    assert await finds(engine, written, "håndvask sykehjem medisin ansatte")
    assert await finds(engine, written, '"ikke håndvask"')  # stop words are left out of phrases too
    assert not await finds(engine, written, "håndvask -sykehjem")


async def test_stop_words_are_not_read_as_other_words(engine: AsyncEngine) -> None:
    """The dictionaries alone read "til" as the verb "tile" and "var" as "vare"."""
    assert not await finds(engine, "Flisene ble lagt av en som kan tile", "til")
    assert not await finds(engine, "Vi må vare oss for glatt føre", "var")


async def test_the_matched_words_come_marked_and_an_authors_marks_are_taken_out(engine: AsyncEngine) -> None:
    text = "Beboeren falt \x02ved\x03 sjukeheimen. Røykvarslerne var ikke testet."
    query = search_query("beboer røykvarsler sykehjem")
    async with engine.connect() as connection:
        marked = (await connection.execute(sa.select(headline(sa.literal(text), query, whole=True)))).scalar_one()
    assert highlight_parts(marked) == [
        HighlightPart(text="Beboeren", match=True),
        HighlightPart(text=" falt ved ", match=False),
        HighlightPart(text="sjukeheimen", match=True),
        HighlightPart(text=". ", match=False),
        HighlightPart(text="Røykvarslerne", match=True),
        HighlightPart(text=" var ikke testet.", match=False),
    ]


def test_matches_with_only_space_between_them_are_one_part() -> None:
    marked = "Da \x02brannalarmen\x03 \x02gikk\x03 hørte ingen den."
    assert highlight_parts(marked) == [
        HighlightPart(text="Da ", match=False),
        HighlightPart(text="brannalarmen gikk", match=True),
        HighlightPart(text=" hørte ingen den.", match=False),
    ]


async def test_readiness_knows_the_converted_dictionaries(engine: AsyncEngine) -> None:
    assert (await search_check(engine))["ok"]


async def test_readiness_fails_where_the_configuration_does_not_read_norwegian(postgres_admin_url: str) -> None:
    """A database whose varde_norwegian is the stemmer alone (a misbuilt image) is not ready, and says why."""
    _, url = await _new_database(postgres_admin_url)
    engine = create_async_engine(url)
    try:
        async with engine.begin() as connection:
            await connection.execute(sa.text("CREATE TEXT SEARCH CONFIGURATION varde_norwegian (COPY = norwegian)"))
        with pytest.raises(RuntimeError, match="not the converted hunspell-no"):
            await search_check(engine)
    finally:
        await engine.dispose()


async def test_a_server_without_the_dictionaries_fails_the_migration_with_the_reason(
    postgres_admin_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        text_search, "DICTIONARIES", {"varde_bokmaal": "TEMPLATE = ispell, DictFile = varde_none, AffFile = varde_none"}
    )
    _, url = await _new_database(postgres_admin_url)
    engine = create_async_engine(url)
    try:
        with pytest.raises(DictionariesMissing, match="install Debian's hunspell-no"):
            async with engine.begin() as connection:
                await connection.run_sync(install_norwegian_search)
    finally:
        await engine.dispose()


def test_a_group_of_words_becomes_rewrites_that_do_not_expand_twice() -> None:
    rules = text_search.equivalence_rules(
        {word: [word] for group in text_search.EQUIVALENT_WORDS for word in group}
        | {"beboer": ["bebo"], "beboere": ["beboer"], "beboeren": ["beboer"], "beboerne": ["beboern"]}
    )
    targets = [target for target, _ in rules]
    assert targets.index("'''sjukeheim'''::tsquery") < targets.index("'''sykehjem'''::tsquery")
    assert ("'''sykehjem'''::tsquery", "'''sykehjem'' | ''sjukeheim'''::tsquery") in rules
    assert ("'''bebo'''::tsquery", "'''bebo'' | ''beboer'' | ''beboern'' | ''bebuar'''::tsquery") in rules


def test_the_package_is_converted_for_postgresql_with_linking_s() -> None:
    affix = "SET ISO8859-1\nCOMPOUNDFLAG z\nSFX J Y 1\nSFX J   0     s           [^s]\n".encode("iso-8859-1")
    words = "3\nsykehjem/AEz\nhus/Jz\nkurs/z\nlegemiddel/A\n".encode("iso-8859-1")
    assert norwegian_dictionaries.for_postgres(affix, affix=True).decode() == (
        "SET UTF-8\nCOMPOUNDFLAG z\nSFX J Y 1\nSFX J   0     s/z           [^s]\n"
    )
    assert norwegian_dictionaries.for_postgres(words, affix=False).decode() == (
        "sykehjem/AEzJ\nhus/Jz\nkurs/z\nlegemiddel/A\n"
    )
    assert norwegian_dictionaries.for_postgres("bål/z\n".encode("iso-8859-1"), affix=False) == "bål/zJ\n".encode()


def test_the_debian_mirrors_are_read_from_the_apt_sources(tmp_path: Path) -> None:
    (tmp_path / "sources.list.d").mkdir()
    (tmp_path / "sources.list").write_text("deb [arch=amd64] http://mirror.example/debian bookworm main\n")
    (tmp_path / "sources.list.d" / "debian.sources").write_text(
        "Types: deb\nURIs: http://other.example/debian http://other.example/debian-security\nSuites: bookworm\n"
    )
    assert norwegian_dictionaries.debian_mirrors(tmp_path) == [
        "http://mirror.example/debian",
        "http://other.example/debian",
        "https://deb.debian.org/debian",
    ]


def test_a_machine_that_is_not_debian_asks_debians_own_redirector(tmp_path: Path) -> None:
    assert norwegian_dictionaries.debian_mirrors(tmp_path / "no-apt-here") == ["https://deb.debian.org/debian"]
