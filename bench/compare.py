#!/usr/bin/env python3
"""parkland side by side with TiPg, Martin and raw PostGIS (pgbench), on one database.

Each server is started on loopback for each endpoint on its own (so its peak RSS is that
endpoint's), warmed with a few requests, then loaded by wrk with the same threads,
connections and duration for every server. The raw-PostGIS reference runs, with pgbench at
the same concurrency, SQL that builds the same GeoJSON page or MVT tile. Each server is
measured in several rounds, taken in turn with the others; the table gives the median
round and every round's requests/s.

Usage: compare.py DATABASE_URL --label LABEL [--seconds 5] [--rounds 3] [--connections 16]
Prints the Markdown table and writes it, with the command, to bench/RESULTS.md between
the markers of LABEL.
"""

import argparse
import json
import math
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PORTS = {"parkland": 18181, "TiPg": 18182, "Martin": 18183}


def psql(url, sql):
    return subprocess.run(["psql", url, "-Atqc", sql], check=True, capture_output=True, text=True).stdout.strip()


def tile_of(lon, lat, z):
    n = 2 ** z
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.log(math.tan(math.radians(lat)) + 1 / math.cos(math.radians(lat))) / math.pi) / 2 * n)
    return z, x, y


def setting(url):
    """The places the endpoints ask about: a bbox of 1 % of the largest park's area at its
    centre, the first plot there, and the tiles over that centre."""
    row = psql(url, """
        WITH k AS (SELECT boundary, area_m2 FROM parks ORDER BY area_m2 DESC, id LIMIT 1),
             c AS (SELECT ST_PointOnSurface(boundary) AS p, sqrt(area_m2 * 0.01) AS side FROM k),
             b AS (SELECT ST_Transform(ST_Expand(ST_Transform(p, 3857), side / 2 / cos(radians(ST_Y(p)))), 4326) AS box, p FROM c)
        SELECT ST_X(p), ST_Y(p), ST_XMin(box), ST_YMin(box), ST_XMax(box), ST_YMax(box),
               (SELECT min(id) FROM plots WHERE geom && box) FROM b""")
    lon, lat, x0, y0, x1, y1, plot = row.split("|")
    return {"lon": float(lon), "lat": float(lat), "bbox": [float(v) for v in (x0, y0, x1, y1)], "plot": int(plot)}


def endpoints(s):
    bbox = ",".join(f"{v:.6f}" for v in s["bbox"])
    z14 = "{}/{}/{}".format(*tile_of(s["lon"], s["lat"], 14))
    z10 = "{}/{}/{}".format(*tile_of(s["lon"], s["lat"], 10))
    cql = "status%3D%27available%27%20AND%20area_mu%3E10"
    search = json.dumps({"demand_mu": 300, "limit": 10})
    return [
        ("items page of 100 in 1 % of a park", {
            "parkland": f"/collections/plots/items?bbox={bbox}&limit=100",
            "TiPg": f"/collections/public.plots/items?bbox={bbox}&limit=100",
            "pgbench": "items_page"}),
        ("items page of 10000", {
            "parkland": "/collections/plots/items?limit=10000",
            "TiPg": "/collections/public.plots/items?limit=10000"}),
        ("one feature by id", {
            "parkland": f"/collections/plots/items/{s['plot']}",
            "TiPg": f"/collections/public.plots/items/{s['plot']}"}),
        ("MVT tile z14", {
            "parkland": f"/tiles/plots/{z14}.mvt",
            "TiPg": f"/collections/public.plots/tiles/WebMercatorQuad/{z14}",
            "Martin": f"/plots/{z14}",
            "pgbench": "tile_z14"}),
        ("MVT tile z10", {
            "parkland": f"/tiles/plots/{z10}.mvt",
            "TiPg": f"/collections/public.plots/tiles/WebMercatorQuad/{z10}",
            "Martin": f"/plots/{z10}",
            "pgbench": "tile_z10"}),
        # What a browser's map asks for: every browser sends Accept-Encoding: gzip.
        ("MVT tile z14, gzip", {
            "parkland": f"/tiles/plots/{z14}.mvt",
            "TiPg": f"/collections/public.plots/tiles/WebMercatorQuad/{z14}",
            "Martin": f"/plots/{z14}"}),
        ("MVT tile z10, gzip", {
            "parkland": f"/tiles/plots/{z10}.mvt",
            "TiPg": f"/collections/public.plots/tiles/WebMercatorQuad/{z10}",
            "Martin": f"/plots/{z10}"}),
        ("CQL2 filtered page", {
            "parkland": f"/collections/plots/items?filter-lang=cql2-text&filter={cql}&limit=100",
            "TiPg": f"/collections/public.plots/items?filter-lang=cql2-text&filter={cql}&limit=100"}),
        ("site search", {"parkland": ("POST", "/analysis/availability", search)}),
        ("ledger for all parks", {"parkland": "/ledger"}),
    ]


