"""A small XML reader that keeps each element's line, for `file:line` errors on import.

ElementTree's C parser forgets lines, and lxml is more than three formats' importers need.
Namespaces are dropped (QTI 2.1 and 1.2 files use several spellings of the same ones).
expat never fetches external entities or DTDs, so reading a file touches nothing else.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from xml.parsers import expat

from ..errors import ExamkitError, Problem


@dataclass
class Node:
    tag: str
    attrib: dict[str, str]
    line: int
    children: list[Node] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)  # text directly inside, in order
    mixed: list = field(default_factory=list)  # text and children in document order

    @property
    def text(self) -> str:
        return "".join(self.parts)

    def find(self, *path: str) -> Node | None:
        node: Node | None = self
        for tag in path:
            node = next((c for c in node.children if c.tag == tag), None)
            if node is None:
                return None
        return node

    def findall(self, tag: str) -> list[Node]:
        return [c for c in self.children if c.tag == tag]

    def iter(self, tag: str | None = None) -> Iterator[Node]:
        """This node and all below it in document order (a loop, not recursion: files nest deep)."""
        stack = [self]
        while stack:
            node = stack.pop()
            if tag is None or node.tag == tag:
                yield node
            stack.extend(reversed(node.children))

    def get(self, name: str, default: str | None = None) -> str | None:
        return self.attrib.get(name, default)

    def textof(self, *path: str) -> str:
        node = self.find(*path)
        return node.text if node is not None else ""


def _local(name: str) -> str:
    return name.rsplit(" ", 1)[-1].rsplit("}", 1)[-1].split(":")[-1] if name else name


def parse_xml(data: bytes, shown: str) -> Node:
    """Parse XML bytes; malformed input raises one `path:line` problem."""
    parser = expat.ParserCreate(namespace_separator=" ")
    stack: list[Node] = []
    root: list[Node] = []

    def start(name, attrs):
        node = Node(_local(name), {_local(k): v for k, v in attrs.items()}, parser.CurrentLineNumber)
        if stack:
            stack[-1].children.append(node)
            stack[-1].mixed.append(node)
        else:
            root.append(node)
        stack.append(node)

    def end(name):
        stack.pop()

    def chars(data):
        if stack:
            stack[-1].parts.append(data)
            stack[-1].mixed.append(data)

    def no_entities(*args):
        raise ExamkitError(Problem(shown, parser.CurrentLineNumber,
                                   "the XML declares entities, which examkit does not read; export the file again"))

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = chars
    parser.EntityDeclHandler = no_entities
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        hint = ("; save the file as UTF-8 or declare its encoding" if "token" in str(exc) or "encoding" in str(exc)
                else "; fix the markup or export the file again")
        raise ExamkitError(Problem(shown, exc.lineno, f"malformed XML ({expat.ErrorString(exc.code)}){hint}")) from None
    if not root:
        raise ExamkitError(Problem(shown, 1, "no XML element found; check the file"))
    return root[0]
