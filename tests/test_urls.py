from __future__ import annotations

import pytest

from site_builder.urls import absolute_url, relative_url


@pytest.mark.parametrize(("target", "page", "expected"), [
    ("papier/avis/", "donner-mon-avis/", "../papier/avis/"),
    ("papier/avis/", "", "papier/avis/"),
    ("aide/", "explications/budget/", "../../aide/"),
    ("", "explications/budget/", "../../"),
    ("faq/", "faq/", "./"),
    ("donner-mon-avis/", "papier/avis/", "../../donner-mon-avis/"),
    ("aide.html", "explications/budget.html", "../aide.html"),
    ("faq/#compte", "aide/", "../faq/#compte"),
    ("https://belval.example/", "faq/", "https://belval.example/"),
    ("/collect", "faq/", "/collect"),
])
def test_relative_url(target: str, page: str, expected: str) -> None:
    assert relative_url(target, page) == expected


def test_absolute_url_with_and_without_site_url() -> None:
    assert absolute_url("../aide/", "avis/", None) == "/aide/"
    assert absolute_url("../aide/", "avis/", "https://belval.example/place") == (
        "https://belval.example/place/aide/")
    assert absolute_url("mailto:a@b.example", "avis/", None) == "mailto:a@b.example"
