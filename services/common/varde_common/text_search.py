"""Norwegian full-text search, shared by the services that search (deviations, documents): the text search
configuration ``varde_norwegian``, the query function that makes bokmål and nynorsk forms find each other, the
readiness check, and the highlighted excerpts of a hit.

The configuration reads each word through, in order: the Norwegian stop words, the bokmål and the nynorsk
hunspell dictionaries (Debian's ``hunspell-no``, as PostgreSQL ispell dictionaries: inflections and compound
splitting: ``legemidlene`` is ``legemiddel``, ``lege`` and ``middel``; ``medisinrom`` is ``medisin`` and ``rom``),
and the snowball stemmer for every word neither dictionary knows (names, jargon). The files must be in the
server's ``share/tsearch_data``: ``make`` puts them into the embedded server (varde_common.norwegian_dictionaries);
a production image installs ``hunspell-no`` and converts it the same way (docs/decisions.md, «Norwegian search»).

Words that mean the same but that no dictionary joins (``sykehjem``/``sjukeheim``, ``håndvask``/``handvask``, and
forms the word lists miss) are joined at query time: ``varde_search_query(text)`` rewrites each such lexeme of the
query into all of its group (``ts_rewrite``), from our own list in ``text_search_words``. So the list needs no file
on the server, and a change to it is a new function, not a rebuilt index.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from pydantic import BaseModel
from pydantic import Field as PydanticField
from sqlalchemy.ext.asyncio import AsyncEngine

from varde_common.redaction import CheckFailed
from varde_common.text_search_words import EQUIVALENT_WORDS

CONFIGURATION = "varde_norwegian"
QUERY_FUNCTION = "varde_search_query"
WORD_TOKENS = "asciiword, word, asciihword, hword, hword_asciipart, hword_part"
# The stop words come first: the dictionaries would turn "til" into "tile" and "var" into "vare" before a stop list
# behind them could see the word.
DICTIONARIES = {
    "varde_norwegian_stopwords": "TEMPLATE = simple, StopWords = norwegian, Accept = false",
    "varde_bokmaal": "TEMPLATE = ispell, DictFile = nb_no, AffFile = nb_no",
    "varde_nynorsk": "TEMPLATE = ispell, DictFile = nn_no, AffFile = nn_no",
}
MISSING_DICTIONARIES = (
    "PostgreSQL lacks the Norwegian dictionaries of the search (nb_no.dict, nb_no.affix, nn_no.dict, nn_no.affix "
    "in its share/tsearch_data): install Debian's hunspell-no in the database image and convert it there with "
    "python3 -I norwegian_dictionaries.py --hunspell-dir /usr/share/hunspell --into <tsearch_data> "
    "(docs/decisions.md, «Norwegian search»); for the embedded server, run make. Until then search, and saving what is "
    "searched, fail."
)

# Marks around the matched words in ts_headline's output. Control characters, taken out of the text first, so an
# author cannot write one; the excerpt leaves the database as parts, never as markup (see HighlightPart).
MARK_START = "\x02"
MARK_END = "\x03"


class DictionariesMissing(CheckFailed):
    def __init__(self) -> None:
        super().__init__(MISSING_DICTIONARIES)


def _is_missing_dictionary(error: Exception) -> bool:
    return "could not open" in str(error) and ("dictionary file" in str(error) or "affix file" in str(error))


def _tsquery_literal(lexemes: list[str]) -> str:
    """A tsquery ORing lexemes, as an SQL literal: no lexeme is parsed again by a dictionary."""
    query = " | ".join("'" + lexeme.replace("\\", "\\\\").replace("'", "\\'") + "'" for lexeme in lexemes)
    return "'" + query.replace("'", "''") + "'::tsquery"


def create_configuration(connection: sa.Connection) -> None:
    """Migration step, once per database: the dictionaries and ``varde_norwegian`` (a generated column that uses
    the configuration depends on it, so it is altered afterwards, never dropped)."""
    try:
        for name, options in DICTIONARIES.items():
            connection.execute(sa.text(f"CREATE TEXT SEARCH DICTIONARY {name} ({options})"))
    except sa.exc.DBAPIError as error:
        if _is_missing_dictionary(error):
            raise DictionariesMissing() from error
        raise
    connection.execute(sa.text(f"CREATE TEXT SEARCH CONFIGURATION {CONFIGURATION} (COPY = pg_catalog.norwegian)"))
    connection.execute(
        sa.text(
            f"ALTER TEXT SEARCH CONFIGURATION {CONFIGURATION} ALTER MAPPING FOR {WORD_TOKENS} "
            f"WITH {', '.join(DICTIONARIES)}, norwegian_stem"
        )
    )
    connection.execute(
        sa.text(
            f"COMMENT ON TEXT SEARCH CONFIGURATION {CONFIGURATION} IS "
            "'Norwegian, bokmål and nynorsk: stop words, hunspell-no (nb_no, nn_no), snowball'"
        )
    )


def equivalence_rules(lexemes_of: dict[str, list[str]]) -> list[tuple[str, str]]:
    """(target, substitute) rewrites, in order, for the groups of ``EQUIVALENT_WORDS``: first every lexeme of a
    group becomes the group's first, then the first becomes the whole group. Two steps, because ``ts_rewrite``
    applied in turn would expand the lexemes of a group already expanded."""
    groups = []
    seen: dict[str, tuple[str, ...]] = {}
    for words in EQUIVALENT_WORDS:
        group: list[str] = []
        for word in words:
            lexemes = lexemes_of[word]
            # The word itself where the dictionary keeps it (sykepleier: sykepleier, sykepleie), else its one stem.
            lexeme = word if word in lexemes else (lexemes[0] if len(lexemes) == 1 else None)
            if lexeme is None:
                raise ValueError(f"{word!r} has several lexemes {lexemes}: name the form the dictionary keeps")
            if lexeme in seen and seen[lexeme] != words:
                raise ValueError(f"{word!r} ({lexeme}) is in two groups: {seen[lexeme]} and {words}")
            seen[lexeme] = words
            if lexeme not in group:
                group.append(lexeme)
        if len(group) > 1:
            groups.append(group)
    first_step = [(_tsquery_literal([other]), _tsquery_literal([group[0]])) for group in groups for other in group[1:]]
    second_step = [(_tsquery_literal([group[0]]), _tsquery_literal(group)) for group in groups]
    return first_step + second_step


def create_query_function(connection: sa.Connection) -> None:
    """Migration step: (re)creates ``varde_search_query(text) -> tsquery``, the query of what a person typed
    (``websearch_to_tsquery`` syntax: words, "phrases", or, -not) with the equivalent words joined."""
    words = sorted({word for group in EQUIVALENT_WORDS for word in group})
    rows = connection.execute(
        sa.text(
            f"SELECT word, tsvector_to_array(to_tsvector('{CONFIGURATION}', word)) AS lexemes "  # noqa: S608
            "FROM unnest(CAST(:words AS text[])) AS word"
        ),
        {"words": words},
    )
    lexemes_of = {row.word: list(row.lexemes) for row in rows}
    query = f"websearch_to_tsquery('{CONFIGURATION}', words)"
    for target, substitute in equivalence_rules(lexemes_of):
        query = f"ts_rewrite({query},\n    {target}, {substitute})"
    # Immutable like websearch_to_tsquery itself: the same text gives the same query until a migration changes it.
    connection.execute(
        sa.text(
            f"CREATE OR REPLACE FUNCTION {QUERY_FUNCTION}(words text) RETURNS tsquery "
            f"LANGUAGE sql IMMUTABLE PARALLEL SAFE RETURN {query}"
        )
    )


def install_norwegian_search(connection: sa.Connection) -> None:
    """The first search migration of a service: ``install_norwegian_search(op.get_bind())``; the columns and
    indexes that use ``varde_norwegian`` follow it in the same migration."""
    create_configuration(connection)
    create_query_function(connection)


def search_query(text: str) -> sa.ScalarSelect[Any]:
    """The tsquery of what a person typed, for a WHERE clause: a subquery, so it is computed once per statement
    and not once per row where the full-text index cannot serve (under row-level security ``@@`` is not
    leakproof, so the planner filters with it)."""
    return sa.select(sa.func.varde_search_query(sa.literal(text, sa.Text))).scalar_subquery()


def _placement(*, whole: bool, words: int, fragments: int) -> str:
    if whole:
        return "HighlightAll=true"
    return f'MaxWords={words}, MinWords={max(words // 3, 1)}, MaxFragments={fragments}, FragmentDelimiter=" … "'


def headline(
    text: sa.ColumnElement[Any],
    query: sa.ColumnElement[Any],
    *,
    whole: bool = False,
    words: int = 25,
    fragments: int = 2,
) -> sa.ColumnElement[str]:
    """The matched words of ``text`` marked for :func:`highlight_parts`: the whole text (a title) or excerpts of it
    around the matches."""
    clean = sa.func.translate(text, MARK_START + MARK_END, "")
    options = f"StartSel={MARK_START}, StopSel={MARK_END}, " + _placement(whole=whole, words=words, fragments=fragments)
    return sa.func.ts_headline(sa.literal_column(f"'{CONFIGURATION}'::regconfig"), clean, query, sa.literal(options))


def headline_sql(text: str, query: str, *, whole: bool = False, words: int = 25, fragments: int = 2) -> str:
    """:func:`headline` for a statement written as SQL text; ``text`` and ``query`` are SQL expressions there."""
    placement = _placement(whole=whole, words=words, fragments=fragments).replace("'", "''")
    options = f"'StartSel=' || chr(2) || ', StopSel=' || chr(3) || ', {placement}'"
    return f"ts_headline('{CONFIGURATION}', translate({text}, chr(2) || chr(3), ''), {query}, {options})"


class HighlightPart(BaseModel):
    """A piece of a hit's text: render ``text`` as text (never as markup) and mark it when ``match`` is true."""

    text: str
    match: bool = PydanticField(description="Sann for ordene som traff søket")


