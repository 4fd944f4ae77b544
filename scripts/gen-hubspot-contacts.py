#!/usr/bin/env python3
"""Write a HubSpot-style contacts export (17 columns, every value quoted, stage dates)
for the import benchmark: gen-hubspot-contacts.py ROWS OUT.csv"""
import random
import sys

rows, out = int(sys.argv[1]), sys.argv[2]
rnd = random.Random(42)
header = ["Record ID", "First Name", "Last Name", "Email", "Phone Number", "Lifecycle Stage",
          "Lead Status", "Contact owner", "Original Source", "Country/Region", "Industry",
          "Create Date", "Became a Lead Date", "Became a Marketing Qualified Lead Date",
          "Became a Sales Qualified Lead Date", "Became an Opportunity Date", "Became a Customer Date"]
stages = ["Lead", "Marketing Qualified Lead", "Sales Qualified Lead", "Opportunity", "Customer"]
sources = ["Organic Search", "Paid Search", "Direct Traffic", "Social Media", "Email Marketing",
           "Referrals", "Offline Sources", "organic search"]
owners = ["Alice Martin", "Bruno Keller", "Chloé Dubois", "Dmitri Ivanov", "Eva Novak"]
countries = ["France", "Germany", "United States", "Spain", "Czechia", "United Kingdom"]
industries = ["Software", "Manufacturing", "Retail", "Healthcare", "Finance"]
statuses = ["New", "Open", "In Progress", "Open Deal", "Unqualified", "Connected"]
first = ["Anna", "Paul", "Marie", "Jan", "Lukas", "Sofia", "Hugo", "Lea", "Tom", "Ines"]
last = ["Moreau", "Schmidt", "Novák", "Garcia", "Smith", "Rossi", "Dubois", "Weber"]


def q(v):
    return '"' + v.replace('"', '""') + '"'


def ts(t):
    # 2025-04-08 17:19
    d, r = divmod(t, 86400)
    h, m = divmod(r // 60, 60)
    y, mo, da = civil(d)
    return f"{y:04d}-{mo:02d}-{da:02d} {h:02d}:{m:02d}"


def civil(z):
    z += 719468
    era = (z if z >= 0 else z - 146096) // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    y = yoe + era * 400
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = mp + 3 if mp < 10 else mp - 9
    return (y + (m <= 2), m, d)


base = 1_704_067_200  # 2024-01-01
with open(out, "w", encoding="utf-8", newline="") as f:
    f.write(",".join(q(h) for h in header) + "\r\n")
    for i in range(rows):
        reached = rnd.choices(range(5), weights=[40, 25, 15, 12, 8])[0]
        t = base + rnd.randrange(0, 365 * 86400)
        dates = []
        for s in range(5):
            if s <= reached:
                dates.append(ts(t))
                t += rnd.randrange(3600, 20 * 86400)
            else:
                dates.append("")
        fn, ln = rnd.choice(first), rnd.choice(last)
        row = [str(1000000 + i), fn, ln, f"{fn.lower()}.{ln.lower()}{i}@example.com",
               f"+33 6 {rnd.randrange(10**7, 10**8)}", stages[reached], rnd.choice(statuses),
               rnd.choice(owners), rnd.choice(sources), rnd.choice(countries),
               rnd.choice(industries), dates[0]] + dates
        f.write(",".join(q(v) for v in row) + "\r\n")