def sql_for(name, s):
    """The SQL a raw-PostGIS client would run for the same answer."""
    x0, y0, x1, y1 = s["bbox"]
    if name == "items_page":
        return f"""SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(f ORDER BY id), '[]'))
FROM (SELECT t.id, json_build_object('type', 'Feature', 'id', t.id, 'geometry', ST_AsGeoJSON(t.geom, 9)::json,
             'properties', to_jsonb(t) - 'geom' - 'anchor') AS f
      FROM plots t WHERE t.geom && ST_MakeEnvelope({x0}, {y0}, {x1}, {y1}, 4326)
        AND ST_Intersects(t.geom, ST_MakeEnvelope({x0}, {y0}, {x1}, {y1}, 4326))
      ORDER BY t.id LIMIT 100) x;
"""
    z, x, y = tile_of(s["lon"], s["lat"], 14 if name == "tile_z14" else 10)
    return f"""SELECT ST_AsMVT(q, 'plots', 4096, 'geom') FROM (
  SELECT t.id, t.park_id, t.code, t.status, t.land_use, t.area_mu,
         ST_AsMVTGeom(ST_Transform(t.geom, 3857), ST_TileEnvelope({z}, {x}, {y}), 4096, 64, true) AS geom
  FROM plots t WHERE t.geom && ST_Transform(ST_TileEnvelope({z}, {x}, {y}, margin => 64.0 / 4096), 4326)) q;
"""


def start(name, url):
    port = PORTS[name]
    # A server left on the port would answer the probe below and be measured instead.
    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.1", port)) == 0:
            sys.exit(f"port {port} is taken (a server left running?): {name} cannot be measured there")
    env = dict(os.environ, DATABASE_URL=url, RUST_LOG="error")
    if name == "parkland":
        cmd = [f"{ROOT}/target/release/parkland", "serve", "--bind", f"127.0.0.1:{port}"]
    elif name == "TiPg":
        env.update(TIPG_MAX_FEATURES_PER_QUERY="10000", TIPG_DB_SCHEMAS='["public"]')
        cmd = [f"{ROOT}/target/bench-py/bin/uvicorn", "tipg.main:app", "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"]
    else:
        # The plots table with the attributes of parkland's plots layer (and the pgbench
        # tile), so the tiles are the same size; auto-publishing would also publish the
        # anchor points under the same name.
        config = tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False)
        config.write(f"""listen_addresses: 127.0.0.1:{port}
postgres:
  connection_string: {url}
  auto_publish: false
  tables:
    plots:
      schema: public
      table: plots
      srid: 4326
      geometry_column: geom
      geometry_type: MULTIPOLYGON
      id_column: id
      properties: {{park_id: text, code: text, status: text, land_use: text, area_mu: float8}}
""")
        config.close()
        cmd = [f"{ROOT}/target/bench-tools/bin/martin", "--config", config.name]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
    probe = {"parkland": "/health", "TiPg": "/collections", "Martin": "/catalog"}[name]
    for _ in range(300):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}{probe}", timeout=2).read()
            return proc
        except Exception:
            time.sleep(0.1)
    proc.kill()
    sys.exit(f"{name} did not start")


def stop(proc):
    proc.send_signal(signal.SIGINT)
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def peak_rss_mb(proc):
    with open(f"/proc/{proc.pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def headers_for(title):
    return {"Accept-Encoding": "gzip"} if title.endswith(", gzip") else {}


def fetch(port, target, headers=None):
    method, path, body = target if isinstance(target, tuple) else ("GET", target, None)
    headers = dict(headers or {}, **({"Content-Type": "application/json"} if body else {}))
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", method=method, data=body.encode() if body else None,
                                 headers=headers)
    with urllib.request.urlopen(req, timeout=120) as r:
        return r.status, r.read()


def to_ms(text):
    value, unit = float(re.match(r"[\d.]+", text).group()), re.sub(r"[\d.]", "", text)
    return value * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def wrk(port, target, seconds, connections, headers=None):
    method, path, body = target if isinstance(target, tuple) else ("GET", target, None)
    cmd = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "60s", "--latency"]
    for k, v in (headers or {}).items():
        cmd += ["-H", f"{k}: {v}"]
    script = None
    if body:
        script = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)
        script.write(f'wrk.method = "{method}"\nwrk.body = {json.dumps(body)}\nwrk.headers["Content-Type"] = "application/json"\n')
        script.close()
        cmd += ["-s", script.name]
    out = subprocess.run(cmd + [f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True, check=True).stdout
    if script:
        os.unlink(script.name)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = to_ms(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1))
    p99 = to_ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: .*", out)
    return {"rps": rps, "p50": p50, "p99": p99, "non_2xx": int(bad.group(1)) if bad else 0, "socket_errors": errors.group(0) if errors else ""}