def highlight_parts(marked: str | None) -> list[HighlightPart]:
    """ts_headline's output, marked by :func:`headline`, as parts; matches with only spaces between them (not a
    line break) are one part ("brannalarmen gikk")."""
    pieces = (marked or "").split(MARK_START)
    segments = [(pieces[0], False)]
    for piece in pieces[1:]:
        matched, _, rest = piece.partition(MARK_END)
        segments += [(matched, True), (rest, False)]
    parts: list[HighlightPart] = []
    for text, match in segments:
        if not text:
            continue
        if parts and parts[-1].match == match:
            parts[-1] = HighlightPart(text=parts[-1].text + text, match=match)
        elif match and len(parts) > 1 and parts[-2].match and not parts[-1].text.strip(" "):
            gap = parts.pop()
            parts[-1] = HighlightPart(text=parts[-1].text + gap.text + text, match=True)
        else:
            parts.append(HighlightPart(text=text, match=match))
    return parts


def unmarked(marked: str | None) -> str:
    """The text of a :func:`headline` without its marks."""
    return (marked or "").replace(MARK_START, "").replace(MARK_END, "")


# What the readiness check reads, and what it must find: an inflection, and a compound with linking -s (which
# only the converted dictionaries split: an image with hunspell-no as Debian ships it searches worse, and says so).
PROBES = {"legemidlene": "legemiddel", "sykehjemsavdelingen": "sykehjem"}


async def search_check(engine: AsyncEngine) -> dict[str, Any]:
    """Readiness: the dictionaries load and are the ones meant. Failing here, with the reason, beats a service that
    searches worse without a word, or cannot save what it searches (the generated search columns use them)."""
    probe = sa.text(
        f"SELECT word, tsvector_to_array(to_tsvector('{CONFIGURATION}', word)) AS lexemes "  # noqa: S608
        "FROM unnest(CAST(:words AS text[])) AS word"
    )
    try:
        async with engine.connect() as connection:
            rows = (await connection.execute(probe, {"words": list(PROBES)})).all()
    except sa.exc.DBAPIError as error:
        if _is_missing_dictionary(error):
            raise DictionariesMissing() from error
        raise
    for word, lexemes in rows:
        if PROBES[word] not in lexemes:
            raise CheckFailed(
                f"{CONFIGURATION} reads {word!r} as {lexemes}, not as {PROBES[word]!r}: the dictionaries are not "
                "the converted hunspell-no (docs/decisions.md, «Norwegian search»)"
            )
    return {"ok": True, "configuration": CONFIGURATION}
