#!/usr/bin/env python3
"""Shrink the polylines of SVG plots without changing how they look.

    svgthin.py FILE.svg...

A precision-recall curve over tens of thousands of rows has a point per
row, far more than the plot has pixels. Each polyline's points are rounded
to half a pixel, repeats dropped, and the middle points of straight
horizontal or vertical runs removed. Files are rewritten in place.
Standard library only.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

POLYLINE_POINTS = re.compile(r'(<polyline\b[^>]*?\bpoints=")([^"]*)(")')


def thin(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Repeats until nothing more goes, so thinning a thinned plot changes nothing."""
    kept = [(round(x * 2) / 2, round(y * 2) / 2) for x, y in points]
    while True:
        shorter = thin_once(kept)
        if len(shorter) == len(kept):
            return shorter
        kept = shorter


def thin_once(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    kept: list[tuple[float, float]] = []
    for p in points:
        if kept and p == kept[-1]:
            continue
        # p continues the straight run kept[-2] -> kept[-1]: the middle point adds nothing.
        if len(kept) >= 2 and (kept[-2][0] == kept[-1][0] == p[0] or kept[-2][1] == kept[-1][1] == p[1]):
            kept[-1] = p
        else:
            kept.append(p)
    return kept


def thin_points_attribute(text: str) -> str:
    numbers = [float(v) for v in re.split(r"[\s,]+", text.strip()) if v]
    points = list(zip(numbers[0::2], numbers[1::2]))
    return " ".join(f"{x:g},{y:g}" for x, y in thin(points))


def main() -> None:
    for name in sys.argv[1:]:
        path = Path(name)
        if not path.is_file():
            print(f"svgthin.py: {path}: no such file; skipped", file=sys.stderr)
            continue
        svg = path.read_text(encoding="utf-8")
        thinner = POLYLINE_POINTS.sub(lambda m: m.group(1) + thin_points_attribute(m.group(2)) + m.group(3), svg)
        path.write_text(thinner, encoding="utf-8")


if __name__ == "__main__":
    main()
