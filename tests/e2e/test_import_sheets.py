"""Imports screen with a workbook: the preview lists its sheets and reads the first with
data, the Sheet picker reads another (as `baton import-preview --sheet` does), and the
import lands what `baton import --sheet` makes of the same sheet."""

from pathlib import Path

from selenium.webdriver.common.by import By
from selenium.webdriver.remote.file_detector import UselessFileDetector
from selenium.webdriver.support.ui import Select

from conftest import ROOT, cli_json, run_cli
from helpers import goto, text_of, wait_for, wait_for_text, waiting

WORKBOOK = ROOT / "src-tauri" / "crates" / "baton-import" / "tests" / "fixtures" / "multi-sheet.xlsx"


def preview_ready(app) -> bool:
    return app.find_element(By.CSS_SELECTOR, "[data-testid=import-preview]").get_attribute("aria-busy") == "false"


def test_a_workbook_sheet_is_chosen_previewed_and_imported(launch, tmp_path: Path):
    ws = tmp_path / "ui.baton"
    run_cli("--workspace", ws, "init")
    first = cli_json("--workspace", ws, "import-preview", WORKBOOK)
    leads = cli_json("--workspace", ws, "import-preview", "--sheet", "Leads", WORKBOOK)
    assert first["sheet"] != leads["sheet"] and first["preset"] != leads["preset"]

    app = launch(ws)
    goto(app, "imports")
    box = wait_for(app, "[data-testid=import-path]")
    with app.file_detector_context(UselessFileDetector):
        box.send_keys(str(WORKBOOK))
    app.find_element(By.CSS_SELECTOR, "[data-testid=import-path-open]").click()
    wait_for_text(app, "[data-testid=preview-sheet]", first["sheet"])
    assert text_of(app.find_element(By.CSS_SELECTOR, "[data-testid=preview-encoding]")) == first["encoding"]
    picker = Select(wait_for(app, "[data-testid=sheet-choice]"))
    assert [o.get_attribute("value") for o in picker.options] == first["sheets"]
    assert picker.first_selected_option.get_attribute("value") == first["sheet"]
    assert wait_for(app, "[data-testid=preview-preset]").get_attribute("data-preset") == first["preset"]

    picker.select_by_value("Leads")
    wait_for_text(app, "[data-testid=preview-sheet]", "Leads")
    waiting(app, 10).until(
        lambda d: preview_ready(d)
        and d.find_element(By.CSS_SELECTOR, "[data-testid=preview-preset]").get_attribute("data-preset") == leads["preset"]
    )
    # What the mapping will import is told for the sheet read, as `import-preview --sheet` tells it.
    expected = leads["would_import"]
    assert expected["records"] > 0 and expected["rejected"] == 0
    wait_for_text(app, "[data-testid=outcome-headline]", f"{expected['records']} lead records")
    shown = {
        li.get_attribute("data-stage"): int(text_of(li.find_element(By.CSS_SELECTOR, "strong")).replace(",", ""))
        for li in app.find_elements(By.CSS_SELECTOR, "[data-testid=outcome-stage]")
    }
    assert shown == {s["stage"]: s["records"] for s in expected["stages"] if s["records"] > 0}
    app.find_element(By.CSS_SELECTOR, "[data-testid=import-run]").click()
    wait_for(app, "[data-testid=import-summary]", timeout=30)

    cli_ws = tmp_path / "cli.baton"
    run_cli("--workspace", cli_ws, "init")
    run_cli("--workspace", cli_ws, "import", "--sheet", "Leads", WORKBOOK)
    ui, cli = cli_json("--workspace", ws, "overview"), cli_json("--workspace", cli_ws, "overview")
    for key in ("records", "records_by_kind", "kinds"):
        assert ui[key] == cli[key], key
    assert ui["records"] > 0
