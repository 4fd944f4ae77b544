#!/usr/bin/env python3
"""Generate the definition check's golden fixture and its expected figures.

Writes, next to the metrics engine's tests (src-tauri/crates/baton-metrics/tests/fixtures/):
  definition.csv            ~3,000 CRM contacts with a lead score, segment and country
                            (skipped stages, lost records, records without dates,
                            case variants, missing values)
  definition_expected.json  the figures of `baton definition-check` for two definitions,
                            computed HERE with the csv module and plain Python,
                            independently of the Rust engine (Wilson intervals included).
  impact_expected.json      before/after figures of an MQL definition agreed on
                            IMPACT_AGREED with a maturity window (baton impact), same way.

The Rust test `golden_definition.rs` imports the CSV with `definition_profile.json` and
compares. Run: python3 scripts/golden_definition.py  (deterministic: fixed seed).
"""
import csv
import datetime as dt
import json
import math
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "src-tauri", "crates", "baton-metrics", "tests", "fixtures")
STAGES = ["lead", "mql", "sql", "opportunity", "customer"]
NAME_OF = {"lead": "Lead", "mql": "MQL", "sql": "SQL", "opportunity": "Opportunity", "customer": "Won"}
DATE_COLS = ["lead_date", "mql_date", "sql_date", "opp_date", "won_date"]
HEADER = ["id", "status", *DATE_COLS, "source", "segment", "country", "score"]
FMT = "%Y-%m-%d %H:%M"

# The two definitions the Rust test runs (same JSON as DefinitionCriteria).
DEFINITIONS = {
    "score_and_segment": {
        "all": [
            {"op": "at_least", "field": "score", "value": 60},
            {"op": "in", "field": "segment", "values": ["ENT", "mid"]},
        ],
        "disqualifiers": [{"op": "in", "field": "country", "values": ["us"]}],
    },
    "webinar_not_smb": {
        "all": [
            {"op": "contains", "field": "source", "text": "web"},
            {"op": "not_in", "field": "segment", "values": ["SMB"]},
        ],
        "disqualifiers": [{"op": "at_most", "field": "score", "value": 20}],
    },
}
PERIOD = ("2025-02-01", "2025-04-30")


def generate(rng):
    rows = []
    for n in range(3000):
        dates = [None] * 5
        score = "" if rng.random() < 0.1 else str(rng.randrange(0, 101))
        segment = rng.choice(["ENT", "ent", "MID", "SMB", "SMB", ""])
        country = rng.choice(["DE", "FR", "US", "us", "UK", ""])
        source = rng.choice(["Webinar", "webinar series", "Google", "Event", "Referral"])
        s = int(score) if score else 30
        if rng.random() < 0.03:  # no dates at all
            status = rng.choice(["Lead", "MQL"])
        else:
            t = dt.datetime(2025, 1, 1) + dt.timedelta(minutes=rng.randrange(0, 150 * 24 * 60))
            dates[0] = t
            top = 0
            # Better scores move on more often, so the definition has something to find.
            boost = 0.25 if s >= 60 else 0.0
            for k in range(1, 5):
                if rng.random() < [0, 0.35, 0.3, 0.45, 0.4][k] + boost:
                    t = t + dt.timedelta(hours=rng.randrange(1, 400))
                    if rng.random() > 0.08:  # sometimes a stage is skipped (no date)
                        dates[k] = t
                    top = k
                else:
                    break
            if top < 4 and rng.random() < 0.25:
                status = "Lost"
            else:
                status = NAME_OF[STAGES[top]]
        rows.append([
            f"D{n:05d}", status,
            *[d.strftime(FMT) if d else "" for d in dates],
            source, segment, country, score,
        ])
    return rows


def reach(row):
    """Highest stage index the record reached: its dated stages and its status."""
    r = -1
    for k, col in enumerate(DATE_COLS):
        if row[col]:
            r = k
    status = row["status"]
    for k, st in enumerate(STAGES):
        if NAME_OF[st] == status:
            r = max(r, k)
    return r


def entry(row):
    for col in DATE_COLS:
        if row[col]:
            return dt.datetime.strptime(row[col], FMT)
    return None


def value(row, field):
    v = row[field].strip()
    return v if v else None


def number(v):
    try:
        return float(v.replace(",", "").replace(" ", "")) if v is not None else None
    except ValueError:
        return None


def holds(cond, row):
    v = value(row, cond["field"])
    op = cond["op"]
    if op == "in":
        return v is not None and v.lower() in [x.lower() for x in cond["values"]]
    if op == "not_in":
        return v is None or v.lower() not in [x.lower() for x in cond["values"]]
    if op == "at_least":
        x = number(v)
        return x is not None and x >= cond["value"]
    if op == "at_most":
        x = number(v)
        return x is not None and x <= cond["value"]
    if op == "contains":
        return v is not None and cond["text"].lower() in v.lower()
    raise ValueError(op)


def meets(defn, row):
    return all(holds(c, row) for c in defn["all"]) and not any(
        holds(c, row) for c in defn["disqualifiers"]
    )


