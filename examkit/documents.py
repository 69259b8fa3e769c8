"""The documents examkit renders, and which of them weasyprint lays out.

Kept apart from examkit.render, and importing nothing of examkit's: `examkit render` reads it
first, to start weasyprint's slow import in the background before its own imports run.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Document:
    """One kind of document: whether it is made per form, whether it exists only as HTML, its
    cost rank (0 costliest: a batch starts the costliest, so its last job is a short one), and
    whether its PDF is drawn from computed geometry rather than laid out by weasyprint."""

    name: str
    per_form: bool
    html_only: bool
    cost: int
    drawn_pdf: bool = False

    @property
    def template(self) -> str:
        return f"{self.name}.html.j2"


# The one table of documents, in the order a teacher would print them; the rest derives from it.
DOCUMENT_TABLE = (
    Document("exam", per_form=True, html_only=False, cost=1),
    Document("sheet", per_form=True, html_only=False, cost=2, drawn_pdf=True),
    Document("key", per_form=False, html_only=False, cost=3),
    Document("teacher", per_form=True, html_only=False, cost=0),
    Document("practice", per_form=True, html_only=True, cost=4),
)
DOCUMENT = {d.name: d for d in DOCUMENT_TABLE}
DOCUMENTS = tuple(DOCUMENT)


def lays_out_pdf(formats: str | tuple[str, ...], only: str | tuple[str, ...]) -> bool:
    """Whether rendering these formats of these documents needs weasyprint (0.6-1 s to import):
    only a PDF that is laid out does; the answer sheet's is drawn. Unknown names are ignored here
    (the render refuses them with its own message)."""
    def names(value) -> set[str]:
        return {v.strip().lower() for v in (value.split(",") if isinstance(value, str) else value)}

    return "pdf" in names(formats) and any(
        not (DOCUMENT[d].html_only or DOCUMENT[d].drawn_pdf) for d in names(only) if d in DOCUMENT)
