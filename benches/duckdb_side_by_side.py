#!/usr/bin/env python3
"""shiftdeck `snapshot` against DuckDB on the same file, in one run.

Both read the NDJSON file from scratch and compute the window KPIs of
spec section 2 for the same window: offered, answered, abandoned, handled,
AHT, speed of answer, service level (each contact's own queue threshold),
abandon and transfer rates, repeat rate and FCR (same customer within 48 h,
looking outside the window) and CSAT/NPS, with "the later line wins" for
contacts and surveys. DuckDB runs in-process (`pip install duckdb`);
shiftdeck runs as the release binary. Each side runs `--runs` times,
alternating; the medians are printed with their ratio.

    cargo build --release
    pip install duckdb
    python3 benches/duckdb_side_by_side.py --file /tmp/big.ndjson \
        --from 2026-12-03 --to 2026-12-03

`--from`/`--to` are given to `shiftdeck snapshot` (a date is a local day);
DuckDB gets the window that shiftdeck resolved. shiftdeck's snapshot
computes more than these KPIs (queues, SLA timers, feedback, spot checks,
agents), so the comparison is in DuckDB's favour.
"""

import argparse
import json
import statistics
import subprocess
import time

import duckdb

QUERY = """
WITH raw AS (
    SELECT row_number() OVER () AS ln, *
    FROM read_json(?, format = 'newline_delimited', ignore_errors = true,
        columns = {
            type: 'VARCHAR', id: 'VARCHAR', queue: 'VARCHAR', customer: 'VARCHAR',
            agent: 'VARCHAR', arrived_at: 'TIMESTAMPTZ', answered_at: 'TIMESTAMPTZ',
            abandoned_at: 'TIMESTAMPTZ', ended_at: 'TIMESTAMPTZ', talk_s: 'DOUBLE',
            hold_s: 'DOUBLE', wrap_s: 'DOUBLE', transfers: 'DOUBLE', resolved: 'BOOLEAN',
            sl_seconds: 'DOUBLE', "at": 'TIMESTAMPTZ', csat: 'DOUBLE', nps: 'DOUBLE'
        })
),
contacts AS (
    SELECT * FROM raw WHERE type = 'contact'
    QUALIFY row_number() OVER (PARTITION BY id ORDER BY ln DESC) = 1
),
queues AS (
    SELECT id, coalesce(sl_seconds, 20) AS sl FROM raw WHERE type = 'queue'
    QUALIFY row_number() OVER (PARTITION BY id ORDER BY ln DESC) = 1
),
surveys AS (
    SELECT * FROM raw WHERE type = 'survey'
    QUALIFY row_number() OVER (PARTITION BY id ORDER BY ln DESC) = 1
),
offered AS (
    SELECT c.*, coalesce(q.sl, 20) AS sl,
        answered_at IS NOT NULL AS ans,
        abandoned_at IS NOT NULL AND answered_at IS NULL AS abd,
        answered_at IS NOT NULL AND ended_at IS NOT NULL AS hnd
    FROM contacts c LEFT JOIN queues q ON q.id = c.queue
    WHERE arrived_at >= ?::TIMESTAMPTZ AND arrived_at < ?::TIMESTAMPTZ
),
repeats AS (
    SELECT o.id,
        bool_or(p.arrived_at < o.arrived_at
            AND o.arrived_at - p.arrived_at <= INTERVAL 48 HOUR) AS is_repeat,
        bool_or(p.arrived_at > o.arrived_at
            AND p.arrived_at - o.arrived_at <= INTERVAL 48 HOUR) AS has_next
    FROM offered o LEFT JOIN contacts p
        ON p.customer = o.customer AND p.id <> o.id
    GROUP BY o.id
)
SELECT
    count(*) AS offered,
    count(*) FILTER (ans) AS answered,
    count(*) FILTER (abd) AS abandoned,
    count(*) FILTER (hnd) AS handled,
    avg(coalesce(talk_s, 0) + coalesce(hold_s, 0) + coalesce(wrap_s, 0)) FILTER (hnd) AS aht_s,
    avg(epoch(answered_at) - epoch(arrived_at)) FILTER (ans) AS art_s,
    (count(*) FILTER (ans AND epoch(answered_at) - epoch(arrived_at) <= sl))
        / nullif(count(*) FILTER (ans OR abd), 0) AS service_level,
    (count(*) FILTER (abd)) / nullif(count(*) FILTER (ans OR abd), 0) AS abandon_rate,
    (count(*) FILTER (hnd AND coalesce(transfers, 0) >= 1))
        / nullif(count(*) FILTER (hnd), 0) AS transfer_rate,
    (count(*) FILTER (r.is_repeat)) / nullif(count(*), 0) AS repeat_rate,
    (count(*) FILTER (hnd AND coalesce(resolved, true) AND NOT coalesce(r.has_next, false)))
        / nullif(count(*) FILTER (hnd), 0) AS fcr,
    (SELECT (count(*) FILTER (csat >= 4)) / nullif(count(csat), 0) FROM surveys
        WHERE "at" >= ?::TIMESTAMPTZ AND "at" < ?::TIMESTAMPTZ) AS csat,
    (SELECT 100.0 * (count(*) FILTER (nps >= 9) - count(*) FILTER (nps <= 6))
        / nullif(count(nps), 0) FROM surveys
        WHERE "at" >= ?::TIMESTAMPTZ AND "at" < ?::TIMESTAMPTZ) AS nps
FROM offered LEFT JOIN repeats r USING (id)
"""


def run_duckdb(path, start, end):
    con = duckdb.connect()
    t0 = time.perf_counter()
    cur = con.execute(QUERY, [path, start, end, start, end, start, end])
    row = cur.fetchone()
    took = time.perf_counter() - t0
    names = [d[0] for d in cur.description]
    con.close()
    return took, dict(zip(names, row))


def run_shiftdeck(binary, path, start, end):
    t0 = time.perf_counter()
    out = subprocess.run(
        [binary, "snapshot", "--file", path, "--from", start, "--to", end],
        check=True,
        capture_output=True,
    ).stdout
    took = time.perf_counter() - t0
    snap = json.loads(out)
    kpis = {k: v.get("value") for k, v in snap["kpis"].items()}
    return took, kpis, snap["window"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--file", required=True)
    ap.add_argument("--from", dest="start", required=True)
    ap.add_argument("--to", dest="end", required=True)
    ap.add_argument("--binary", default="target/release/shiftdeck")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--threads", type=int, default=0, help="DuckDB threads (0: its default)")
    a = ap.parse_args()
    if a.threads:
        duckdb.execute(f"SET threads = {a.threads}")
    ours, theirs = [], []
    for _ in range(a.runs):
        t, kpis, window = run_shiftdeck(a.binary, a.file, a.start, a.end)
        ours.append(t)
        # The very window shiftdeck resolved (dates are local midnights).
        t, row = run_duckdb(a.file, window["from"], window["to"])
        theirs.append(t)
    print(f"file: {a.file}; window [{window['from']}, {window['to']}); {a.runs} runs each, alternating")
    print(f"duckdb {duckdb.__version__}: {row}")
    print(f"shiftdeck kpis: {kpis}")
    s, d = statistics.median(ours), statistics.median(theirs)
    print(f"shiftdeck snapshot: median {s:.2f} s (runs {', '.join(f'{x:.2f}' for x in ours)})")
    print(f"duckdb query:       median {d:.2f} s (runs {', '.join(f'{x:.2f}' for x in theirs)})")
    print(f"ratio shiftdeck / duckdb: {s / d:.2f}")


if __name__ == "__main__":
    main()
