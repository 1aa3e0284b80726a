"""Other requests while site searches run: how long a light request (the map's page, the
health check, a kept tile) waits on a parkland that is also searching.

    bash bench/busy.sh [searchers] [--plots N]     serves a benchmark database and runs this
    python3 bench/busy_search.py http://127.0.0.1:18181 [--searchers 4] [--seconds 10]
                                 [--path /map] [--write-db URL]

Starts `searchers` clients that each send bench/site_search.py's request again and again,
waits a second, then loads `path` with wrk (one thread, 4 connections) for `seconds`, and
prints one JSON line: the light request's requests/s, p50, p99 and max (ms), and the
searches answered meanwhile. The first search, which reads the land graph, is made before.
With `--write-db` (the served database), each searcher writes one plot before each search
(a no-op update, which still counts as a change), so every search reads the land graph
again: the plots written, with their neighbours.
"""
import argparse
import json
import re
import subprocess
import threading
import time

from site_search import once

WRITE = "UPDATE plots SET updated_at = updated_at WHERE id = (SELECT min(id) FROM plots)"


def ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()
    return round(float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit], 3)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("url")
    ap.add_argument("--searchers", type=int, default=4)
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--path", default="/map")
    ap.add_argument("--write-db", help="write a plot before each search, in this database")
    a = ap.parse_args()
    once(a.url)  # the land graph is read before the clock starts
    done, stop = [], threading.Event()

    def search():
        while not stop.is_set():
            if a.write_db:
                subprocess.run(["psql", a.write_db, "-qc", WRITE], check=True)
            once(a.url)
            done.append(time.perf_counter())

    searchers = [threading.Thread(target=search) for _ in range(a.searchers)]
    for t in searchers:
        t.start()
    time.sleep(1)
    start = time.perf_counter()
    out = subprocess.run(["wrk", "-t1", "-c4", f"-d{a.seconds}s", "--timeout", "30s", "--latency", a.url + a.path],
                         check=True, capture_output=True, text=True).stdout
    end = time.perf_counter()
    stop.set()
    for t in searchers:
        t.join()
    latency = dict(re.findall(r"^\s+(50|99)%\s+(\S+)", out, re.M))
    print(json.dumps({
        "path": a.path,
        "searchers": a.searchers,
        "requests_per_s": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50_ms": ms(latency["50"]),
        "p99_ms": ms(latency["99"]),
        "max_ms": ms(re.search(r"Latency\s+\S+\s+\S+\s+(\S+)", out).group(1)),
        "searches": sum(start <= t <= end for t in done),
        "writes": bool(a.write_db),
    }))


if __name__ == "__main__":
    main()
