"""One figure, one number: Overview and Goals on the demo show what the CLI computes."""

from pathlib import Path

from selenium.webdriver.common.by import By

from conftest import cli_json, run_cli
from helpers import goto, text_of, wait_for, wait_for_text


def test_overview_counts_each_kind_on_its_own_with_shares_of_that_kind(app, demo_workspace: Path):
    facts = cli_json("--workspace", demo_workspace, "overview")
    assert facts["default_kind"] == "contact"
    for kind in facts["kinds"]:
        card = wait_for(app, f'[data-testid=kind-card][data-kind="{kind["kind"]}"]')
        lost = card.find_element(By.CSS_SELECTOR, '[data-testid=stage-row][data-stage="lost"]')
        assert text_of(lost.find_element(By.CSS_SELECTOR, ".count")) == f"{kind['lost']:,}"
        share = kind["lost"] / kind["records"] * 100
        assert text_of(lost.find_element(By.CSS_SELECTOR, ".share")) == f"{share:.1f}%"
    # Nowhere on Overview is a figure that adds contacts and deals per stage.
    assert "headline figures count these" in text_of(wait_for(app, '[data-testid=kind-card][data-kind="contact"]'))


def test_goals_screen_shows_the_cli_figures_with_their_period(app, demo_workspace: Path):
    goals = cli_json("--workspace", demo_workspace, "goals")
    goto(app, "goals")
    wait_for(app, "[data-testid=goal]")
    rows = app.find_elements(By.CSS_SELECTOR, "[data-testid=goal]")
    assert len(rows) == len(goals)
    for row, g in zip(rows, goals):
        assert text_of(row.find_element(By.CSS_SELECTOR, "[data-testid=goal-actual]")) == g["actual_text"]
        assert text_of(row.find_element(By.CSS_SELECTOR, "[data-testid=goal-target-text]")) == g["target_text"]
        assert g["scope"] in text_of(row.find_element(By.CSS_SELECTOR, "[data-testid=goal-scope]"))
    conversion = next(g for g in goals if g["goal"]["metric"]["kind"] == "conversion")
    assert conversion["target_text"] == "40%"

    # The SLA card: the all-time figure of `baton sla`, named as such, and the goal's
    # quarter figure beside it, equal to `baton sla --period`.
    slas = cli_json("--workspace", demo_workspace, "sla")
    sla_goal = next(g for g in goals if g["goal"]["metric"]["kind"] == "sla_met")
    clause_id = sla_goal["goal"]["metric"]["clause_id"]
    card_report = next(r for r in slas if r["id"] == clause_id)
    card = wait_for(app, f'[data-testid=sla-clause][data-id="{clause_id}"]')
    big = text_of(card.find_element(By.CSS_SELECTOR, "[data-testid=sla-pct]"))
    assert big == f"{card_report['pct_met'] * 100:.1f}% met, all time"
    scope = text_of(card.find_element(By.CSS_SELECTOR, "[data-testid=sla-scope]"))
    assert "all time" in scope
    q = sla_goal["goal"]["period"]["label"]
    quarter = next(r for r in cli_json("--workspace", demo_workspace, "sla", "--period", q) if r["id"] == clause_id)
    assert quarter["pct_met"] == sla_goal["actual"]
    assert f"In {q}" in scope and sla_goal["actual_text"] in scope


def test_company_name_is_set_on_overview(launch, tmp_path: Path):
    ws = tmp_path / "acme.baton"
    run_cli("--workspace", ws, "init")
    app = launch(ws)
    unset = wait_for(app, "[data-testid=overview-company]")
    assert unset.get_attribute("data-unset") == "true"
    assert text_of(unset) == "Company not set"
    wait_for(app, "[data-testid=company-edit]").click()
    field = wait_for(app, "[data-testid=company-input]")
    field.send_keys("Acme Ltd")
    wait_for(app, "[data-testid=company-save]").click()
    wait_for_text(app, "[data-testid=overview-company]", "Acme Ltd")
    assert cli_json("--workspace", ws, "settings")["company"] == "Acme Ltd"
    wait_for_text(app, "[data-testid=workspace-name]", "Acme Ltd")
