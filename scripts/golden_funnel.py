#!/usr/bin/env python3
"""Generate the metrics engine's golden fixture and its expected figures.

Writes, next to the engine's tests (src-tauri/crates/baton-metrics/tests/fixtures/):
  generated.csv         ~4,000 CRM records (skipped stages, backward dates, lost records,
                        records without dates, case variants of sources)
  generated_week2.csv   a later export where some records moved on without a new date
                        (a re-imported snapshot)
  generated_expected.json  figures computed HERE, with the csv module and plain Python,
                        independently of the Rust engine.

The Rust test `golden_generated.rs` imports both files with `small_profile.json` and
compares. Run: python3 scripts/golden_funnel.py  (deterministic: fixed seed).
"""
import csv
import datetime as dt
import json
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "src-tauri", "crates", "baton-metrics", "tests", "fixtures")
STAGES = ["lead", "mql", "sql", "opportunity", "customer"]
STATUS = {"Lead": "lead", "MQL": "mql", "SQL": "sql", "Opportunity": "opportunity", "Won": "customer", "Lost": "lost"}
NAME_OF = {v: k for k, v in STATUS.items()}
DATE_COLS = ["lead_date", "mql_date", "sql_date", "opp_date", "won_date"]
HEADER = ["id", "status", *DATE_COLS, "source", "owner", "segment", "amount", "first_touch"]
FMT = "%Y-%m-%d %H:%M"
AS_OF_1 = dt.datetime(2025, 7, 1)
AS_OF_2 = dt.datetime(2025, 7, 8)
SOURCES = ["Google", "google", "Event", "Webinar", "Referral", "LinkedIn", "linkedin"]
OWNERS = ["Ann", "Bob", "Chen", "Dee", ""]


def generate(rng):
    rows, week2 = [], []
    for n in range(4000):
        rid = f"G{n:05d}"
        source = rng.choice(SOURCES)
        owner = rng.choice(OWNERS)
        segment = rng.choice(["SMB", "ENT", "MID"])
        dates = [None] * 5
        if rng.random() < 0.02:  # no dates at all
            status = rng.choice(["Lead", "MQL"])
        else:
            t = dt.datetime(2025, 1, 1) + dt.timedelta(minutes=rng.randrange(0, 150 * 24 * 60))
            dates[0] = t
            top = 0
            for s in range(1, 5):
                if rng.random() < [0, 0.6, 0.55, 0.6, 0.45][s]:
                    t = t + dt.timedelta(minutes=rng.randrange(0, 200 * 60))
                    dates[s] = t
                    top = s
                else:
                    break
            for s in range(1, top):  # skipped stages: a later one is dated
                if rng.random() < 0.08:
                    dates[s] = None
            if dates[1] and rng.random() < 0.03:  # backward: mql before lead
                dates[1] = dates[0] - dt.timedelta(hours=rng.randrange(1, 100))
            if top == 4:
                status = "Won"
            elif rng.random() < 0.25:
                status = "Lost"
            else:
                status = NAME_OF[STAGES[top]]
        amount = str(rng.randrange(1000, 50000)) if status == "Won" or rng.random() < 0.3 else ""
        touch = ""
        if dates[1] and rng.random() < 0.7:
            touch = (dates[1] + dt.timedelta(minutes=rng.randrange(0, 48 * 60))).strftime(FMT)
        row = [rid, status, *[d.strftime(FMT) if d else "" for d in dates], source, owner, segment, amount, touch]
        rows.append(row)
        if status in ("Lead", "MQL", "SQL") and rng.random() < 0.1:
            nxt = NAME_OF[STAGES[STAGES.index(STATUS[status]) + 1]]
            week2.append([rid, nxt, "", "", "", "", "", source, owner, segment, "", ""])
    return rows, week2


def parse(s):
    return dt.datetime.strptime(s, FMT) if s else None


def load():
    """Read the files back as the import would merge them (later non-empty values win)."""
    recs = {}
    order = []
    for name in ("generated.csv", "generated_week2.csv"):
        with open(os.path.join(OUT, name), newline="") as f:
            for r in csv.DictReader(f):
                if r["id"] not in recs:
                    recs[r["id"]] = dict(r)
                    order.append(r["id"])
                else:
                    for k, v in r.items():
                        if v != "":
                            recs[r["id"]][k] = v
    return [recs[i] for i in order]


def reach_of(r):
    top = -1
    for s, col in enumerate(DATE_COLS):
        if r[col]:
            top = max(top, s)
    st = STATUS.get(r["status"])
    if st and st != "lost":
        top = max(top, STAGES.index(st))
    return top


def evidence_of(r, history):
    ev = {s for s, col in enumerate(DATE_COLS) if r[col]}
    for status in history:
        st = STATUS.get(status)
        if st and st != "lost":
            ev.add(STAGES.index(st))
    return ev


def quantile(values, p):
    """Linear interpolation between closest ranks (spreadsheet PERCENTILE.INC)."""
    if not values:
        return None
    v = sorted(values)
    h = (len(v) - 1) * p
    lo = int(h)
    if lo + 1 >= len(v):
        return float(v[lo])
    return v[lo] + (h - lo) * (v[lo + 1] - v[lo])


