"""Registration: the four corner marks found on the scan, and the page transform they give.

The QR code's corners already tie the printed page to the picture roughly (and say which way
up it is), so each corner mark is looked for near where that rough transform puts it, among
dark, solid, square blobs of the expected size (±35%). The transform from page points to
picture pixels is then fitted by least squares over the marks and the QR corners together;
its residual is kept, and a fit that stays poor with any one mark left out goes to review.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

MAX_RESIDUAL = 1.0  # pt: worse than this after the best leave-one-out fit, the page is refused
SEARCH = 80.0  # pt: how far a mark may be from where the QR code alone puts it (phone perspective)


@dataclass
class Registration:
    homography: np.ndarray  # 3x3, page points -> picture pixels
    residual: float  # pt, root mean square over the points used
    marks_used: int
    missing: list[str]  # corner names of marks not found or left out


class RegistrationError(Exception):
    """The page cannot be tied to its layout; the message is one line for review.csv."""


def register(gray: np.ndarray, page: dict, qr_corners: np.ndarray) -> Registration:
    q = page["qr"]
    qr_points = np.array([[q["x"], q["y"]], [q["x"] + q["w"], q["y"]], [q["x"] + q["w"], q["y"] + q["h"]],
                          [q["x"], q["y"] + q["h"]]], float)
    rough = _rough_transform(qr_points, qr_corners)
    scale = _scale(rough, qr_points.mean(axis=0))  # px per pt near the QR code
    marks = page["marks"]
    size = marks[0]["size"] * scale
    reach = SEARCH * scale
    found: dict[str, np.ndarray] = {}
    for mark in marks:
        point = _find_mark(gray, _apply(rough, np.array([[mark["x"], mark["y"]]], float))[0], size, reach)
        if point is not None:
            found[mark["corner"]] = point
    if len(found) < 3:
        missing = [m["corner"] for m in marks if m["corner"] not in found]
        raise RegistrationError(f"corner marks not found ({', '.join(missing)}); rescan with all four black squares visible")
    page_points = {m["corner"]: (m["x"], m["y"]) for m in marks}
    best = _best_fit(found, page_points, qr_points, qr_corners)
    if best.residual > MAX_RESIDUAL:
        raise RegistrationError(f"the page does not fit its layout (off by {best.residual:.1f} pt); rescan it flat")
    best.missing = [m["corner"] for m in marks if m["corner"] not in found] + best.missing
    return best


def _rough_transform(qr_points: np.ndarray, qr_corners: np.ndarray) -> np.ndarray:
    """Page points -> picture pixels from the QR code alone (3x3)."""
    import cv2

    # Rotation, scale and shift only: perspective fitted on a 66 pt symbol extrapolates wildly.
    similarity, _ = cv2.estimateAffinePartial2D(qr_points.astype(np.float32), qr_corners.astype(np.float32), method=cv2.LMEDS)
    if similarity is None:
        raise RegistrationError("the QR code's corners make no sense; rescan the page flat")
    return np.vstack([similarity, [0.0, 0.0, 1.0]])


def _find_mark(gray: np.ndarray, expected: np.ndarray, size: float, reach: float) -> np.ndarray | None:
    """The square blob of about `size` px nearest to `expected`, within `reach` px, or None."""
    # Only a window around where the mark should be is searched: fast, and nothing else
    # square and dark (a filled bubble, the QR code) is ever in reach.
    x0, y0 = (max(0, int(v - reach)) for v in expected)
    x1, y1 = int(expected[0] + reach), int(expected[1] + reach)
    window = gray[y0:y1, x0:x1]
    if window.shape[0] < size or window.shape[1] < size:
        return None
    candidates = _square_blobs(window, size) + (x0, y0)
    if not candidates.size:
        return None
    distance = np.hypot(*(candidates - expected).T)
    best = int(np.argmin(distance))
    return candidates[best] if distance[best] <= reach else None


def _best_fit(found: dict[str, np.ndarray], page_points: dict, qr_points: np.ndarray,
              qr_corners: np.ndarray) -> Registration:
    """The fit over every mark found, or, when that is poor and all four were found, the best
    fit with one mark left out (one stained or stapled corner is survivable)."""
    best = _fit(found, page_points, qr_points, qr_corners)
    if best.residual > MAX_RESIDUAL and len(found) == 4:
        for corner in list(found):
            trial = _fit({k: v for k, v in found.items() if k != corner}, page_points, qr_points, qr_corners)
            if trial.residual < best.residual:
                best = trial
    return best


def _fit(found: dict[str, np.ndarray], page_points: dict, qr_points: np.ndarray, qr_corners: np.ndarray) -> Registration:
    import cv2

    names = sorted(found)
    src = np.vstack([np.array([page_points[n] for n in names], float), qr_points])
    dst = np.vstack([np.array([found[n] for n in names], float), qr_corners])
    homography, _ = cv2.findHomography(src, dst, 0)
    if homography is None:
        return Registration(np.eye(3), float("inf"), len(names), [])
    # The residual in page points, so it means the same at any resolution.
    back = _apply(np.linalg.inv(homography), dst)
    residual = float(np.sqrt(np.mean(np.sum((back - src) ** 2, axis=1))))
    left_out = [c for c in ("top-left", "top-right", "bottom-left", "bottom-right") if c in page_points and c not in found]
    return Registration(homography, residual, len(names), left_out if len(names) == 3 else [])


def _apply(homography: np.ndarray, points: np.ndarray) -> np.ndarray:
    ones = np.hstack([points, np.ones((len(points), 1))])
    mapped = ones @ homography.T
    return mapped[:, :2] / mapped[:, 2:3]


def _scale(homography: np.ndarray, at: np.ndarray) -> float:
    a, b = _apply(homography, np.array([at, at + [1.0, 0.0]]))
    c = _apply(homography, np.array([at + [0.0, 1.0]]))[0]
    u, v = b - a, c - a
    return float(np.sqrt(abs(u[0] * v[1] - u[1] * v[0])))


def _square_blobs(gray: np.ndarray, size: float) -> np.ndarray:
    """Centres of dark, solid, roughly square blobs whose side is within 35% of `size` px."""
    import cv2

    block = int(size * 4) | 1
    binary = cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, block, 25)
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (max(3, int(size / 6)),) * 2)
    binary = cv2.morphologyEx(binary, cv2.MORPH_OPEN, kernel)  # dust and thin lines
    count, _, stats, centroids = cv2.connectedComponentsWithStats(binary, connectivity=8)
    keep = []
    for i in range(1, count):
        x, y, w, h, area = stats[i]
        if x <= 0 or y <= 0 or x + w >= binary.shape[1] or y + h >= binary.shape[0]:
            continue  # cut by the search window: part of something larger (a page edge, a shadow)
        if not (0.65 * size <= w <= 1.5 * size and 0.65 * size <= h <= 1.5 * size):
            continue
        if max(w, h) > 1.45 * min(w, h) or area < 0.55 * w * h:
            continue  # not square, or hollow (a QR finder pattern, a bubble ring)
        # A mark stands on white paper: a blob with ink around it is a corner of the table
        # under a photographed page, a fold's shadow or a filled bubble among others.
        pad = int(size * 0.5)
        around = binary[max(0, y - pad):y + h + pad, max(0, x - pad):x + w + pad]
        if (np.count_nonzero(around) - area) > 0.12 * (around.size - w * h):
            continue
        keep.append(centroids[i])
    return np.array(keep, float).reshape(-1, 2)
