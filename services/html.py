"""Comment bodies: sanitised HTML (single-page apps render it) and a plain-text rendering.

The sanitiser is Ammonia (through nh3): scripts, styles, event handlers, forms and frames go; links keep
http, https and mailto only and open with rel="noopener noreferrer nofollow"; images stay only when they
point at deskql's own attachment downloads, so a body cannot load remote images (tracking pixels) or data.
An image source is judged the way a browser or a proxy would read it (tabs and line breaks dropped,
backslashes as slashes, percent-escapes decoded, dot segments resolved): ``/attachments/../graphql`` goes.
A body longer than MAX_BODY characters is cut to MAX_BODY, ending with an ellipsis, and marked truncated.
"""

from __future__ import annotations

import html
import posixpath
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import unquote

import nh3

from services.validation import printable

MAX_BODY = 64_000
ELLIPSIS = "\u2026"
ATTACHMENT_PATH = "/attachments/"
_TAGS = (set(nh3.ALLOWED_TAGS) - {"area", "map"}) | {"span", "div"}
_BLOCKS = {
    "p",
    "div",
    "br",
    "li",
    "tr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "pre",
    "hr",
    "table",
    "ul",
    "ol",
}
_TRAILING_CLOSERS = re.compile(r"(</[a-z0-9]+>)*$")
_URL_NOISE = re.compile(r"[\t\n\r]")  # browsers drop these anywhere in a URL
_C0_AND_SPACE = "".join(map(chr, range(0x21)))  # and these at either end
_MAX_DECODINGS = 4


def _attachment_source(src: str) -> str | None:
    """The image source when it stays inside ATTACHMENT_PATH once resolved, else None."""
    value = _URL_NOISE.sub("", src).strip(_C0_AND_SPACE)
    if not value.startswith(ATTACHMENT_PATH):
        return None
    path = re.split(r"[?#]", value, maxsplit=1)[0]
    for _ in range(_MAX_DECODINGS):
        decoded = unquote(path).replace("\\", "/")
        if decoded == path:
            break
        path = decoded
    else:
        return None
    return value if posixpath.normpath(path).startswith(ATTACHMENT_PATH) else None


def _keep_attribute(tag: str, attribute: str, value: str) -> str | None:
    if tag == "img" and attribute == "src":
        return _attachment_source(value)
    return value


_IMAGE_WITHOUT_SOURCE = re.compile(r"<img(?![^>]*\ssrc=)[^>]*>")


def clean(body: str) -> str:
    sanitised = nh3.clean(
        printable(body),
        tags=_TAGS,
        attribute_filter=_keep_attribute,
        link_rel="noopener noreferrer nofollow",
        url_schemes={"http", "https", "mailto"},
    )
    return _IMAGE_WITHOUT_SOURCE.sub("", sanitised)


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCKS:
            self.parts.append("\n")
        if tag == "li":
            self.parts.append("- ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCKS and tag != "li":
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def to_text(sanitised: str) -> str:
    parser = _Text()
    parser.feed(sanitised)
    parser.close()
    lines = [" ".join(line.split()) for line in "".join(parser.parts).splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def from_text(text: str) -> str:
    """Plain text (an email without HTML) as HTML paragraphs."""
    paragraphs = re.split(r"\n\s*\n", text.strip())
    return "".join("<p>" + html.escape(p).replace("\n", "<br>") + "</p>" for p in paragraphs if p.strip())


@dataclass(frozen=True)
class Body:
    html: str
    text: str
    truncated: bool

    @property
    def empty(self) -> bool:
        return not self.text and "<img" not in self.html


def _cut_html(sanitised: str) -> str:
    cut = MAX_BODY - 1
    while True:
        shortened = clean(sanitised[:cut])
        closers = _TRAILING_CLOSERS.search(shortened)
        at = closers.start() if closers else len(shortened)
        candidate = shortened[:at] + ELLIPSIS + shortened[at:]
        if len(candidate) <= MAX_BODY:
            return candidate
        cut -= len(candidate) - MAX_BODY + 16


def render(body: str) -> Body:
    """Sanitise, render as text, and cut both to MAX_BODY characters when longer."""
    sanitised = clean(body)
    truncated = len(sanitised) > MAX_BODY
    if truncated:
        sanitised = _cut_html(sanitised)
    text = to_text(sanitised)
    if len(text) > MAX_BODY:
        text = text[: MAX_BODY - 1] + ELLIPSIS
        truncated = True
    return Body(html=sanitised, text=text, truncated=truncated)
