"""The window follows writes it did not make: the CLI (another process) writing to the
same workspace shows up on the screen within a couple of seconds, with no reload."""

from pathlib import Path

from selenium.webdriver.common.by import By

from conftest import ROOT, cli_json, run_cli
from helpers import goto, text_of, waiting


def goal_names(driver) -> list[str]:
    return [text_of(g) for g in driver.find_elements(By.CSS_SELECTOR, "[data-testid=goal]")]


def test_a_goal_added_from_the_cli_appears_on_the_open_goals_screen(app, demo_workspace: Path):
    goto(app, "goals")
    waiting(app).until(lambda d: goal_names(d))
    before = len(goal_names(app))

    run_cli(
        "--workspace", demo_workspace, "goals", "add",
        "--metric", "reached:sql", "--target", "77", "--period", "2026-Q4",
        "--team", "sales", "--name", "Added from the terminal",
    )
    waiting(app, timeout=5).until(lambda d: any("Added from the terminal" in n for n in goal_names(d)))
    assert len(goal_names(app)) == before + 1

    added = next(g for g in cli_json("--workspace", demo_workspace, "goals") if g["goal"]["name"] == "Added from the terminal")
    run_cli("--workspace", demo_workspace, "goals", "remove", str(added["goal"]["id"]))
    waiting(app, timeout=5).until(lambda d: not any("Added from the terminal" in n for n in goal_names(d)))
    assert len(goal_names(app)) == before


def test_an_import_from_the_cli_updates_the_open_overview(app, demo_workspace: Path, tmp_path: Path):
    fixture = ROOT / "src-tauri" / "crates" / "baton-import" / "tests" / "fixtures" / "hubspot-contacts.csv"
    header, *rows = fixture.read_text().splitlines()
    # Ids no demo record has, so the import adds records rather than updating them.
    fresh = [f"99{n:04d}," + row.split(",", 1)[1] for n, row in enumerate(rows)]
    csv = tmp_path / "more-contacts.csv"
    csv.write_text("\n".join([header, *fresh]) + "\n")
    count = lambda d: int(d.find_element(By.CSS_SELECTOR, "[data-testid=overview-records]").get_attribute("data-count"))
    waiting(app).until(lambda d: count(d) > 0)
    before = count(app)

    run_cli("--workspace", demo_workspace, "import", csv)
    waiting(app, timeout=5).until(lambda d: count(d) == before + len(fresh))
