"""A small, safe Markdown subset for bank text: emphasis, inline code, code blocks and lists.

Everything is HTML-escaped first and only our own tags are added afterwards, so raw HTML in a
bank (`<script>`, `<img src=...>`) is always shown as text and never interpreted. There are no
links or images on purpose: a printed exam has nowhere to go, and a PDF renderer must fetch
nothing a bank author names.

A text that is a single plain paragraph comes back as inline HTML (no `<p>`), so it fits in a
label, a table cell or a list item; anything longer comes back as blocks.
"""

from __future__ import annotations

import functools
import re

from markupsafe import Markup, escape

_FENCE = re.compile(r"^\s*(```|~~~)")
_BULLET = re.compile(r"^\s*[-*+]\s+(.*)$")
_NUMBERED = re.compile(r"^\s*(\d+)[.)]\s+(.*)$")
_CODE_SPAN = re.compile(r"(`+)(.+?)\1", re.S)
# Emphasis markers must hug the words they wrap and may not sit inside a word, so
# identifiers such as snake_case_name or 2*3*4 stay as they are.
_STRONG = re.compile(r"(?<![\w*])\*\*(?=\S)(.+?)(?<=\S)\*\*(?![\w*])|(?<![\w_])__(?=\S)(.+?)(?<=\S)__(?![\w_])", re.S)
_EM = re.compile(r"(?<![\w*])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?![\w*])|(?<![\w_])_(?=[^\s_])(.+?)(?<=[^\s_])_(?![\w_])", re.S)
_PLACEHOLDER = "\x00{}\x00"


def render_markdown(text: str | None) -> Markup:
    """Bank text as safe HTML (see the module docstring for the subset)."""
    if not text:
        return Markup("")
    return _rendered(str(text))


# Every form of an exam set prints the same bank texts again: a pure function of its text,
# the HTML of each is worked out once per process.
@functools.lru_cache(maxsize=8192)
def _rendered(text: str) -> Markup:
    blocks = _blocks(text.replace("\r\n", "\n").replace("\r", "\n"))
    if len(blocks) == 1 and blocks[0][0] == "p":
        return Markup(_inline(blocks[0][1]))
    return Markup("\n".join(_block_html(kind, body) for kind, body in blocks))


def _blocks(text: str) -> list[tuple[str, object]]:
    """Split text into ('p', str), ('pre', str), ('ul'|'ol', [str]) blocks."""
    blocks: list[tuple[str, object]] = []
    lines = text.split("\n")
    i = 0
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            blocks.append(("p", " ".join(line.strip() for line in paragraph)))
            paragraph.clear()

    while i < len(lines):
        line = lines[i]
        fence = _FENCE.match(line)
        if fence:
            flush()
            marker = fence.group(1)
            body: list[str] = []
            i += 1
            while i < len(lines) and not lines[i].strip().startswith(marker):
                body.append(lines[i])
                i += 1
            i += 1  # the closing fence (an unclosed block runs to the end, like CommonMark)
            blocks.append(("pre", "\n".join(body)))
            continue
        if _BULLET.match(line) or _NUMBERED.match(line):
            flush()
            kind = "ul" if _BULLET.match(line) else "ol"
            pattern = _BULLET if kind == "ul" else _NUMBERED
            entries: list[str] = []
            while i < len(lines) and lines[i].strip():
                match = pattern.match(lines[i])
                if match:
                    entries.append(match.group(match.lastindex))
                elif entries and lines[i].startswith((" ", "\t")):
                    entries[-1] += " " + lines[i].strip()  # a wrapped entry continues
                else:
                    break
                i += 1
            blocks.append((kind, entries))
            continue
        if not line.strip():
            flush()
        else:
            paragraph.append(line)
        i += 1
    flush()
    return blocks


def _block_html(kind: str, body) -> str:
    if kind == "pre":
        return f"<pre><code>{escape(body)}</code></pre>"
    if kind in ("ul", "ol"):
        entries = "".join(f"<li>{_inline(entry)}</li>" for entry in body)
        return f"<{kind}>{entries}</{kind}>"
    return f"<p>{_inline(body)}</p>"


def _inline(text: str) -> str:
    codes: list[str] = []

    def keep_code(match: re.Match) -> str:
        codes.append(f"<code>{escape(match.group(2).strip())}</code>")
        return _PLACEHOLDER.format(len(codes) - 1)

    text = _CODE_SPAN.sub(keep_code, text.replace("\x00", ""))
    html = str(escape(text))
    html = _STRONG.sub(lambda m: f"<strong>{m.group(1) or m.group(2)}</strong>", html)
    html = _EM.sub(lambda m: f"<em>{m.group(1) or m.group(2)}</em>", html)
    return re.sub("\x00(\\d+)\x00", lambda m: codes[int(m.group(1))], html)
