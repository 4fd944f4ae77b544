"""Personas are signed off like lead definitions: agreed only once a sales and a
marketing participant signed the persona as it stands."""

from pathlib import Path

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from conftest import cli_json
from helpers import goto, text_of, wait_for, waiting


def persona_id(workspace: Path, name: str) -> int:
    rows = cli_json("--workspace", workspace, "personas")
    return next(r["persona"]["id"] for r in rows if r["persona"]["name"] == name)


def status_of(driver, name: str):
    card = wait_for(driver, f'[data-testid=persona-card][data-persona="{name}"]')
    return card.find_element(By.CSS_SELECTOR, "[data-testid=persona-status]")


def test_a_persona_is_agreed_once_sales_signs_after_marketing(app, demo_workspace: Path):
    goto(app, "personas")
    # The demo: both sides signed the CFO persona; only marketing signed the data lead.
    waiting(app, 10).until(lambda d: status_of(d, "Operations-minded CFO").get_attribute("data-status") == "agreed")
    data_lead = "Data lead in a regulated business"
    status = status_of(app, data_lead)
    assert status.get_attribute("data-status") == "open"
    assert "waiting for sales" in text_of(status)

    pid = persona_id(demo_workspace, data_lead)
    select = Select(wait_for(app, f"[data-testid=persona-signer-{pid}-select]"))
    waiting(app, 10).until(lambda d: any(text_of(o) == "Priya Nair (sales)" for o in select.options))
    select.select_by_visible_text("Priya Nair (sales)")
    card_css = f'[data-testid=persona-card][data-persona="{data_lead}"]'
    app.find_element(By.CSS_SELECTOR, f"{card_css} [data-testid=persona-sign]").click()
    waiting(app, 10).until(lambda d: status_of(d, data_lead).get_attribute("data-status") == "agreed")
    assert "Priya Nair" in text_of(wait_for(app, f"{card_css} [data-testid=persona-signoff]"))

    agreements = cli_json("--workspace", demo_workspace, "agreements")
    signed = next(a for a in agreements if a["subject"] == {"kind": "persona", "persona_id": pid})
    assert signed["agreed"] is True
    assert sorted(s["team"] for s in signed["versions"][0]["sign_offs"]) == ["marketing", "sales"]
