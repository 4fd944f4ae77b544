"""The shell: the window opens on the demo, every screen is reachable, Overview shows real data."""

from pathlib import Path

from selenium.webdriver.common.by import By

from conftest import cli_json, run_cli
from helpers import goto, screen_title, sidebar_screens, text_of, wait_for, wait_for_text

EXPECTED_SCREENS = [
    "Overview",
    "Personas",
    "Vocabulary & SLAs",
    "Goals",
    "Funnel",
    "Diagnostic",
    "Workshop",
    "Imports",
    "Reports",
]


def test_app_opens_on_the_workspace_it_was_given(app, demo_workspace: Path):
    assert app.title == f"{demo_workspace.stem} — Baton"
    assert screen_title(app) == "Overview"
    header = text_of(wait_for(app, "[data-testid=workspace-name]"))
    assert "Larkspur Analytics" in header
    assert "Demo data" in header


def test_every_sidebar_screen_can_be_visited(app):
    assert [label for _, label in sidebar_screens(app)] == EXPECTED_SCREENS
    for screen_id, label in sidebar_screens(app):
        assert goto(app, screen_id) == label
        assert app.find_elements(By.CSS_SELECTOR, "[data-testid=error-banner]") == []
    # Back to the start, through the same navigation.
    assert goto(app, "overview") == "Overview"


def test_overview_shows_the_workspace_records(app, demo_workspace: Path):
    facts = cli_json("--workspace", demo_workspace, "overview")
    assert facts["records"] > 1000  # the demo ships a few thousand CRM records
    records = wait_for_text(app, "[data-testid=overview-records]", f"{facts['records']:,}")
    assert records.get_attribute("data-count") == str(facts["records"])
    imports = text_of(wait_for(app, "[data-testid=overview-imports]"))
    assert imports == str(facts["imports"])
    # One table per kind, each record counted once within its own kind.
    for kind in facts["kinds"]:
        card = wait_for(app, f'[data-testid=kind-card][data-kind="{kind["kind"]}"]')
        shown = {
            row.get_attribute("data-stage"): text_of(row.find_element(By.CSS_SELECTOR, ".count"))
            for row in card.find_elements(By.CSS_SELECTOR, "[data-testid=stage-row]")
        }
        expected = {s["id"]: f"{s['count']:,}" for s in kind["stages"]}
        expected["lost"] = f"{kind['lost']:,}"
        if kind["no_stage"] > 0:
            expected["none"] = f"{kind['no_stage']:,}"
        assert shown == expected, kind["kind"]


def test_a_broken_workspace_file_shows_its_error_in_place(launch, tmp_path: Path):
    bad = tmp_path / "notes.baton"
    bad.write_text("these are meeting notes, not a workspace " * 20)
    driver = launch(bad, ready="[data-testid=error-banner]")
    banner = wait_for(driver, "[data-testid=error-banner]")
    assert banner.get_attribute("data-code") == "not_a_workspace"
    assert "notes.baton" in text_of(banner)
    assert driver.find_elements(By.CSS_SELECTOR, "[data-testid=screen-title]") == []


def test_file_menu_switches_workspace_and_screens_reload(launch, tmp_path: Path):
    empty = tmp_path / "empty.baton"
    run_cli("--workspace", empty, "init")
    driver = launch(empty)
    records = wait_for(driver, "[data-testid=overview-records]")
    assert records.get_attribute("data-count") == "0"

    wait_for(driver, "[data-testid=file-menu]").click()
    wait_for(driver, "[data-testid=menu-open-demo]").click()

    # The app builds its demo in its data dir (XDG_DATA_HOME is per test, see conftest).
    wait_for_text(driver, "[data-testid=workspace-name]", "Larkspur Analytics", timeout=30)
    demo = tmp_path / "data" / "app.baton.workbench" / "demo.baton"
    expected = cli_json("--workspace", demo, "overview")["records"]
    wait_for_text(driver, "[data-testid=overview-records]", f"{expected:,}")