def wilson(k, n, z=1.96):
    if n == 0:
        return None
    p = k / n
    centre = p + z * z / (2 * n)
    spread = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    d = 1 + z * z / n
    return [max(0.0, (centre - spread) / d), min(1.0, (centre + spread) / d)]


def rate(k, n):
    return {"k": k, "n": n, "rate": k / n if n else None, "interval": wilson(k, n)}


def check(rows, defn, stage):
    s = STAGES.index(stage)
    lo = dt.datetime.fromisoformat(PERIOD[0])
    hi = dt.datetime.fromisoformat(PERIOD[1]) + dt.timedelta(days=1)
    groups = {True: [], False: []}
    months = {}
    for row in rows:
        e = entry(row)
        if e is None or not (lo <= e < hi):
            continue
        m = meets(defn, row)
        groups[m].append(reach(row))
        key = e.strftime("%Y-%m")
        rec, met = months.get(key, (0, 0))
        months[key] = (rec + 1, met + int(m))
    yes, no = groups[True], groups[False]
    marked_and_meets = sum(1 for r in yes if r >= s)
    marked = marked_and_meets + sum(1 for r in no if r >= s)
    return {
        "records": len(yes) + len(no),
        "meets": len(yes),
        "others": len(no),
        "meets_next": rate(sum(1 for r in yes if r >= s + 1), len(yes)),
        "others_next": rate(sum(1 for r in no if r >= s + 1), len(no)),
        "meets_customer": rate(sum(1 for r in yes if r >= 4), len(yes)),
        "others_customer": rate(sum(1 for r in no if r >= 4), len(no)),
        "crm_marked": marked,
        "crm_marked_and_meets": marked_and_meets,
        "marked_meeting": rate(marked_and_meets, marked),
        "meets_unmarked": rate(len(yes) - marked_and_meets, len(yes)),
        "by_month": [{"month": k, "records": v[0], "meets": v[1]} for k, v in sorted(months.items())],
    }


# "Did the agreement work?": an MQL definition agreed on this day, the data as of the
# import's as-of day (golden_impact.rs passes the same), a 30-day maturity window.
IMPACT_AGREED = "2025-03-15"
IMPACT_AS_OF = "2025-07-01"
IMPACT_WINDOW_DAYS = 30


def percentile(values, p):
    """Linear interpolation between closest ranks (Excel PERCENTILE.INC)."""
    if not values:
        return None
    v = sorted(values)
    h = (len(v) - 1) * p
    lo = math.floor(h)
    if lo + 1 >= len(v):
        return float(v[lo])
    return v[lo] + (h - lo) * (v[lo + 1] - v[lo])


def dated(row, k):
    return dt.datetime.strptime(row[DATE_COLS[k]], FMT) if row[DATE_COLS[k]] else None


def impact(rows, frm, to):
    """Records that entered `frm` before / after the agreement: converted to `to` (or a
    later stage) within the window; records younger than the window, entries without a
    date and conversions without one are left out of both sides."""
    agreed = dt.datetime.fromisoformat(IMPACT_AGREED)
    window = dt.timedelta(days=IMPACT_WINDOW_DAYS)
    mature_until = dt.datetime.fromisoformat(IMPACT_AS_OF) - window
    sides = {False: [0, 0, []], True: [0, 0, []]}
    left_out = {"young": 0, "undated_entry": 0, "untimed": 0}
    for row in rows:
        r = reach(row)
        if r < frm:
            continue
        entered = dated(row, frm)
        if entered is None:
            left_out["undated_entry"] += 1
            continue
        if entered > mature_until:
            left_out["young"] += 1
            continue
        later = [d for d in (dated(row, t) for t in range(to, 5)) if d is not None and d >= entered]
        at = min(later) if later else None
        if r >= to and at is None:
            left_out["untimed"] += 1
            continue
        side = sides[entered >= agreed]
        side[0] += 1
        if at is not None and at - entered <= window:
            side[1] += 1
            side[2].append((at - entered).total_seconds())
    out = {"from": STAGES[frm], "to": STAGES[to], **left_out}
    for name, key in (("before", False), ("after", True)):
        n, k, secs = sides[key]
        med = percentile(secs, 0.5)
        out[name] = {**rate(k, n), "median_days": med / 86400 if med is not None else None}
    return out


def main():
    rng = random.Random(20261206)
    rows = generate(rng)
    path = os.path.join(OUT, "definition.csv")
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(HEADER)
        w.writerows(rows)
    with open(path, newline="") as f:
        parsed = list(csv.DictReader(f))
    expected = {
        "period": PERIOD,
        "checks": [
            {"name": name, "stage": stage, "criteria": defn, **check(parsed, defn, stage)}
            for name, defn in DEFINITIONS.items()
            for stage in ["mql", "sql"]
        ],
    }
    with open(os.path.join(OUT, "definition_expected.json"), "w") as f:
        json.dump(expected, f, indent=1)
        f.write("\n")
    impact_expected = {
        "agreed": IMPACT_AGREED,
        "as_of": IMPACT_AS_OF,
        "window_days": IMPACT_WINDOW_DAYS,
        "figures": [impact(parsed, 1, 2), impact(parsed, 1, 4)],
    }
    with open(os.path.join(OUT, "impact_expected.json"), "w") as f:
        json.dump(impact_expected, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
