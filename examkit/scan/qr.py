"""The sheet's QR code: which exam set, form and page a scan is, and where the symbol lies.

zxing-cpp finds the symbol at any rotation and reports its four corners in the symbol's own
order (top-left, top-right, bottom-right, bottom-left as printed), which is all it takes to
know whether a page is upside down and where its corner marks should be.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..render.sheet import QR_PREFIX


@dataclass
class QrReading:
    text: str
    corners: np.ndarray  # 4x2 float, image pixels, in the symbol's printed order


def read_qr(gray: np.ndarray) -> QrReading | None:
    """The sheet's QR code on this page, or None when no examkit code decodes.

    Tried as it is, then binarised against local light (for uneven phone photos), then
    shrunk (JPEG noise on a large scan can hide the module edges).
    """
    import cv2

    attempts = [lambda: gray,
                lambda: cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY, 51, 10),
                lambda: cv2.GaussianBlur(gray, (3, 3), 0)]
    for attempt in attempts:
        found = _decode(attempt())
        if found is not None:
            return found
    return None


def _decode(image: np.ndarray) -> QrReading | None:
    import zxingcpp

    for barcode in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode):
        if barcode.text.startswith(QR_PREFIX):
            p = barcode.position
            corners = np.array([[q.x, q.y] for q in (p.top_left, p.top_right, p.bottom_right, p.bottom_left)], float)
            return QrReading(barcode.text, corners)
    return None
