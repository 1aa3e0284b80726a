"""Times reading the past against reading the present (bench/versions.sh): an items page
of 100 (the first, and one deep in the collection), now and as of an instant; a park's
ledger now and as of it; and what a kept version costs in storage. Prints one JSON line."""
import argparse
import json
import statistics
import subprocess
import time
import urllib.request


def median_ms(url, runs):
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        with urllib.request.urlopen(url, timeout=120) as r:
            r.read()
            assert r.status == 200, url
        times.append((time.perf_counter() - t) * 1000)
    return round(statistics.median(times), 1)


def psql(db, sql):
    return subprocess.run(["psql", db, "-Atqc", sql], check=True, capture_output=True, text=True).stdout.strip()


p = argparse.ArgumentParser()
p.add_argument("base")
p.add_argument("--runs", type=int, default=30)
p.add_argument("--db", required=True)
p.add_argument("--instant", required=True)
p.add_argument("--writes-s", type=float, required=True)
a = p.parse_args()
at = "&datetime=" + a.instant
park = psql(a.db, "SELECT park_id FROM plots GROUP BY 1 ORDER BY count(*) DESC LIMIT 1")
out = {"runs": a.runs, "instant": a.instant, "ten_rounds_of_100000_writes_s": a.writes_s}
for name, q in [("first_page", "limit=100"), ("deep_page", "limit=100&offset=500000"), ("park_page", f"limit=100&park_id={park}")]:
    now = median_ms(f"{a.base}/collections/plots/items?{q}", a.runs)
    then = median_ms(f"{a.base}/collections/plots/items?{q}{at}", a.runs)
    out[name] = {"now_ms": now, "as_of_ms": then, "ratio": round(then / now, 2)}
ledger_now = median_ms(f"{a.base}/parks/{park}/ledger", a.runs)
ledger_then = median_ms(f"{a.base}/parks/{park}/ledger?datetime={a.instant}", a.runs)
out["park_ledger"] = {"park": park, "now_ms": ledger_now, "as_of_ms": ledger_then}
versions = int(psql(a.db, "SELECT count(*) FROM history.plots"))
size = int(psql(a.db, "SELECT pg_total_relation_size('history.plots')"))
out["history_plots"] = {"versions": versions, "bytes": size, "bytes_per_version": round(size / max(versions, 1))}
print(json.dumps(out))