def working_seconds(a, b):
    """Mon–Fri 09:00–17:00 between a and b, walking day by day."""
    total = 0
    day = dt.datetime(a.year, a.month, a.day)
    while day < b:
        if day.weekday() < 5:
            lo = max(a, day + dt.timedelta(hours=9))
            hi = min(b, day + dt.timedelta(hours=17))
            if hi > lo:
                total += (hi - lo).total_seconds()
        day += dt.timedelta(days=1)
    return total


def funnel(records, histories):
    at = [0] * 5
    skipped = [0] * 5
    won = lost = open_ = 0
    for r in records:
        top = reach_of(r)
        if r["status"] == "Won":
            top = 4
        if r["status"] == "Won":
            won += 1
        elif r["status"] == "Lost":
            lost += 1
        else:
            open_ += 1
        if top >= 0:
            at[top] += 1
            ev = evidence_of(r, histories[r["id"]])
            if r["status"] == "Won":
                ev.add(4)
            skipped = [c + (1 if s < top and s not in ev else 0) for s, c in enumerate(skipped)]
    reached = [sum(at[s:]) for s in range(5)]
    return {"reached": reached, "skipped": skipped, "won": won, "lost": lost, "open": open_}


def velocity(records, a, b):
    days, backward = [], 0
    for r in records:
        x, y = parse(r[DATE_COLS[a]]), parse(r[DATE_COLS[b]])
        if x and y:
            if y < x:
                backward += 1
            else:
                days.append((y - x).total_seconds() / 86400)
    return {"n": len(days), "median_days": quantile(days, 0.5), "p90_days": quantile(days, 0.9), "backward": backward}


def highest_stage(r, history):
    """Highest stage any evidence puts the record at: dates, every export's status, a win."""
    top = reach_of(r)
    for status in history:
        st = STATUS.get(status)
        if st and st != "lost":
            top = max(top, STAGES.index(st))
    if r["status"] == "Won":
        top = 4
    return top


def sla(records, histories, limit_hours, business, as_of, to_field=None):
    """mql → sql (or mql → a date field). A record at sql or beyond with no date from sql
    on was answered at an unknown time: counted apart, neither due nor timed."""
    met = breached = late = undated = 0
    answered = []
    for r in records:
        start = parse(r["mql_date"])
        if not start:
            continue
        if to_field:
            stop = parse(r[to_field])
        else:
            stop = next((parse(r[c]) for c in DATE_COLS[2:] if r[c]), None)
        clock = working_seconds if business else (lambda a, b: (b - a).total_seconds())
        if stop is not None and stop < start:
            continue
        if stop is None and not to_field and highest_stage(r, histories[r["id"]]) >= 2:
            undated += 1
            continue
        if stop is not None:
            e = clock(start, stop)
            answered.append(e / 3600)
            if e <= limit_hours * 3600:
                met += 1
            else:
                breached += 1
        elif clock(start, max(as_of, start)) > limit_hours * 3600:
            late += 1
    due = met + breached + late
    return {
        "due": due, "met": met, "breached": breached, "open_late": late, "answered_undated": undated,
        "pct_met": met / due if due else None,
        "median_hours": quantile(answered, 0.5), "p95_hours": quantile(answered, 0.95),
    }


def main():
    rng = random.Random(20250704)
    rows, week2 = generate(rng)
    for name, data in (("generated.csv", rows), ("generated_week2.csv", week2)):
        with open(os.path.join(OUT, name), "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(HEADER)
            w.writerows(data)
    records = load()
    histories = {r[0]: [r[1]] for r in rows}
    for r in week2:
        histories[r[0]].append(r[1])
    by_source = {}
    first_spelling = {}
    for r in records:
        key = r["source"].strip().lower()
        first_spelling.setdefault(key, r["source"].strip())
        by_source.setdefault(key, []).append(r)
    backward = sum(
        1 for r in records
        if any(parse(r[DATE_COLS[j]]) < parse(r[DATE_COLS[i]])
               for i in range(5) for j in range(i + 1, 5)
               if r[DATE_COLS[i]] and r[DATE_COLS[j]]
               and not any(r[DATE_COLS[k]] for k in range(i + 1, j)))
    )
    expected = {
        "records": len(records),
        "funnel": funnel(records, histories),
        "by_source": {
            first_spelling[k]: funnel(v, histories)["reached"] for k, v in sorted(by_source.items())
        },
        "velocity_lead_mql": velocity(records, 0, 1),
        "velocity_mql_sql": velocity(records, 1, 2),
        "sla_mql_sql_24h_business": sla(records, histories, 24, True, AS_OF_2),
        "sla_mql_sql_48h_calendar": sla(records, histories, 48, False, AS_OF_2),
        "sla_mql_first_touch_4h_calendar": sla(records, histories, 4, False, AS_OF_2, to_field="first_touch"),
        "quality": {
            "backward": backward,
            "no_dates": sum(1 for r in records if not any(r[c] for c in DATE_COLS)),
            "several_files": len(week2),
        },
    }
    with open(os.path.join(OUT, "generated_expected.json"), "w") as f:
        json.dump(expected, f, indent=1, sort_keys=True)
        f.write("\n")
    print(f"wrote {len(rows)} + {len(week2)} rows and expected figures to {os.path.normpath(OUT)}")


if __name__ == "__main__":
    main()
