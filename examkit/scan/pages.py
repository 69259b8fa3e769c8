"""The pages of a pile of scans: which files hold them, and each page as a grey image.

A scan is a PDF as copiers write it, an image (PNG, JPEG, TIFF, also multi-page TIFF) or a
folder of them. Listing the pages opens each file once to count them; a page's pixels are
made only when that page is read, so a pile of any size is read in constant memory.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import Problem, display_path

PDF_SUFFIXES = {".pdf"}
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp"}
REOPEN_EVERY = 16  # PDF pages read before the document is opened afresh
MAX_SIDE = 1800  # px: larger scans and photos are shrunk first (about 150 dpi for A4, plenty for 4 mm bubbles)


@dataclass(frozen=True)
class PageRef:
    """Page `index` (from 0) of the file `path`, which is a PDF or an image file."""

    path: Path
    index: int
    kind: str  # "pdf" or "image"

    @property
    def source(self) -> str:
        return display_path(self.path)

    @property
    def number(self) -> int:
        return self.index + 1


class PageError(Exception):
    """A page or file that cannot be read; its message is one line for review.csv."""


def list_pages(scans: list[Path], skip: Path | None = None) -> tuple[list[PageRef], list[Problem]]:
    """Every page of every scan, in the order given (folders sorted by name), and the files
    that are not scans at all. Files under `skip` (the scanner's own crops and page pictures)
    are passed over when a folder is listed."""
    refs: list[PageRef] = []
    problems: list[Problem] = []
    skipped = skip.resolve() if skip is not None else None
    for path in _files(scans):
        if skipped is not None and skipped in path.resolve().parents:
            continue
        try:
            count, kind = _count_pages(path)
        except PageError as exc:
            problems.append(Problem(display_path(path), None, str(exc)))
            continue
        refs.extend(PageRef(path, i, kind) for i in range(count))
    return refs, problems


def _files(scans: list[Path]) -> Iterator[Path]:
    for scan in scans:
        scan = Path(scan)
        if scan.is_dir():
            yield from sorted(p for p in scan.rglob("*") if p.is_file() and p.suffix.lower() in PDF_SUFFIXES | IMAGE_SUFFIXES)
        else:
            yield scan


def _count_pages(path: Path) -> tuple[int, str]:
    if not path.is_file():
        raise PageError("no such file; check the path")
    with open(path, "rb") as handle:
        head = handle.read(8)
    if head.startswith(b"%PDF"):
        document = _open_pdf(path)
        try:
            return len(document), "pdf"
        finally:
            document.close()
    if path.suffix.lower() in IMAGE_SUFFIXES or _looks_like_image(head):
        if not _looks_like_image(head):
            raise PageError("not an image, though it is named like one; scan to PDF, PNG, JPEG or TIFF")
        if head.startswith((b"II*\x00", b"MM\x00*")):
            import cv2

            return max(1, cv2.imcount(str(path))), "image"
        return 1, "image"  # decoding errors are reported when the page is read
    raise PageError("not a PDF or an image file; scan to PDF, PNG, JPEG or TIFF")


def _looks_like_image(head: bytes) -> bool:
    return head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*", b"BM"))


def _open_pdf(path: Path):
    import pypdfium2 as pdfium

    try:
        return pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower() or "security" in str(exc).lower():
            raise PageError("the PDF is encrypted; save it again without a password") from None
        raise PageError(f"not a readable PDF ({exc}); scan it again or export it anew") from None


class Rasteriser:
    """Makes a page's grey pixels; keeps the last PDF open, since pages come in file order."""

    def __init__(self, dpi: int):
        self.dpi = dpi
        self._path: Path | None = None
        self._document = None
        self._pages = 0  # read from the open document

    def gray(self, ref: PageRef):
        """The page as a 2-D uint8 array (255 = white), at most MAX_SIDE pixels on its long side."""
        import cv2

        if ref.kind == "pdf":
            image = self._pdf_page(ref)
        elif ref.path.suffix.lower() in (".tif", ".tiff"):
            ok, frames = cv2.imreadmulti(str(ref.path), flags=cv2.IMREAD_GRAYSCALE, start=ref.index, count=1)
            image = frames[0] if ok and frames else None
        else:
            image = cv2.imread(str(ref.path), cv2.IMREAD_GRAYSCALE)
        if image is None or image.size == 0:
            raise PageError("cannot decode the image; scan it again")
        long_side = max(image.shape)
        if long_side > MAX_SIDE:
            factor = MAX_SIDE / long_side
            image = cv2.resize(image, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)
        return image

    def _pdf_page(self, ref: PageRef):
        # pdfium keeps what it has decoded until its document is closed: reopening the file
        # every few pages keeps memory flat however long the pile.
        if self._path != ref.path or self._pages >= REOPEN_EVERY:
            self.close()
            self._document = _open_pdf(ref.path)
            self._path = ref.path
        self._pages += 1
        page = self._document[ref.index]
        try:
            scan = _embedded_jpeg(page)
            if scan is not None:
                return scan
            # Never drawn larger than reading uses: pdfium's own downsampling is the cheap one.
            scale = min(self.dpi / 72, MAX_SIDE / max(page.get_width(), page.get_height(), 1.0))
            bitmap = page.render(scale=scale, grayscale=True)
            return bitmap.to_numpy().copy().reshape(bitmap.height, bitmap.width)
        except Exception as exc:  # pdfium reports a broken page only as it draws it
            raise PageError(f"cannot draw this PDF page ({exc}); scan it again") from None
        finally:
            page.close()

    def close(self) -> None:
        if self._document is not None:
            self._document.close()
        self._document, self._path, self._pages = None, None, 0


def _embedded_jpeg(page):
    """The page's scan decoded straight from its JPEG, when the page is one JPEG image covering
    it (what copiers write); None otherwise. Drawing such a page through pdfium costs several
    times the decoding, and where the image is turned or scaled on the page does not matter:
    the scanner finds the page's orientation and scale on the picture itself."""
    import cv2
    import numpy as np
    import pypdfium2.raw as pdfium_c

    images = [o for o in page.get_objects(max_depth=1) if o.type == pdfium_c.FPDF_PAGEOBJ_IMAGE]
    if len(images) != 1 or images[0].get_filters() != ["DCTDecode"]:
        return None
    left, bottom, right, top = images[0].get_bounds()
    if (right - left) * (top - bottom) < 0.8 * page.get_width() * page.get_height():
        return None
    width, height = images[0].get_px_size()
    # libjpeg decodes at half size for little more than the cost of reading the file.
    flags = cv2.IMREAD_REDUCED_GRAYSCALE_2 if max(width, height) >= 1.6 * MAX_SIDE else cv2.IMREAD_GRAYSCALE
    data = np.frombuffer(bytes(images[0].get_data(decode_simple=False)), np.uint8)
    return cv2.imdecode(data, flags)  # None (undecodable) falls back to pdfium's drawing
