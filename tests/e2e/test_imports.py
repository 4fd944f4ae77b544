"""Imports screen: a CSV no preset knows is mapped column by column through the dropdowns,
imported (the workspace then holds what the CLI makes of the same file with the same
mapping as a profile) and undone; a HubSpot export shows what the CLI's preview detects;
answering the month/day question re-reads the dates; Cancel leaves the workspace as it was."""

import json
from pathlib import Path

from selenium.webdriver.common.by import By
from selenium.webdriver.remote.file_detector import UselessFileDetector
from selenium.webdriver.support.ui import Select

from conftest import ROOT, cli_json, run_cli
from helpers import goto, text_of, wait_for, wait_for_text, waiting

FIXTURES = ROOT / "src-tauri" / "crates" / "baton-import" / "tests" / "fixtures"

# Our own little CRM's export: no preset reads it.
OWN_CRM_CSV = """Ref,Status,Created on,Origin,Plan
A-1,New,2025-01-06,Webinar,Pro
A-2,Qualified,2025-01-20,Google,Pro
A-3,Won,2025-02-03,google,Team
A-4,Dead,2025-02-11,Partner,
A-5,Qualified,2025-03-01,Webinar,Team
"""
ROLES = {
    "Ref": "record_id",
    "Status": "stage_column",
    "Created on": "created_date",
    "Origin": "field:source",
    "Plan": "field:plan",
}
STAGES = {"New": "lead", "Qualified": "sql", "Won": "customer", "Dead": "lost"}
# Summary figure on the screen → key of `baton imports --json`.
SUMMARY = {"read": "rows_read", "inserted": "inserted", "updated": "updated", "rejected": "rejected"}
# How the screen names the CLI's date formats.
FORMAT_LABELS = {"mdy": "M/D/YYYY", "dmy": "D/M/YYYY", "ymd": "YYYY-MM-DD"}
# The same mapping written as an import profile for the CLI (docs/import.md).
PROFILE = {
    "record_id": "Ref",
    "stage_column": "Status",
    "stage_values": STAGES,
    "created_date": "Created on",
    "fields": {"source": "Origin", "plan": "Plan"},
}


def fresh_workspace(tmp_path: Path, name: str) -> Path:
    path = tmp_path / name
    run_cli("--workspace", path, "init")
    return path


def open_file(app, path: Path, timeout: float = 10) -> None:
    """Type the file's path in the screen's path box and wait for its preview."""
    box = wait_for(app, "[data-testid=import-path]")
    box.clear()
    # Type the path as text: by default Selenium would upload an existing file instead.
    with app.file_detector_context(UselessFileDetector):
        box.send_keys(str(path))
    app.find_element(By.CSS_SELECTOR, "[data-testid=import-path-open]").click()
    wait_for_text(app, "[data-testid=import-preview]", "delimiter", timeout)


def choose(app, css: str, value: str) -> None:
    """Pick `value` in the dropdown matching `css`, then wait for the re-run preview."""
    Select(wait_for(app, css)).select_by_value(value)
    waiting(app, 10).until(
        lambda d: Select(d.find_element(By.CSS_SELECTOR, css)).first_selected_option.get_attribute("value") == value
        and d.find_element(By.CSS_SELECTOR, "[data-testid=import-preview]").get_attribute("aria-busy") == "false"
    )


def import_button_enabled(app) -> bool:
    return app.find_element(By.CSS_SELECTOR, "[data-testid=import-run]").is_enabled()


def test_a_csv_no_preset_knows_is_mapped_imported_and_undone(launch, tmp_path: Path):
    csv = tmp_path / "our-crm.csv"
    csv.write_text(OWN_CRM_CSV)
    ws = fresh_workspace(tmp_path, "ui.baton")
    app = launch(ws)
    goto(app, "imports")
    open_file(app, csv)
    assert text_of(wait_for(app, "[data-testid=preview-preset]")) == "No preset recognised"
    assert "Say below what each column holds" in text_of(wait_for(app, "[data-testid=preview-problem]"))
    assert not import_button_enabled(app)

    for column, role in ROLES.items():
        choose(app, f'[data-testid=column-role][data-column="{column}"]', role)
    assert app.find_elements(By.CSS_SELECTOR, "[data-testid=preview-problem]") == []
    for value, stage in STAGES.items():
        choose(app, f'[data-testid=stage-value][data-value="{value}"]', stage)
    waiting(app, 10).until(import_button_enabled)
    app.find_element(By.CSS_SELECTOR, "[data-testid=import-run]").click()

    wait_for(app, "[data-testid=import-summary]", timeout=30)
    history = cli_json("--workspace", ws, "imports")
    assert len(history) == 1
    shown = {k: int(text_of(app.find_element(By.CSS_SELECTOR, f"[data-testid=summary-{k}]"))) for k in SUMMARY}
    assert shown == {k: history[0][key] for k, key in SUMMARY.items()}
    assert shown["read"] == shown["inserted"] == len(OWN_CRM_CSV.strip().splitlines()) - 1

    # The CLI, given the same mapping as a profile, makes the same workspace of the file.
    profile = tmp_path / "our-crm.json"
    profile.write_text(json.dumps(PROFILE))
    cli_ws = fresh_workspace(tmp_path, "cli.baton")
    run_cli("--workspace", cli_ws, "import", "--profile", profile, csv)
    ui_overview = cli_json("--workspace", ws, "overview")
    cli_overview = cli_json("--workspace", cli_ws, "overview")
    for key in ("records", "records_by_kind", "kinds"):
        assert ui_overview[key] == cli_overview[key], key
    assert sum(k["lost"] for k in ui_overview["kinds"]) == list(STAGES.values()).count("lost") == 1

    row = f'[data-testid=history-row][data-import-id="{history[0]["id"]}"]'
    wait_for(app, f"{row} [data-testid=import-undo]").click()
    wait_for_text(app, f"{row} [data-testid=history-status]", "undone")
    assert cli_json("--workspace", ws, "imports")[0]["undone_at"] is not None
    assert cli_json("--workspace", ws, "overview")["records"] == 0


