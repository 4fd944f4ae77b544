#!/usr/bin/env python3
"""Regenerate the spreadsheet fixtures of baton-import (tests/fixtures/*.xlsx, .ods, .xls).

Each preset's CSV fixture gets an .xlsx twin with typed cells, as a CRM's Excel export
has them: dates as date cells whose number format shows them as the CSV writes them
(`m/d/yyyy`, `yyyy-mm-dd hh:mm`), numbers and amounts as numbers (`$#,##0.00`), yes/no as
booleans, the rest as text. The workbooks are written here (stdlib only), then saved again
by LibreOffice (`soffice --headless --convert-to`), which also makes the .ods and .xls
twins and the password-protected .ods and .xls (and, with msoffcrypto-tool, an encrypted
.xlsx). Also written: a Salesforce formatted report (title,
"As of" and filter lines, a group column merged down its rows, subtotal rows with SUM
formulas, totals and footers), a workbook with several sheets, an empty workbook and a
damaged (truncated) one.

Usage: scripts/gen-spreadsheet-fixtures.py [--no-libreoffice]
Needs: python3; LibreOffice (`soffice`) unless --no-libreoffice (then the .xlsx files are
this script's own, and the .ods/.xls/password files are not made).
"""
import csv
import datetime as dt
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from xml.sax.saxutils import escape

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(ROOT, "src-tauri/crates/baton-import/tests/fixtures")
PRESET_FIXTURES = [
    "hubspot-contacts",
    "hubspot-deals",
    "salesforce-leads",
    "salesforce-opportunities",
    "pipedrive-deals",
    "zoho-leads",
    "zoho-deals",
]
EPOCH = dt.datetime(1899, 12, 30)

# Custom number formats (id → code); 0 is General.
FORMATS = {
    164: "yyyy-mm-dd hh:mm:ss",
    165: "yyyy-mm-dd hh:mm",
    166: "yyyy-mm-dd",
    167: "m/d/yyyy",
    168: '"$"#,##0.00',
}
XF = {0: 0, 164: 1, 165: 2, 166: 3, 167: 4, 168: 5}  # number format id → cellXfs index


def serial(d):
    delta = d - EPOCH
    return delta.days + delta.seconds / 86400


class Text(str):
    """A value kept as text in the workbook (a date typed in by hand)."""


def typed(value):
    """(kind, xml value, number format id) of a CSV value as a CRM's xlsx types it."""
    if isinstance(value, Text):
        return ("s", str(value), 0)
    v = value.strip()
    if v == "":
        return None
    for pattern, fmt, nf in [
        (r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}", "%Y-%m-%d %H:%M:%S", 164),
        (r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", "%Y-%m-%d %H:%M", 165),
        (r"\d{4}-\d{2}-\d{2}", "%Y-%m-%d", 166),
        (r"\d{1,2}/\d{1,2}/\d{4}", "%m/%d/%Y", 167),
    ]:
        if re.fullmatch(pattern, v):
            return ("n", repr(serial(dt.datetime.strptime(v, fmt))), nf)
    if re.fullmatch(r"-?\d+(\.\d+)?", v) and not (len(v) > 1 and v.startswith("0")):
        return ("n", v, 0)
    m = re.fullmatch(r"\$([\d,]+(\.\d+)?)", v)
    if m:
        return ("n", m.group(1).replace(",", ""), 168)
    if v.lower() in ("true", "false"):
        return ("b", "1" if v.lower() == "true" else "0", 0)
    return ("s", value, 0)


def col_name(i):
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def cell_xml(r, c, cell):
    """cell: None, a CSV string, or ("f", formula, cached number)."""
    ref = f"{col_name(c)}{r}"
    if cell is None:
        return ""
    if isinstance(cell, tuple) and cell[0] == "f":
        return f'<c r="{ref}" s="{XF[168]}"><f>{escape(cell[1])}</f><v>{cell[2]}</v></c>'
    t = typed(cell)
    if t is None:
        return ""
    kind, v, nf = t
    if kind == "s":
        return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{escape(v)}</t></is></c>'
    if kind == "b":
        return f'<c r="{ref}" t="b"><v>{v}</v></c>'
    return f'<c r="{ref}" s="{XF[nf]}"><v>{v}</v></c>'


def sheet_xml(rows, merges=()):
    out = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>',
           '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>']
    for r, row in enumerate(rows, start=1):
        cells = "".join(cell_xml(r, c, v) for c, v in enumerate(row))
        if cells:
            out.append(f'<row r="{r}">{cells}</row>')
    out.append("</sheetData>")
    if merges:
        out.append(f'<mergeCells count="{len(merges)}">')
        out.extend(f'<mergeCell ref="{m}"/>' for m in merges)
        out.append("</mergeCells>")
    out.append("</worksheet>")
    return "".join(out)


