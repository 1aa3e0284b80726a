"""The health check while clients send bad tokens: how long /health waits on a parkland
whose token checks are being flooded.

    bash bench/hostile.sh                          serves the demo data and runs this
    python3 bench/bad_tokens.py http://127.0.0.1:18181 --token-id ID [--clients 16]
                                [--seconds 10] [--fresh]

Starts `clients` threads that each send a write (a dry-run import) with a token naming a
real token's id and a wrong secret, again and again; waits a second, then loads /health
with wrk (one thread, 4 connections) for `seconds`, and prints one JSON line: /health's
requests/s, p50, p95, p99 and max (ms), and the bad requests answered meanwhile. With
`--fresh` every bad token is new (its secret random), so none is answered from memory:
each costs an argon2 verification, the worst case; without it each client repeats one.
"""
import argparse
import http.client
import json
import re
import secrets
import subprocess
import threading
import time
from urllib.parse import urlsplit

from busy_search import ms


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("url")
    ap.add_argument("--token-id", required=True)
    ap.add_argument("--clients", type=int, default=16)
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--fresh", action="store_true")
    a = ap.parse_args()
    host = urlsplit(a.url)
    done, statuses, stop = [], {}, threading.Event()

    def flood():
        conn = http.client.HTTPConnection(host.hostname, host.port, timeout=60)
        secret = secrets.token_hex(24)
        while not stop.is_set():
            if a.fresh:
                secret = secrets.token_hex(24)
            conn.request("POST", "/import?dry_run=true", body=b"{}", headers={
                "authorization": f"Bearer pl_{a.token_id}_{secret}", "content-type": "application/geo+json"})
            res = conn.getresponse()
            res.read()
            statuses[res.status] = statuses.get(res.status, 0) + 1
            done.append(time.perf_counter())

    clients = [threading.Thread(target=flood) for _ in range(a.clients)]
    for t in clients:
        t.start()
    time.sleep(1)
    start = time.perf_counter()
    out = subprocess.run(["wrk", "-t1", "-c4", f"-d{a.seconds}s", "--timeout", "30s", "-s", "bench/percentiles.lua", a.url + "/health"],
                         check=True, capture_output=True, text=True).stdout
    end = time.perf_counter()
    stop.set()
    for t in clients:
        t.join()
    latency = {p: int(us) / 1000 for p, us in re.findall(r"^p(\d+) (\d+)$", out, re.M)}
    print(json.dumps({
        "clients": a.clients,
        "fresh_tokens": a.fresh,
        "health_requests_per_s": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50_ms": latency["50"],
        "p95_ms": latency["95"],
        "p99_ms": latency["99"],
        "max_ms": ms(re.search(r"Latency\s+\S+\s+\S+\s+(\S+)", out).group(1)),
        "bad_requests": sum(start <= t <= end for t in done),
        "statuses": statuses,
    }))


if __name__ == "__main__":
    main()