def test_a_hubspot_export_shows_what_the_cli_detects(launch, tmp_path: Path):
    fixture = FIXTURES / "hubspot-contacts-excel.csv"
    ws = fresh_workspace(tmp_path, "ui.baton")
    expected = cli_json("--workspace", ws, "import-preview", fixture)
    assert expected["preset"] == "hubspot-contacts"
    app = launch(ws)
    goto(app, "imports")
    open_file(app, fixture)

    preset = wait_for(app, "[data-testid=preview-preset]")
    assert text_of(preset) == expected["preset_label"]
    assert preset.get_attribute("data-preset") == expected["preset"]
    assert text_of(app.find_element(By.CSS_SELECTOR, "[data-testid=preview-encoding]")) == expected["encoding"]
    assert text_of(app.find_element(By.CSS_SELECTOR, "[data-testid=preview-delimiter]")) == expected["delimiter"]
    # The preset's mapping is the editable starting point.
    profile = expected["profile"]
    roles = {profile["record_id"]: "record_id", profile["stage_column"]: "stage_column", profile["fields"]["source"]: "field:source"}
    for column, role in roles.items():
        select = Select(app.find_element(By.CSS_SELECTOR, f'[data-testid=column-role][data-column="{column}"]'))
        assert select.first_selected_option.get_attribute("value") == role
    # This Excel-mangled file leaves some date columns undecided: the screen asks, as the CLI does.
    assert expected["ambiguous_date_columns"]
    question = text_of(wait_for(app, "[data-testid=date-question]"))
    for column in expected["ambiguous_date_columns"]:
        assert column in question
    assert not import_button_enabled(app)


def test_answering_the_date_question_rereads_the_dates(launch, tmp_path: Path):
    csv = tmp_path / "closed.csv"
    csv.write_text("Ref,Closed\nB-1,01/02/2025\nB-2,03/04/2025\nB-3,05/06/2025\n")
    profile = tmp_path / "closed.json"
    profile.write_text(json.dumps({"record_id": "Ref", "close_date": "Closed"}))
    ws = fresh_workspace(tmp_path, "ui.baton")
    asked = cli_json("--workspace", ws, "import-preview", "--profile", profile, csv)
    answered = cli_json("--workspace", ws, "import-preview", "--profile", profile, "--date-format", "dmy", csv)
    assert asked["ambiguous_date_columns"] == ["Closed"]
    closed = next(c for c in answered["columns"] if c["name"] == "Closed")

    app = launch(ws)
    goto(app, "imports")
    open_file(app, csv)
    choose(app, '[data-testid=column-role][data-column="Ref"]', "record_id")
    choose(app, '[data-testid=column-role][data-column="Closed"]', "close_date")
    wait_for_text(app, "[data-testid=date-question]", "Closed")
    wait_for_text(app, '[data-testid=column-type][data-column="Closed"]', "M/D or D/M?")
    assert not import_button_enabled(app)

    wait_for(app, "[data-testid=date-dmy]").click()
    wait_for_text(app, '[data-testid=column-type][data-column="Closed"]', FORMAT_LABELS[closed["date_format"]])
    # The question stays, so the answer can still be changed.
    assert app.find_element(By.CSS_SELECTOR, "[data-testid=date-dmy]").is_selected()
    waiting(app, 10).until(import_button_enabled)


