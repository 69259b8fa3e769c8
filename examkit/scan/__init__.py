"""Scanned answer sheets: paper in, responses.csv out, nothing misread silently.

pages (files -> grey page images), qr (which sheet), marks (corner marks -> page transform),
bubbles (darkness -> filled/empty/uncertain -> the grader's notation), reader (one page),
run (the pile: pages joined into sheets), review (responses.csv, review.csv, review.html).
OpenCV, zxing-cpp and pypdfium2 are imported only here, so `examkit --help` never loads them.
"""

from __future__ import annotations

from .run import NEEDS_REVIEW, ReviewRow, ScanReport, scan_files

__all__ = ["NEEDS_REVIEW", "ReviewRow", "ScanReport", "scan_files"]
