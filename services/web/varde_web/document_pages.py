"""What the documents pages share: the menu of the documents part, the kommune's units and folders, and reading a
form's lists (stikkord, lovhenvisninger) the way a person types them."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Mapping
from datetime import date
from typing import Any, get_args
from zoneinfo import ZoneInfo

from fastapi import Request
from fastapi.responses import HTMLResponse

from varde_common.calendar import oslo_today
from varde_common.events.documents import DocumentKindName
from varde_web.api import ApiProblem
from varde_web.document_roles import DocumentPowers
from varde_web.markup import document_html, highlighted
from varde_web.rendering import TEMPLATES, Page

OSLO = ZoneInfo("Europe/Oslo")
PAGE_SIZE = 25
# The kinds the documents service knows, as its events name them: a kind it adds shows here (and its text is missing
# from the catalogues until given, which test_catalogues tells).
KINDS: tuple[str, ...] = get_args(DocumentKindName)

TEMPLATES.env.filters["document_html"] = document_html
TEMPLATES.env.filters["highlighted"] = highlighted


def show(page: Page, template: str, status_code: int = 200, **values: Any) -> HTMLResponse:
    """A documents page, with the menu entries the person's roles give."""
    return page.render(
        f"documents/{template}", status_code=status_code, powers=DocumentPowers.of(page.person), **values
    )


def show_form(page: Page, template: str, problem: ApiProblem | None, **values: Any) -> HTMLResponse:
    """A page with a form: refused, with the API's status, its summary at the top and a message at each field."""
    return show(page, template, status_code=problem.status if problem else 200, **values, **form_problem(problem))


def paged(cursor: str | None, **params: Any) -> dict[str, Any]:
    """A list's query: the filters that are set, a page of ``PAGE_SIZE``, from ``cursor``."""
    query = {name: value for name, value in params.items() if value not in (None, "")}
    query["limit"] = PAGE_SIZE
    if cursor:
        query["cursor"] = cursor
    return query


def form_problem(problem: ApiProblem | None) -> dict[str, Any]:
    """What a form shows of the API's refusal: the summary at the top and the message at each field."""
    if problem is None:
        return {"problem": None, "errors": {}, "error_labels": {}}
    return {
        "problem": problem.problem,
        "errors": problem.field_messages,
        "error_labels": {name: label for name, (label, _) in problem.field_problems.items()},
    }


def today_in_oslo() -> date:
    return oslo_today()


async def units_and_folders(page: Page) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    units, folders = await asyncio.gather(
        page.api.every_item("/api/v1/directory/units"), page.api.every_item("/api/v1/documents/folders")
    )
    return [unit for unit in units if not unit.get("closed")], folders


def folder_paths(folders: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """Each folder with the path of names down to it ("Helse / Smittevern"), in the order of the paths: the API
    gives the folders flat, each naming its parent."""
    by_id = {str(folder["id"]): folder for folder in folders}

    def path(folder: dict[str, Any]) -> str:
        names, seen = [str(folder["name"])], {str(folder["id"])}
        parent = folder.get("parent_id")
        while parent and str(parent) in by_id and str(parent) not in seen:  # a loop would never end
            seen.add(str(parent))
            names.append(str(by_id[str(parent)]["name"]))
            parent = by_id[str(parent)].get("parent_id")
        return " / ".join(reversed(names))

    return sorted(((str(folder["id"]), path(folder)) for folder in folders), key=lambda pair: pair[1].casefold())


def an_id(value: str | None) -> str | None:
    """An id from a query or a form, or nothing: a hand-edited address gets the page without it, not an error."""
    if not value:
        return None
    try:
        return str(uuid.UUID(value))
    except ValueError:
        return None


def comma_list(text: str) -> list[str]:
    """Stikkord as a person types them: "hms, smittevern" (a comma or a new line between them)."""
    return [word.strip() for word in text.replace("\n", ",").split(",") if word.strip()]


def line_list(text: str) -> list[str]:
    """Lovhenvisninger, one a line: a reference may itself hold a comma ("§ 4, første ledd")."""
    return [line.strip() for line in text.splitlines() if line.strip()]


async def form_fields(request: Request) -> dict[str, str]:
    """A posted form's fields as text (none of these forms sends a file)."""
    return {key: str(value) for key, value in (await request.form()).items()}


def form_text(form: Mapping[str, Any], name: str) -> str:
    return str(form.get(name, "")).strip()