def test_cancel_leaves_the_workspace_unchanged(launch, tmp_path: Path):
    fixture = (FIXTURES / "hubspot-contacts.csv").read_text().splitlines()
    header, first = fixture[0], fixture[1].split(",", 1)[1]
    big = tmp_path / "big-hubspot.csv"
    with big.open("w") as out:  # large enough for the import to still run when Cancel is clicked
        out.write(header + "\n")
        out.writelines(f"{100000 + i},{first}\n" for i in range(200_000))
    ws = fresh_workspace(tmp_path, "ui.baton")
    app = launch(ws)
    goto(app, "imports")
    open_file(app, big, timeout=60)  # the preview reads the first 200,000 rows
    waiting(app, 30).until(import_button_enabled)
    app.find_element(By.CSS_SELECTOR, "[data-testid=import-run]").click()
    wait_for(app, "[data-testid=import-cancel]", timeout=10).click()

    wait_for_text(app, "[data-testid=import-notice]", "cancelled", timeout=30)
    assert not app.find_elements(By.CSS_SELECTOR, "[data-testid=import-summary]")
    assert cli_json("--workspace", ws, "imports") == []
    assert cli_json("--workspace", ws, "overview")["records"] == 0


CONTACTS_CSV = """Record ID,Lifecycle Stage,Create Date,Original Source
1,Lead,2025-01-02,Web
2,Lead,2025-01-03,Web
3,Lead,2025-01-04,Events
4,Marketing Qualified Lead,2025-01-05,Web
5,Marketing Qualified Lead,2025-01-06,Web
6,Customer,2025-01-07,Web
7,Lead,whenever,Web
"""


def shown_stages(app) -> dict[str, int]:
    return {
        li.get_attribute("data-stage"): int(text_of(li.find_element(By.CSS_SELECTOR, "strong")).replace(",", ""))
        for li in app.find_elements(By.CSS_SELECTOR, "[data-testid=outcome-stage]")
    }


def test_the_preview_tells_what_the_mapping_will_import_then_links_to_the_funnel(launch, tmp_path: Path):
    csv = tmp_path / "contacts.csv"
    csv.write_text(CONTACTS_CSV)
    ws = fresh_workspace(tmp_path, "ui.baton")
    expected = cli_json("--workspace", ws, "import-preview", csv)["would_import"]
    assert (expected["records"], expected["rejected"]) == (6, 1)
    app = launch(ws)
    goto(app, "imports")
    open_file(app, csv)
    wait_for_text(app, "[data-testid=outcome-headline]", "6 contact records from the 7 rows of the file")
    assert shown_stages(app) == {s["stage"]: s["records"] for s in expected["stages"] if s["records"] > 0}
    assert shown_stages(app) == {"lead": 3, "mql": 2, "customer": 1}
    notes = [text_of(n) for n in app.find_elements(By.CSS_SELECTOR, "[data-testid=outcome-note]")]
    assert any(n.startswith('1 row would be rejected: row at line 8, column "Create Date"') for n in notes), notes

    # A mapping change re-maps the rows read: without a stage column, no record has a stage.
    choose(app, '[data-testid=column-role][data-column="Lifecycle Stage"]', "")
    waiting(app, 10).until(lambda d: shown_stages(d) == {"": 6})

    choose(app, '[data-testid=column-role][data-column="Lifecycle Stage"]', "stage_column")
    waiting(app, 10).until(lambda d: shown_stages(d) == {"lead": 3, "mql": 2, "customer": 1})
    app.find_element(By.CSS_SELECTOR, "[data-testid=import-partial]").click()
    waiting(app, 10).until(import_button_enabled)
    app.find_element(By.CSS_SELECTOR, "[data-testid=import-run]").click()
    wait_for(app, "[data-testid=import-summary]", timeout=30)
    assert text_of(app.find_element(By.CSS_SELECTOR, "[data-testid=summary-inserted]")) == "6"
    app.find_element(By.CSS_SELECTOR, "[data-testid=import-open-funnel]").click()
    waiting(app, 10).until(lambda d: text_of(d.find_element(By.CSS_SELECTOR, "[data-testid=screen-title]")) == "Funnel")


def test_a_partial_import_rejecting_most_rows_asks_first(launch, tmp_path: Path):
    csv = tmp_path / "misread.csv"
    csv.write_text("Record ID,Lifecycle Stage,Create Date\n1,Lead,2025-01-02\n2,Lead,soon\n3,Lead,later\n")
    ws = fresh_workspace(tmp_path, "ui.baton")
    app = launch(ws)
    goto(app, "imports")
    open_file(app, csv)
    wait_for_text(app, "[data-testid=outcome-warning]", "More than half of the rows would be rejected (2 of 3)")
    app.find_element(By.CSS_SELECTOR, "[data-testid=import-partial]").click()
    waiting(app, 10).until(import_button_enabled)
    app.find_element(By.CSS_SELECTOR, "[data-testid=import-run]").click()
    wait_for_text(app, "[data-testid=import-confirm-force]", "misread.csv: 2 of 3 rows could not be read as records")
    assert cli_json("--workspace", ws, "imports") == []
    app.find_element(By.CSS_SELECTOR, "[data-testid=import-force]").click()
    wait_for(app, "[data-testid=import-summary]", timeout=30)
    assert text_of(app.find_element(By.CSS_SELECTOR, "[data-testid=summary-rejected]")) == "2"
    assert cli_json("--workspace", ws, "imports")[0]["rejected"] == 2
