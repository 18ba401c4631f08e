"""How each measurement's cost grows with the library: python -m bench.growth [SMALL LARGE].

Reads bench/results-<pages>.json that make bench wrote at each size (1000 and 10000 by
default: `make bench` and `make bench BENCH_PAGES=10000`), and bench/results-listings-<pages>.json
that python -m bench.listings wrote, and prints one table: each row's rate and p99 latency (or
time and bytes for the listings) at both sizes, and large ÷ small. A rate's ratio below
1 is a slowdown; a time's or size's ratio above 1 is growth. On a busy machine compare the
"of bare view" lines: each is a rate over the bare Django view's measured beside it, so load
that comes and goes weighs on both; a ratio within about ±15% is no change.
"""

import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def load(name):
    path = HERE / name
    return json.loads(path.read_text()) if path.exists() else None


def main(small=1000, large=10000):
    rows = []
    a, b = load(f"results-{small}.json"), load(f"results-{large}.json")
    if a and b:
        for key, row in a["rows"].items():
            other = b["rows"].get(key)
            if other is None:
                continue
            label = re.sub(r", [\d,]+ pages", "", row["label"])
            rows.append((label, "req/s", row["rps"], other["rps"], "{:,.0f}"))
            if "beside" in row and "beside" in other:
                # The rate as a share of the bare view measured beside it: the machine's other
                # load weighs on both, so this is the comparison to read on a busy machine.
                share = row["rps"] / row["beside"], other["rps"] / other["beside"]
                rows.append(("", "of bare view", *share, "{:.0%}"))
            rows.append(("", "p99 ms", row["p99"], other["p99"], "{:.1f}"))
    la, lb = load(f"results-listings-{small}.json"), load(f"results-listings-{large}.json")
    if la and lb:
        for key, row in la["rows"].items():
            other = lb["rows"].get(key)
            if other is None:
                continue
            rows.append(
                (f"{key} (in process)", "cold ms", row["cold_ms"], other["cold_ms"], "{:.1f}")
            )
            rows.append(("", "warm ms", row["warm_ms"], other["warm_ms"], "{:.1f}"))
            rows.append(("", "bytes", row["bytes"], other["bytes"], "{:,}"))
    if not rows:
        sys.exit(
            f"No results for both {small} and {large} pages in bench/: run make bench at each."
        )
    print(f"| measurement | | {small:,} pages | {large:,} pages | ratio |")
    print("| --- | --- | ---: | ---: | ---: |")
    for name, unit, x, y, shown in rows:
        ratio = f"{y / x:.2f}" if x else "—"
        print(f"| {name} | {unit} | {shown.format(x)} | {shown.format(y)} | {ratio} |")


if __name__ == "__main__":
    main(*(int(arg) for arg in sys.argv[1:3]))
