"""A browser is sent back only to a path of this site: every spelling of another site's address is refused."""

from __future__ import annotations

import pytest

from varde_common.redirects import site_path


@pytest.mark.parametrize("path", ["/", "/mine", "/saker/0b9e?fane=tiltak", "/behandling?status=registered&q=fall"])
def test_a_path_of_this_site_is_kept(path: str) -> None:
    assert site_path(path) == path


@pytest.mark.parametrize(
    "elsewhere",
    [
        "//angriper.example",
        "/\\angriper.example",
        "\\\\angriper.example",
        "https://angriper.example/",
        "angriper.example",
        "/\t/angriper.example",
        "/\n/angriper.example",
        "/ /angriper.example",
        "",
        None,
    ],
)
def test_another_site_or_no_path_goes_to_the_start_page(elsewhere: str | None) -> None:
    assert site_path(elsewhere) == "/"
