"""The shell: the window opens on the demo, every screen is reachable, Overview shows real data."""

from pathlib import Path

from selenium.webdriver.common.by import By

from conftest import cli_json
from helpers import goto, screen_title, sidebar_screens, wait_for, wait_for_text

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
    header = wait_for(app, "[data-testid=workspace-name]").text
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
    imports = wait_for(app, "[data-testid=overview-imports]").text
    assert imports == str(facts["imports"])
    shown = {
        row.get_attribute("data-stage"): row.find_element(By.CSS_SELECTOR, ".count").text
        for row in app.find_elements(By.CSS_SELECTOR, "[data-testid=stage-row]")
    }
    assert shown == {s["id"]: f"{s['count']:,}" for s in facts["stages"]}


def test_a_broken_workspace_file_shows_its_error_in_place(launch, tmp_path: Path):
    bad = tmp_path / "notes.baton"
    bad.write_text("these are meeting notes, not a workspace " * 20)
    driver = launch(bad, ready="[data-testid=error-banner]")
    banner = wait_for(driver, "[data-testid=error-banner]")
    assert banner.get_attribute("data-code") == "not_a_workspace"
    assert "notes.baton" in banner.text
    assert driver.find_elements(By.CSS_SELECTOR, "[data-testid=screen-title]") == []