def pgbench(url, sql, seconds, connections):
    with tempfile.TemporaryDirectory() as d:
        script = os.path.join(d, "q.sql")
        with open(script, "w") as f:
            f.write(sql)
        out = subprocess.run(["pgbench", "-n", "-c", str(connections), "-j", "2", "-T", str(seconds), "-f", script, "-l",
                              "--log-prefix", os.path.join(d, "log"), url], capture_output=True, text=True, check=True, cwd=d).stdout
        latencies = []
        for name in os.listdir(d):
            if name.startswith("log"):
                with open(os.path.join(d, name)) as f:
                    latencies += [int(line.split()[2]) / 1000 for line in f if line.strip()]
    tps = float(re.search(r"tps = ([\d.]+)", out).group(1))
    latencies.sort()
    bytes_ = int(psql(url, f"SELECT octet_length(({sql.rstrip().rstrip(';')})::text)") or 0)
    return {"rps": tps, "p50": latencies[len(latencies) // 2], "p99": latencies[int(len(latencies) * 0.99)], "bytes": bytes_,
            "non_2xx": 0, "socket_errors": ""}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("url")
    ap.add_argument("--label", required=True)
    ap.add_argument("--seconds", type=int, default=5, help="load per round")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--connections", type=int, default=16)
    ap.add_argument("--servers", default="parkland,TiPg,Martin,pgbench")
    ap.add_argument("--endpoints", default="", help="only the endpoints whose title holds this text")
    a = ap.parse_args()
    servers = a.servers.split(",")
    s = setting(a.url)
    rows = []
    for title, targets in endpoints(s):
        if a.endpoints not in title:
            continue
        present = [server for server in servers if server in targets]
        rounds = {server: [] for server in present}
        for n in range(a.rounds):
            # Each round in another order, so no server is always the one measured first
            # (or right after another's load).
            for server in present[n % len(present):] + present[:n % len(present)]:
                r = measure(a, s, title, server, targets[server])
                rounds[server].append(r)
                print(json.dumps(r), file=sys.stderr, flush=True)
        for server in present:
            rows.append(median_round(rounds[server]))
    table = render(rows)
    print(table)
    if a.endpoints:
        print("(some endpoints only: bench/RESULTS.md left as it was)", file=sys.stderr)
    else:
        record(a, table, s)


def measure(a, s, title, server, target):
    """One round of one server on one endpoint: a fresh server (so its peak RSS is this
    endpoint's), checked, warmed, then loaded."""
    connections = 64 if title == "items page of 10000" else a.connections
    if server == "pgbench":
        r = pgbench(a.url, sql_for(target, s), a.seconds, connections)
        r["rss"] = None
    else:
        proc = start(server, a.url)
        try:
            headers = headers_for(title)
            status, body = fetch(PORTS[server], target, headers)
            if status != 200 or not body:
                sys.exit(f"{server} answered {title} with {status} and {len(body)} bytes: not comparable")
            for _ in range(3):
                fetch(PORTS[server], target, headers)
            r = wrk(PORTS[server], target, a.seconds, connections, headers)
            r["bytes"] = len(body)
            r["status"] = status
            r["rss"] = peak_rss_mb(proc)
        finally:
            stop(proc)
    r.update(endpoint=title, server=server, connections=connections)
    return r


def median_round(results):
    """The round with the median requests/s (its latencies and RSS with it), and every
    round's requests/s: this machine's runs of one server differ by up to 15 %."""
    ordered = sorted(results, key=lambda r: r["rps"])
    row = dict(ordered[(len(ordered) - 1) // 2])
    row["rounds"] = [r["rps"] for r in results]
    return row


def render(rows):
    lines = ["| endpoint | server | clients | requests/s (median) | each round | p50 | p99 | bytes | peak RSS | vs parkland (req/s) |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    ours = {r["endpoint"]: r["rps"] for r in rows if r["server"] == "parkland"}
    for r in rows:
        ratio = "" if r["server"] == "parkland" or r["endpoint"] not in ours else f"parkland {ours[r['endpoint']] / r['rps']:.2f}×"
        rss = "—" if r["rss"] is None else f"{r['rss']:.0f} MB"
        flag = f" ({r['non_2xx']} non-2xx)" if r["non_2xx"] else ""
        each = " / ".join(f"{v:.0f}" if v >= 100 else f"{v:.1f}" for v in r["rounds"])
        lines.append(f"| {r['endpoint']} | {r['server']}{flag} | {r['connections']} | {r['rps']:.1f} | {each} | {r['p50']:.2f} ms | {r['p99']:.2f} ms | {r['bytes']:,} | {rss} | {ratio} |")
    return "\n".join(lines)


def record(a, table, s):
    path = os.path.join(ROOT, "bench", "RESULTS.md")
    text = open(path).read()
    begin, end = f"<!-- compare {a.label} -->", f"<!-- end compare {a.label} -->"
    when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    block = (f"{begin}\n### {a.label}\n\n{when}. Command: `bash bench/compare.sh {a.label}`; "
             f"wrk -t2, {a.rounds} rounds of {a.seconds} s per endpoint and server, the same clients for every server; bbox {', '.join(f'{v:.5f}' for v in s['bbox'])}, "
             f"plot {s['plot']}.\n\n{table}\n{end}")
    if begin in text:
        text = re.sub(re.escape(begin) + ".*?" + re.escape(end), lambda _: block, text, flags=re.S)
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    open(path, "w").write(text)


if __name__ == "__main__":
    main()
