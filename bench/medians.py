#!/usr/bin/env python3
"""Summary of a bench run: lines "run|server|figure|value" in, medians per server and figure out, with each
Cascade figure's ratio to redis-server's taken within the same run (the machines are noisy: ratios of the same
run are what compare). Used by the bench scripts: medians.py OUTPUT_FILE."""
import statistics
import sys

vals = {}
for line in open(sys.argv[1]):
    f = line.rstrip("\n").split("|")
    if len(f) == 4:
        vals[(f[0], f[1], f[2])] = float(f[3])
runs = sorted({k[0] for k in vals})
names = list(dict.fromkeys(k[1] for k in vals))
figures = list(dict.fromkeys(k[2] for k in vals))
print("\nmedians over %d runs (ratio: median of cascade/redis-server within each run)" % len(runs))
print("%-34s" % "" + "".join("%22s" % n for n in names))
for fig in figures:
    row = "%-34s" % fig
    for n in names:
        v = [vals[(r, n, fig)] for r in runs if (r, n, fig) in vals]
        ratio = [vals[(r, n, fig)] / vals[(r, "redis", fig)] for r in runs
                 if (r, n, fig) in vals and vals.get((r, "redis", fig))]
        row += "%22s" % ("%.1f" % statistics.median(v) + ("" if n == "redis" else " (%.2f)" % statistics.median(ratio)))
    print(row)
