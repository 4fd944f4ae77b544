"""Reports screen: pick a period and sections, preview the typeset pages in the window,
and check the preview is the same document `baton report --pdf` writes for the same
choice (page count from pdfinfo, text from pdftotext). Native save dialogs cannot be
driven, so saving is checked by calling the `report_save` command the dialog feeds."""

import json
import re
import subprocess
from pathlib import Path

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from conftest import cli_json, run_cli
from helpers import goto, text_of, wait_for, wait_for_text, waiting

SECTIONS = ["summary", "goals", "funnel", "actions"]


def pdf_pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    match = re.search(r"^Pages:\s+(\d+)$", info, re.MULTILINE)
    assert match, info
    return int(match.group(1))


def pdf_text(pdf: Path) -> str:
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(out.split())


def goal_period(workspace: Path) -> str:
    """The period of the workspace's first goal (the demo's are one quarter)."""
    goals = cli_json("--workspace", workspace, "goals")
    assert goals, "the demo workspace has goals"
    return goals[0]["goal"]["period"]["label"]


def choose(app, period: str, sections: list[str]) -> None:
    Select(wait_for(app, "[data-testid=report-period]")).select_by_value(period)
    for box in app.find_elements(By.CSS_SELECTOR, "[data-testid=report-section]"):
        if (box.get_attribute("value") in sections) != box.is_selected():
            box.click()


def preview(app) -> list:
    wait_for(app, "[data-testid=report-preview]").click()
    waiting(app, 60).until(lambda d: d.find_elements(By.CSS_SELECTOR, "[data-testid=report-page]"))
    # Every page image has loaded and has a size (the SVG rendered).
    waiting(app, 20).until(
        lambda d: d.execute_script(
            "const imgs = [...document.querySelectorAll('[data-testid=report-page]')];"
            "return imgs.length > 0 && imgs.every(i => i.complete && i.naturalWidth > 0);"
        )
    )
    return app.find_elements(By.CSS_SELECTOR, "[data-testid=report-page]")


def invoke(app, command: str, args: dict) -> dict:
    """Call a backend command the way the UI does; returns {ok} or {error}."""
    return app.execute_async_script(
        "const [cmd, args, done] = arguments;"
        "window.__TAURI_INTERNALS__.invoke(cmd, args)"
        ".then(v => done({ok: v ?? null}), e => done({error: e}));",
        command,
        args,
    )


def test_preview_pages_are_the_cli_report(launch, demo_workspace: Path, tmp_path: Path):
    period = goal_period(demo_workspace)
    app = launch(demo_workspace)
    goto(app, "reports")
    choose(app, period, SECTIONS)
    pages = preview(app)

    cli_pdf = tmp_path / "cli.pdf"
    run_cli("--workspace", demo_workspace, "report", "--pdf", cli_pdf, "--period", period, "--sections", ",".join(SECTIONS))
    expected = pdf_pages(cli_pdf)
    assert len(pages) == expected
    wait_for_text(app, "[data-testid=report-summary]", f"{expected} pages")

    # Save writes exactly the previewed document: same pages, same text as the CLI's.
    saved = tmp_path / "saved.pdf"
    assert invoke(app, "report_save", {"path": str(saved)}) == {"ok": None}
    assert pdf_pages(saved) == expected
    assert pdf_text(saved) == pdf_text(cli_pdf)
    assert "Goals vs actuals" in pdf_text(saved)
    assert "Personas" not in pdf_text(saved)


def test_opening_another_workspace_drops_the_previewed_pdf(launch, demo_workspace: Path, tmp_path: Path):
    other = tmp_path / "other.baton"
    run_cli("--workspace", other, "init")
    recent = tmp_path / "config" / "app.baton.workbench" / "recent-workspaces.json"
    recent.parent.mkdir(parents=True, exist_ok=True)
    recent.write_text(json.dumps([str(other)]))

    app = launch(demo_workspace)
    goto(app, "reports")
    choose(app, "all", ["funnel"])
    preview(app)

    wait_for(app, "[data-testid=file-menu]").click()
    waiting(app, 10).until(
        lambda d: [b for b in d.find_elements(By.CSS_SELECTOR, "[role=menuitem]") if b.get_attribute("title") == str(other)]
    )
    [item] = [b for b in app.find_elements(By.CSS_SELECTOR, "[role=menuitem]") if b.get_attribute("title") == str(other)]
    item.click()
    waiting(app, 20).until(lambda d: d.title == f"{other.stem} — Baton")

    goto(app, "reports")
    assert app.find_elements(By.CSS_SELECTOR, "[data-testid=report-page]") == []
    assert not wait_for(app, "[data-testid=report-save]").is_enabled()
    # The backend no longer holds the other workspace's report either.
    result = invoke(app, "report_save", {"path": str(tmp_path / "stale.pdf")})
    assert result.get("error", {}).get("code") == "conflict", result
    assert not (tmp_path / "stale.pdf").exists()
    assert text_of(wait_for(app, "[data-testid=screen-title]")) == "Reports"
