"""The queries of reading coverage. A reader counts where they hold a role that is active on :today, the date
in Norway."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlmodel.ext.asyncio.session import AsyncSession

# Each reader is counted once, in the first unit (of the scope) where they hold a role. The scope comes in as an
# array, so the planner sees two plain tables and joins them by hashing (with a CTE used twice it chose a nested
# loop: 2 s for a sector of 5 000).
_COVERAGE = sa.text(
    """
    SELECT placed.unit_id, count(*) AS requested, count(*) FILTER (WHERE r.confirmed_at IS NOT NULL) AS confirmed
      FROM reading_request r
      LEFT JOIN (
          SELECT DISTINCT ON (person_id) person_id, unit_id FROM replica_role_assignment
           WHERE (starts_on IS NULL OR starts_on <= :today) AND (ends_on IS NULL OR ends_on >= :today)
             AND (CAST(:units AS uuid[]) IS NULL OR unit_id = ANY(CAST(:units AS uuid[])))
           ORDER BY person_id, unit_id
      ) AS placed ON placed.person_id = r.person_id
     WHERE r.version_id = :version_id AND r.superseded_at IS NULL
       AND (placed.unit_id IS NOT NULL OR CAST(:units AS uuid[]) IS NULL)
     GROUP BY placed.unit_id
    """
).bindparams(sa.bindparam("today", type_=sa.Date))

# Who has not read, a page by name: only those cross the wire (5 000 ids made into Python objects per request
# showed as 12 % of the request and, through the garbage collector, as its slow tail). The version's requests are
# read first by its key: filtered on "not confirmed" in the same scan, the planner and-ed the partial index of
# open requests (every open request of the kommune) into it, 30 ms instead of 5.
_NOT_READ = sa.text(
    """
    WITH asked AS MATERIALIZED (
        SELECT person_id, confirmed_at, superseded_at FROM reading_request WHERE version_id = :version_id
    )
    SELECT a.person_id, p.name FROM asked a
      LEFT JOIN replica_person p ON p.id = a.person_id
     WHERE a.superseded_at IS NULL AND a.confirmed_at IS NULL
       AND (CAST(:units AS uuid[]) IS NULL OR EXISTS (
            SELECT 1 FROM replica_role_assignment ra
             WHERE ra.person_id = a.person_id AND ra.unit_id = ANY(CAST(:units AS uuid[]))
               AND (ra.starts_on IS NULL OR ra.starts_on <= :today)
               AND (ra.ends_on IS NULL OR ra.ends_on >= :today)))
       AND (CAST(:after_name AS text) IS NULL
            OR (coalesce(p.name, ''), a.person_id) > (CAST(:after_name AS text), CAST(:after_id AS uuid)))
     ORDER BY coalesce(p.name, ''), a.person_id
     LIMIT :limit
    """
).bindparams(sa.bindparam("today", type_=sa.Date))


# Every open or confirmed request of a version in force whose reader holds an active role in the scope; the
# totals are over every document, also those on other pages. The requests are counted per version first and only
# the ~hundreds of groups meet the documents: joined before counting, the planner guessed 317 rows for 1.5 million
# and chose nested loops (2.3 s for 5 000 readers × 300 documents; 0.7 s this way, 70 ms for a virksomhet of
# 160). The totals row comes out even when the page after the cursor is empty. A kommune's whole picture belongs
# in reporting, fed by the reading events.
_OVERVIEW = sa.text(
    """
    WITH readers AS MATERIALIZED (
        SELECT DISTINCT person_id FROM replica_role_assignment
         WHERE unit_id = ANY(CAST(:units AS uuid[]))
           AND (starts_on IS NULL OR starts_on <= :today) AND (ends_on IS NULL OR ends_on >= :today)
    ), counted AS (
        SELECT r.document_id, r.version_id, count(*) AS requested,
               count(*) FILTER (WHERE r.confirmed_at IS NOT NULL) AS confirmed,
               count(*) FILTER (WHERE r.confirmed_at IS NULL AND r.due_on < :today) AS overdue
          FROM reading_request r JOIN readers p ON p.person_id = r.person_id
         WHERE r.superseded_at IS NULL
         GROUP BY r.document_id, r.version_id
    ), in_force AS MATERIALIZED (
        SELECT c.document_id, v.title, v.number AS version_number, c.requested, c.confirmed, c.overdue,
               c.confirmed::float8 / c.requested AS share
          FROM counted c
          JOIN document d ON d.id = c.document_id AND d.published_version_id = c.version_id
          JOIN document_version v ON v.id = c.version_id
    ), totals AS (
        SELECT coalesce(sum(requested), 0) AS all_requested, coalesce(sum(confirmed), 0) AS all_confirmed,
               coalesce(sum(overdue), 0) AS all_overdue, count(*) AS documents
          FROM in_force
    )
    SELECT t.all_requested, t.all_confirmed, t.all_overdue, t.documents,
           f.document_id, f.title, f.version_number, f.requested, f.confirmed, f.overdue, f.share
      FROM totals t
      LEFT JOIN LATERAL (
          SELECT * FROM in_force
           WHERE CAST(:after_share AS float8) IS NULL
              OR (share, title, document_id) > (CAST(:after_share AS float8), CAST(:after_title AS text),
                                                CAST(:after_id AS uuid))
           ORDER BY share, title, document_id
           LIMIT :limit
      ) f ON true
    """
).bindparams(sa.bindparam("today", type_=sa.Date))


async def per_unit(
    session: AsyncSession, version_id: uuid.UUID, units: list[uuid.UUID] | None, today: date
) -> Sequence[Any]:
    """(unit_id, requested, confirmed) of the version's readers, each in the first unit of the scope where they
    hold a role; ``unit_id`` None for readers without one (only when no scope is given)."""
    parameters = {"version_id": version_id, "units": units, "today": today}
    return (await session.execute(_COVERAGE, parameters)).all()


async def not_read(
    session: AsyncSession,
    version_id: uuid.UUID,
    units: list[uuid.UUID] | None,
    today: date,
    after: tuple[str, uuid.UUID] | None,
    limit: int,
) -> Sequence[Any]:
    """(person_id, name) of those in the scope who have not confirmed, by name, from after ``after``."""
    parameters = {
        "version_id": version_id,
        "units": units,
        "today": today,
        "after_name": after[0] if after else None,
        "after_id": after[1] if after else None,
        "limit": limit,
    }
    return (await session.execute(_NOT_READ, parameters)).all()


async def overview(
    session: AsyncSession,
    units: list[uuid.UUID],
    today: date,
    after: tuple[float, str, uuid.UUID] | None,
    limit: int,
) -> Sequence[Any]:
    """The totals of the scope on every row, and a page of its documents in force, the least read first; one
    row with the totals and no document when the page is empty."""
    parameters = {
        "units": units,
        "today": today,
        "after_share": after[0] if after else None,
        "after_title": after[1] if after else None,
        "after_id": after[2] if after else None,
        "limit": limit,
    }
    return (await session.execute(_OVERVIEW, parameters)).all()
