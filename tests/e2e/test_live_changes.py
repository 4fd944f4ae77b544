"""The window follows writes it did not make: the CLI (another process) writing to the
same workspace shows up on the screen within a couple of seconds, with no reload."""

from pathlib import Path

from selenium.webdriver.common.by import By

from conftest import cli_json, run_cli
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
