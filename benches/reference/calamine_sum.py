#!/usr/bin/env python3
"""The fastest script a user who knows Python could write instead of liaison: python-calamine
(the same Rust reader liaison uses) finds the 接待走访选民 column of every .xlsx in a folder and
sums it over the station rows. No checks at all: the floor a careful tool is measured against.

    python3 benches/reference/calamine_sum.py FOLDER

Prints JSON: {"files", "stations", "seconds" (in-process, after imports), "voters"}.
"""
import json
import sys
import time
from pathlib import Path

from python_calamine import CalamineWorkbook


def voters(path: Path) -> tuple[int, int]:
    wb = CalamineWorkbook.from_path(str(path))
    rows = wb.get_sheet_by_index(0).to_python()
    top, col = next((r, row.index(c)) for r, row in enumerate(rows[:20]) for c in row
                    if isinstance(c, str) and c.startswith("接待走访选民"))
    total = stations = 0
    for row in rows[top + 1:]:
        labels = "".join(str(c) for c in row[:col] if isinstance(c, str))
        if "合计" in labels or "总计" in labels or labels.startswith("注"):
            break
        if isinstance(row[col], (int, float)) and any(isinstance(c, str) and c for c in row[:col]):
            total += int(row[col])
            stations += 1
    return total, stations


def main() -> None:
    t = time.perf_counter()
    files = sorted(Path(sys.argv[1]).glob("*.xlsx"))
    sums = [voters(f) for f in files]
    print(json.dumps({
        "files": len(files),
        "stations": sum(s for _, s in sums),
        "seconds": time.perf_counter() - t,
        "voters": sum(v for v, _ in sums),
    }))


if __name__ == "__main__":
    main()