def write_xlsx(path, sheets):
    """sheets: [(name, rows, merges)]."""
    ns = "http://schemas.openxmlformats.org/"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        overrides = "".join(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            for i in range(1, len(sheets) + 1))
        z.writestr("[Content_Types].xml",
                   '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                   '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                   '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                   '<Default Extension="xml" ContentType="application/xml"/>'
                   '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
                   '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
                   f"{overrides}</Types>")
        z.writestr("_rels/.rels",
                   '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                   '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   f'<Relationship Id="rId1" Type="{ns}officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
                   "</Relationships>")
        sheet_list = "".join(
            f'<sheet name="{escape(name)}" sheetId="{i}" r:id="rId{i}"/>'
            for i, (name, _, _) in enumerate(sheets, start=1))
        z.writestr("xl/workbook.xml",
                   '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                   f'<workbook xmlns="{ns}spreadsheetml/2006/main" xmlns:r="{ns}officeDocument/2006/relationships">'
                   f"<sheets>{sheet_list}</sheets></workbook>")
        rels = "".join(
            f'<Relationship Id="rId{i}" Type="{ns}officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, len(sheets) + 1))
        rels += f'<Relationship Id="rId{len(sheets) + 1}" Type="{ns}officeDocument/2006/relationships/styles" Target="styles.xml"/>'
        z.writestr("xl/_rels/workbook.xml.rels",
                   '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                   f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}</Relationships>')
        numfmts = "".join(f'<numFmt numFmtId="{i}" formatCode="{escape(c, {chr(34): "&quot;"})}"/>'
                          for i, c in FORMATS.items())
        xfs = '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>' + "".join(
            f'<xf numFmtId="{i}" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
            for i in FORMATS)
        z.writestr("xl/styles.xml",
                   '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                   f'<styleSheet xmlns="{ns}spreadsheetml/2006/main">'
                   f'<numFmts count="{len(FORMATS)}">{numfmts}</numFmts>'
                   '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
                   '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
                   '<borders count="1"><border/></borders>'
                   '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
                   f'<cellXfs count="{len(FORMATS) + 1}">{xfs}</cellXfs>'
                   "</styleSheet>")
        for i, (_, rows, merges) in enumerate(sheets, start=1):
            z.writestr(f"xl/worksheets/sheet{i}.xml", sheet_xml(rows, merges))


def read_csv(name):
    with open(os.path.join(FIXTURES, name + ".csv"), newline="", encoding="utf-8-sig") as f:
        return list(csv.reader(f))


def salesforce_report():
    """The opportunities fixture as a Salesforce formatted report grouped by Type."""
    header, *records = [r for r in read_csv("salesforce-opportunities") if any(r)]
    records = [r for r in records if len(r) == len(header)]
    t = header.index("Type")
    amount = header.index("Amount")
    cols = ["Type"] + [h for i, h in enumerate(header) if i != t]
    width = len(cols)
    rows = [
        ["Opportunities by Type"] + [None] * (width - 1),
        ["As of 3/6/2024 10:00 AM · Generated by Emma Stone"],
        ["Filtered By:"],
        ["    Show: All opportunities"],
        ["    Close Date: All Time"],
        [],
        cols,
    ]
    merges = [f"A1:{col_name(width - 1)}1"]
    groups = {}
    for r in records:
        groups.setdefault(r[t], []).append(r)
    a_col = col_name(cols.index("Amount"))
    subtotal_rows = []
    for value, members in sorted(groups.items()):
        first = len(rows) + 1
        for k, r in enumerate(members):
            rest = [v for i, v in enumerate(r) if i != t]
            rows.append([value if k == 0 else None] + rest)
        last = len(rows)
        if last > first:
            merges.append(f"A{first}:A{last}")
        total = sum(float(typed(m[amount])[1]) for m in members)
        sub = [None] * width
        sub[1] = "Subtotal"
        sub[cols.index("Amount")] = ("f", f"SUM({a_col}{first}:{a_col}{last})", repr(total))
        rows.append(sub)
        subtotal_rows.append(len(rows))
    grand = [None] * width
    grand[0] = "Total"
    grand[cols.index("Amount")] = (
        "f", "+".join(f"{a_col}{r}" for r in subtotal_rows),
        repr(sum(float(typed(r[amount])[1]) for r in records)))
    rows += [grand, [], ["Confidential Information - Do Not Distribute"],
             ["Copyright (c) 2000-2024 salesforce.com, inc. All rights reserved."]]
    return rows, merges


def soffice(args, cwd):
    subprocess.run(["soffice", "--headless", "--norestore", *args], cwd=cwd, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=180)


MACRO = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">
<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Module1" script:language="StarBasic">
Sub SaveWithPassword(src As String, dst As String, filt As String, pw As String)
  Dim args(0) As New com.sun.star.beans.PropertyValue
  args(0).Name = &quot;Hidden&quot;
  args(0).Value = True
  doc = StarDesktop.loadComponentFromURL(ConvertToURL(src), &quot;_blank&quot;, 0, args())
  Dim out(1) As New com.sun.star.beans.PropertyValue
  out(0).Name = &quot;FilterName&quot;
  out(0).Value = filt
  out(1).Name = &quot;Password&quot;
  out(1).Value = pw
  doc.storeToURL(ConvertToURL(dst), out())
  doc.close(True)
End Sub
</script:module>
"""


def encrypt_xlsx(src, dest):
    """Encrypt an .xlsx as Excel does when given a password (ECMA-376 agile encryption in
    an OLE container), with msoffcrypto-tool (PyPI: `pip install msoffcrypto-tool`)."""
    try:
        from msoffcrypto.format.ooxml import OOXMLFile
    except ImportError:
        print("msoffcrypto-tool is not installed: password-protected.xlsx left as it is")
        return
    with open(src, "rb") as plain, open(dest, "wb") as out:
        OOXMLFile(plain).encrypt("baton", out)


def save_with_password(src, dest, filt, tmp):
    profile = os.path.join(tmp, "profile")
    url = "file://" + profile
    if not os.path.isdir(profile):
        subprocess.run(["soffice", f"-env:UserInstallation={url}", "--headless",
                        "--terminate_after_init"], check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, timeout=180)
        with open(os.path.join(profile, "user/basic/Standard/Module1.xba"), "w") as f:
            f.write(MACRO)
    call = f'macro:///Standard.Module1.SaveWithPassword("{src}","{dest}","{filt}","secret")'
    subprocess.run(["soffice", f"-env:UserInstallation={url}", "--headless", call], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=180)


def main():
    use_lo = "--no-libreoffice" not in sys.argv and shutil.which("soffice")
    tmp = tempfile.mkdtemp(prefix="baton-fixtures-")
    own = os.path.join(tmp, "own")
    os.makedirs(own)
    made = {}
    for name in PRESET_FIXTURES:
        rows = read_csv(name)
        made[name] = [(name.split("-")[0].title(), rows, ())]
    rows, merges = salesforce_report()
    made["salesforce-opportunities-report"] = [("Opportunities by Type", rows, merges)]
    made["multi-sheet"] = [
        ("Cover", [], ()),
        ("Deals", read_csv("zoho-deals"), ()),
        ("Leads", read_csv("zoho-leads"), ()),
    ]
    made["empty-workbook"] = [("Sheet1", [], ())]
    # Dates typed in as text (D/M/YYYY) beside a date cell: the text goes through the date rules.
    deals = read_csv("zoho-deals")
    closing = deals[0].index("Closing Date")
    for row in deals[2:]:
        y, m, d = row[closing].split("-")
        row[closing] = Text(f"{int(d)}/{int(m)}/{y}")
    made["zoho-deals-text-dates"] = [("Deals", deals, ())]
    # A bad amount on sheet row 3, for the row error and partial imports.
    bad = read_csv("hubspot-deals")
    bad[2][bad[0].index("Amount")] = "five thousand"
    made["hubspot-deals-bad-amount"] = [("Deals", bad, ())]
    for name, sheets in made.items():
        write_xlsx(os.path.join(own, name + ".xlsx"), sheets)
    if use_lo:
        out = os.path.join(tmp, "lo")
        os.makedirs(out)
        files = sorted(os.path.join(own, f) for f in os.listdir(own))
        soffice(["--convert-to", "xlsx", "--outdir", out, *files], tmp)
        src = out
        soffice(["--convert-to", "ods", "--outdir", out, os.path.join(out, "hubspot-deals.xlsx"),
                 os.path.join(out, "salesforce-opportunities-report.xlsx")], tmp)
        soffice(["--convert-to", "xls", "--outdir", out, os.path.join(out, "zoho-deals.xlsx")], tmp)
        for f in ["hubspot-deals.ods", "salesforce-opportunities-report.ods", "zoho-deals.xls"]:
            shutil.copy(os.path.join(out, f), os.path.join(FIXTURES, f))
        # Passwords: `--convert-to` cannot set one, so a Basic macro in a throwaway
        # LibreOffice profile stores the workbook with one (.ods and .xls; LibreOffice 7.4
        # writes an .xlsx given a password unencrypted, so the .xlsx is encrypted below).
        for ext, filt in [("ods", "calc8"), ("xls", "MS Excel 97")]:
            dest = os.path.join(FIXTURES, "password-protected." + ext)
            save_with_password(os.path.join(out, "zoho-deals.xlsx"), dest, filt, tmp)
        encrypt_xlsx(os.path.join(out, "zoho-deals.xlsx"), os.path.join(FIXTURES, "password-protected.xlsx"))
    else:
        src = own
    for name in made:
        shutil.copy(os.path.join(src, name + ".xlsx"), os.path.join(FIXTURES, name + ".xlsx"))
    # Damaged: the first 1,500 bytes of a real workbook (a download cut short).
    with open(os.path.join(FIXTURES, "zoho-deals.xlsx"), "rb") as f:
        head = f.read(1500)
    with open(os.path.join(FIXTURES, "damaged.xlsx"), "wb") as f:
        f.write(head)
    shutil.rmtree(tmp)
    print("wrote", ", ".join(sorted(made)), "(+ .ods, .xls, password, damaged)" if use_lo else "")


if __name__ == "__main__":
    main()
