"""The citizen pages' language: Traditional Chinese by default, English on request.

The reader chooses and the choice is remembered exactly as on the open-data portal
(``?_lang=en`` / ``?_lang=zh-TW``, the same cookie, the same 中文/English link): the mechanism
is :mod:`publish.i18n`'s. This module adds the zh-TW texts of the English messages the citizen
templates write, ``{{ _("Send") }}``, and what a page needs to speak the reader's language.

The messages are trusted template text and may hold markup (a link inside a sentence), so ``_``
returns them as ``Markup``; values filled in with ``|format(...)`` are escaped.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import Response

from publish import i18n

MESSAGES: dict[str, str] = {}


def page_language(request: Request) -> str:
    """The reader's language: ``?_lang=`` first, then the portal's cookie, else zh-TW."""
    return i18n.language_of(request.url.query, request.cookies)


def translator(language: str) -> Callable[[str], Markup]:
    """``_(message)`` for the templates: the message in ``language``, as trusted markup."""
    translate = i18n.translator(language, MESSAGES)
    return lambda message: Markup(translate(message))


def template_texts(language: str) -> dict[str, Any]:
    """``_`` and ``html_lang`` for a page in ``language`` (the staff pages always get zh-TW)."""
    return {"_": translator(language), "html_lang": i18n.HTML_LANG[language], "lang": language}


def citizen_page_texts(request: Request, address: str | None = None) -> dict[str, Any]:
    """Everything a citizen page needs for its language, including the link to the other one.

    The link leads to ``address`` (``path?query``), by default the page itself; a page answering
    a POST gives the address a browser can open again, as its own cannot be.
    """
    language = page_language(request)
    path, _, query = (address or f"{request.url.path}?{request.url.query}").partition("?")
    return {
        **template_texts(language),
        "lang_switch": i18n.language_switch(path, query, language),
    }


def remember_language(request: Request, response: Response) -> None:
    """Keep a ``?_lang=`` choice in the portal's cookie, so the whole visit stays in it."""
    requested = request.query_params.get(i18n.PARAM)
    if requested in i18n.LANGUAGES:
        response.headers.append("set-cookie", i18n.cookie_header(requested))
