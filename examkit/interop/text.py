"""Text between formats: the bank's Markdown subset to HTML and back, case studies folded into a
stem, and ids (bank slugs, XML NCNames) made from names and stems."""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser

_SLUG_OUT = re.compile(r"[^a-z0-9]+")
_NCNAME_OUT = re.compile(r"[^A-Za-z0-9_-]+")
_CASE = re.compile(r"^Case study: (?P<title>.+?)(?:\n\n|\.\s+)(?P<scenario>.+?)\s*Question:\s*(?P<stem>.+)$", re.S)


def markdown_html(text: str) -> str:
    """The bank's Markdown subset as safe HTML (the renderer's own converter)."""
    from ..render.markdown import render_markdown

    return str(render_markdown(text))


def one_line(text: str) -> str:
    return " ".join(text.split())


def with_case(question, *, single_line: bool = False) -> str:
    """The stem with its case study's scenario before it, so no item loses its context."""
    if not question.case_scenario:
        return question.stem
    if single_line:
        return one_line(f"Case study: {question.case_title}. {question.case_scenario} Question: {question.stem}")
    return f"Case study: {question.case_title}\n\n{question.case_scenario}\n\nQuestion: {question.stem}"


def split_case(stem: str) -> tuple[str | None, str | None, str]:
    """(case title, scenario, stem) of a stem written by `with_case`; (None, None, stem) otherwise."""
    found = _CASE.match(stem.strip())
    if not found:
        return None, None, stem
    return found["title"].strip(), found["scenario"].strip(), found["stem"].strip()


def slug(text: str, limit: int = 60) -> str:
    """A bank id from a name or stem: lowercase words joined by '-', cut at a word boundary."""
    words = _SLUG_OUT.sub(" ", text.lower()).split()
    out = ""
    for word in words:
        if len(out) + len(word) + 1 > limit and out:
            break
        out = f"{out}-{word}" if out else word[:limit]
    return out or "item"


def ncname(prefix: str, ident: str) -> str:
    """An XML NCName (never starting with a digit, no periods or spaces) from an id."""
    return f"{prefix}{_NCNAME_OUT.sub('_', ident.replace('.', '_'))}"


class UniqueIds:
    """Ids made unique in the order asked: the second `intro` becomes `intro-2`."""

    def __init__(self, taken: set[str] | None = None):
        self.taken = set(taken or ())

    def __call__(self, base: str) -> str:
        ident, n = base, 1
        while ident in self.taken:
            n += 1
            ident = f"{base[:76]}-{n}"
        self.taken.add(ident)
        return ident


# --------------------------------------------------------------------------- HTML to Markdown

_BLOCKS = {"p", "div", "li", "ul", "ol", "pre", "br", "h1", "h2", "h3", "h4", "h5", "h6", "table", "tr", "blockquote"}
_UNSUPPORTED = {"img": "an image", "video": "a video", "audio": "an audio clip", "object": "embedded media",
                "iframe": "embedded media", "embed": "embedded media", "math": "MathML", "svg": "an SVG drawing"}


class _ToMarkdown(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.lists: list[list] = []  # stack of [kind, counter]
        self.pre = 0
        self.skip = 0
        self.unsupported: list[str] = []
        self.marks: list[tuple[str, int]] = []  # open emphasis: (marker, index in out)

    def _open(self, marker: str) -> None:
        self.marks.append((marker, len(self.out)))
        self.out.append(marker)

    def _close(self, marker: str) -> None:
        """Close emphasis around its text; empty emphasis vanishes, spaces move outside the markers."""
        if not self.marks or self.marks[-1][0] != marker:
            return
        _, start = self.marks.pop()
        inner = "".join(self.out[start + 1:])
        del self.out[start:]
        if inner.strip():
            lead = inner[: len(inner) - len(inner.lstrip())]
            trail = inner[len(inner.rstrip()):]
            self.out.append(f"{lead}{marker}{inner.strip()}{marker}{trail}")
        else:
            self.out.append(inner)

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.skip += 1
        elif tag in _UNSUPPORTED:
            self.unsupported.append(_UNSUPPORTED[tag])
        elif tag in ("strong", "b"):
            self._open("**")
        elif tag in ("em", "i"):
            self._open("*")
        elif tag == "code" and not self.pre:
            self._open("`")
        elif tag == "pre":
            self.pre += 1
            self.out.append("\n\n```\n")
        elif tag in ("ul", "ol"):
            self.lists.append([tag, 0])
            self.out.append("\n\n")
        elif tag == "li":
            kind = self.lists[-1] if self.lists else ["ul", 0]
            kind[1] += 1
            self.out.append("\n" + ("- " if kind[0] == "ul" else f"{kind[1]}. "))
        elif tag == "br":
            self.out.append("\n")
        elif tag in _BLOCKS:
            self.out.append("\n\n")

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.skip = max(0, self.skip - 1)
        elif tag in ("strong", "b"):
            self._close("**")
        elif tag in ("em", "i"):
            self._close("*")
        elif tag == "code" and not self.pre:
            self._close("`")
        elif tag == "pre":
            self.pre = max(0, self.pre - 1)
            self.out.append("\n```\n\n")
        elif tag in ("ul", "ol"):
            if self.lists:
                self.lists.pop()
            self.out.append("\n\n")
        elif tag in _BLOCKS and tag != "li":
            self.out.append("\n\n")

    def handle_data(self, data):
        if self.skip:
            return
        self.out.append(data if self.pre else re.sub(r"\s+", " ", data))


def html_to_markdown(html: str) -> tuple[str, list[str]]:
    """HTML (Moodle, QTI, Canvas) as the bank's Markdown subset, plus what it held that a bank cannot
    (images, media); raw HTML is never kept."""
    parser = _ToMarkdown()
    parser.feed(html)
    parser.close()
    text = "".join(parser.out)
    lines = [line.rstrip() for line in text.split("\n")]
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    text = re.sub(r"[ \t]{2,}", " ", text) if "```" not in text else text
    return text, list(dict.fromkeys(parser.unsupported))


def looks_like_html(text: str) -> bool:
    return bool(re.search(r"</?[a-zA-Z][a-zA-Z0-9]*(\s[^<>]*)?/?>|&[a-z]+;|&#\d+;", text))


def plain(text: str) -> tuple[str, list[str]]:
    """Text that may be HTML, as Markdown; plain text passes with entities decoded."""
    if looks_like_html(text):
        return html_to_markdown(text)
    return unescape(text).strip(), []
