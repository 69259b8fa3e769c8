"""Validating exported files against the published QTI schemas, offline.

The QTI 2.1 schema imports three files by absolute URL; a resolver maps exactly those to the
copies in tests/fixtures/schemas/ and refuses every other URL, so no test touches the network.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from lxml import etree

SCHEMAS = Path(__file__).parent / "fixtures" / "schemas"
LOCAL = {
    "http://www.imsglobal.org/xsd/w3/2001/xml.xsd": SCHEMAS / "qti21" / "xml.xsd",
    "http://www.imsglobal.org/xsd/w3/2001/XInclude.xsd": SCHEMAS / "qti21" / "XInclude.xsd",
    "http://www.imsglobal.org/profile/apip/apipv1p0/apipv1p0_qtiextv2p1_v1p0.xsd":
        SCHEMAS / "qti21" / "apipv1p0_qtiextv2p1_v1p0.xsd",
}


class OfflineResolver(etree.Resolver):
    def resolve(self, url, public_id, context):
        if url in LOCAL:
            return self.resolve_filename(str(LOCAL[url]), context)
        if url.startswith(("http:", "https:", "ftp:")):
            raise ValueError(f"refusing to fetch {url} while validating; map it to a local schema")
        return None  # relative paths inside the schema folder resolve as files


def _load(path: Path) -> etree.XMLSchema:
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    parser.resolvers.add(OfflineResolver())
    return etree.XMLSchema(etree.parse(str(path), parser))


@lru_cache(maxsize=None)
def qti21() -> etree.XMLSchema:
    return _load(SCHEMAS / "qti21" / "imsqti_v2p1.xsd")


@lru_cache(maxsize=None)
def qti12() -> etree.XMLSchema:
    return _load(SCHEMAS / "qti12" / "ims_qtiasiv1p2.xsd")


def errors(schema: etree.XMLSchema, data: bytes | str) -> list[str]:
    """Every schema violation of one document, as 'line: message'."""
    doc = etree.fromstring(data.encode() if isinstance(data, str) else data,
                           etree.XMLParser(no_network=True, resolve_entities=False))
    if schema.validate(doc):
        return []
    return [f"{e.line}: {e.message}" for e in schema.error_log]
