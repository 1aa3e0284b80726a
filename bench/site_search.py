"""Times the site search (POST /analysis/availability) against a running parkland.

    python3 bench/site_search.py http://127.0.0.1:8080 [--runs 200] [--warmup 10] [--db URL]

Sends the same request `runs` times, one after another (no concurrency: this measures the
latency of one search, not throughput), after `warmup` unmeasured ones, and prints p50,
p90, p99 and max in milliseconds as one JSON line. The first request of all is timed on
its own (`first_ms`): it reads the land graph into memory. With `--db`, one plot is then
written (a no-op update, which still counts as a change) and the next search timed
(`after_write_ms`): a write makes the next search read the graph again. The request is API.md's example over
every park: 300 亩, industrial land, four statuses, an interchange within 15 minutes,
five utilities, three constraint kinds excluded.
"""
import argparse
import json
import statistics
import subprocess
import time
import urllib.request

REQUEST = {
    "demand_mu": 300,
    "land_use": ["1001"],
    "industry": "汽车零部件",
    "include": ["available", "idle", "inefficient", "approved_unsupplied"],
    "access": {"highway_interchange": {"max_minutes": 15}},
    "infrastructure": ["road", "water_supply", "drainage", "power", "gas"],
    "exclude_constraints": ["ecological_redline", "permanent_farmland", "flood"],
    "limit": 10,
}


def once(url: str) -> tuple[float, int]:
    body = json.dumps(REQUEST).encode()
    req = urllib.request.Request(url + "/analysis/availability", data=body, headers={"content-type": "application/json"})
    start = time.perf_counter()
    with urllib.request.urlopen(req) as res:
        sites = len(json.load(res)["features"])
    return (time.perf_counter() - start) * 1000.0, sites


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("url")
    ap.add_argument("--runs", type=int, default=200)
    ap.add_argument("--warmup", type=int, default=10)
    ap.add_argument("--db", help="the served database, to time a search after a write")
    a = ap.parse_args()
    first, _ = once(a.url)
    for _ in range(a.warmup):
        once(a.url)
    times, sites = [], 0
    for _ in range(a.runs):
        t, sites = once(a.url)
        times.append(t)
    after_write = None
    if a.db:
        subprocess.run(["psql", a.db, "-qc", "UPDATE plots SET updated_at = updated_at WHERE id = (SELECT min(id) FROM plots)"], check=True)
        after_write, _ = once(a.url)
    times.sort()
    q = lambda p: times[min(len(times) - 1, int(round(p * (len(times) - 1))))]
    print(json.dumps({
        "endpoint": "POST /analysis/availability", "runs": a.runs, "sites": sites,
        "p50_ms": round(q(0.50), 1), "p90_ms": round(q(0.90), 1), "p99_ms": round(q(0.99), 1),
        "max_ms": round(times[-1], 1), "mean_ms": round(statistics.mean(times), 1),
        "first_ms": round(first, 1), "after_write_ms": None if after_write is None else round(after_write, 1),
    }))


if __name__ == "__main__":
    main()
