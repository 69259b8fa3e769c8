"""HTML to PDF through weasyprint, with a URL fetcher that fetches nothing it should not.

The fetcher refuses every network scheme and any file outside the allowed roots (the templates
folder and the exam folder), so neither a template nor anything that slips into the HTML can
read `/etc/passwd` or call out. `data:` URLs are allowed: they carry their bytes inline.
weasyprint is imported inside the functions so `examkit --help` stays fast.
"""

from __future__ import annotations

import logging
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..fileio import write_atomic

LOGGER = logging.getLogger("examkit.render")


class FetchRefused(ValueError):
    """A URL the renderer will not fetch; weasyprint reports it and carries on without it."""


def check_url(url: str, allowed_roots: list[Path]) -> Path | None:
    """The local file a URL may be read from, None for a data: URL; FetchRefused otherwise."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "data":
        return None
    if scheme != "file":
        raise FetchRefused(f"refused to fetch {url!r}: examkit never uses the network while rendering")
    if parts.netloc not in ("", "localhost"):
        raise FetchRefused(f"refused to fetch {url!r}: a file on another host")
    path = Path(unquote(parts.path)).resolve()
    for root in allowed_roots:
        root = Path(root).resolve()
        if path == root or root in path.parents:
            return path
    raise FetchRefused(f"refused to fetch {url!r}: outside the templates and exam folders")


def make_fetcher(allowed_roots: list[Path]):
    """A weasyprint URL fetcher bound to `allowed_roots`; its `refused` list records refusals."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class LockedFetcher(URLFetcher):
        def __init__(self):
            super().__init__(allowed_protocols={"file", "data"}, allow_redirects=False)
            self.refused: list[str] = []

        def fetch(self, url, headers=None):
            try:
                path = check_url(url, allowed_roots)
            except FetchRefused as exc:
                self.refused.append(str(exc))
                raise
            if path is None:
                return super().fetch(url, headers)
            # Read the checked path ourselves: no urllib handler ever sees the URL.
            return URLFetcherResponse(path.as_uri(), path.read_bytes())

    return LockedFetcher()


def render_pages(html: str, allowed_roots: list[Path], base_url: Path | None = None):
    """`html` laid out as a weasyprint Document (pages not yet written), and its fetcher's refusals."""
    import weasyprint

    fetcher = make_fetcher(allowed_roots)
    base = base_url.resolve().as_uri() + "/" if base_url else None
    document = weasyprint.HTML(string=html, base_url=base, url_fetcher=fetcher).render()
    return document, fetcher.refused


def render_pdf_bytes(html: str, allowed_roots: list[Path], base_url: Path | None = None) -> tuple[bytes, list[str]]:
    """The PDF of `html`, and the refusals of its fetcher (one message per refused URL)."""
    document, refused = render_pages(html, allowed_roots, base_url)
    return document.write_pdf(), refused


def write_pdf(html: str, target: Path, allowed_roots: list[Path], base_url: Path | None = None) -> None:
    """Render `html` to `target` atomically; refused fetches are logged as warnings."""
    pdf, refused = render_pdf_bytes(html, allowed_roots, base_url)
    for message in refused:
        LOGGER.warning("%s: %s", target.name, message)
    write_atomic(target, pdf)
