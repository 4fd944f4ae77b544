"""Workshop screens: a persona's criteria count the imported records (as the CLI does),
a lead definition is agreed only once sales and marketing have both signed it, and a
diagnostic with two participants shows each team's level and the gap per statement."""

from pathlib import Path

from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from conftest import cli_json
from helpers import goto, text_of, wait_for, wait_for_text


def wait_text(driver, css: str, text: str, timeout: float = 10) -> None:
    """Like helpers.wait_for_text, but tolerates the element being re-rendered meanwhile
    (a status badge is swapped for another element when the status changes)."""
    WebDriverWait(driver, timeout, ignored_exceptions=[StaleElementReferenceException]).until(
        lambda d: any(text in text_of(e) for e in d.find_elements(By.CSS_SELECTOR, css))
    )


def select_person(driver, testid: str, label: str) -> None:
    select = Select(wait_for(driver, f"[data-testid={testid}-select]"))
    WebDriverWait(driver, 10).until(lambda d: any(o.text == label or text_of(o) == label for o in select.options))
    select.select_by_visible_text(label)


def test_persona_with_criteria_shows_its_matching_count(app, demo_workspace: Path):
    goto(app, "personas")
    wait_for(app, "[data-testid=persona-new]").click()
    wait_for(app, "[data-testid=persona-name]").send_keys("Retail operations lead")
    value = wait_for(app, "[data-testid=criteria-value]")
    value.click()
    # Focusing loads the field's known values as suggestions; type once they are in.
    WebDriverWait(app, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, "datalist#values-industry option"))
    value.send_keys("Retail")
    WebDriverWait(app, 5).until(lambda d: value.get_property("value") == "Retail")
    app.find_element(By.CSS_SELECTOR, "[data-testid=criteria-add]").click()
    WebDriverWait(app, 5).until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "[data-testid=criteria-value]")) == 2)
    app.find_elements(By.CSS_SELECTOR, "[data-testid=criteria-value]")[1].send_keys("100")
    # The live preview counts before anything is saved.
    wait_for_text(app, "[data-testid=criteria-preview]", "Matches")
    app.find_element(By.CSS_SELECTOR, "[data-testid=persona-save]").click()

    card = wait_for(app, '[data-testid=persona-card][data-persona="Retail operations lead"]')
    personas = cli_json("--workspace", demo_workspace, "personas")
    mine = next(p for p in personas if p["persona"]["name"] == "Retail operations lead")
    assert mine["criteria_text"] == "industry in {Retail} and company_size ≥ 100"
    leads = mine["match"]["leads"]
    assert 0 < leads < mine["match"]["leads"] + mine["match"]["rest_leads"]
    WebDriverWait(app, 10).until(
        lambda d: text_of(card.find_element(By.CSS_SELECTOR, "[data-testid=persona-leads]")) == f"{leads:,}"
    )
    assert text_of(card.find_element(By.CSS_SELECTOR, "[data-testid=persona-customers]")) == f"{mine['match']['customers']:,}"


def test_a_definition_is_agreed_once_both_teams_sign(app, demo_workspace: Path):
    goto(app, "vocabulary")
    card_css = '[data-testid=agreement][data-subject="stage-opportunity"]'
    card = wait_for(app, card_css)
    assert card.find_element(By.CSS_SELECTOR, "[data-testid=agreement-status]").get_attribute("data-status") == "none"
    card.find_element(By.CSS_SELECTOR, "[data-testid=def-edit]").click()
    wait_for(app, f"{card_css} [data-testid=def-summary]").send_keys("A qualified buyer with a scoped proposal requested")
    app.find_element(By.CSS_SELECTOR, f"{card_css} [data-testid=def-fit]").send_keys("Budget holder identified")
    app.find_element(By.CSS_SELECTOR, f"{card_css} [data-testid=def-save]").click()
    wait_text(app, f"{card_css} [data-testid=agreement-status]", "waiting for sales and marketing")

    select_person(app, "signer-stage-opportunity", "Dana Whitfield (sales)")
    app.find_element(By.CSS_SELECTOR, f"{card_css} [data-testid=sign-off]").click()
    wait_text(app, f"{card_css} [data-testid=sign-offs]", "Dana Whitfield")
    status = app.find_element(By.CSS_SELECTOR, f"{card_css} [data-testid=agreement-status]")
    assert status.get_attribute("data-status") == "open"
    assert "waiting for marketing" in text_of(status)

    select_person(app, "signer-stage-opportunity", "Marta Lindqvist (marketing)")
    app.find_element(By.CSS_SELECTOR, f"{card_css} [data-testid=sign-off]").click()
    wait_text(app, f"{card_css} [data-testid=agreement-status]", "Agreed")

    agreements = cli_json("--workspace", demo_workspace, "agreements")
    opp = next(a for a in agreements if a["subject"] == {"kind": "stage", "stage_id": "opportunity"})
    assert opp["agreed"] is True
    assert sorted(s["team"] for s in opp["versions"][0]["sign_offs"]) == ["marketing", "sales"]


def answer(app, person: str, team: str, ratings: list[int]) -> None:
    select_person(app, "respondent", f"{person} ({team})")
    for number, value in enumerate(ratings, start=1):
        app.find_element(By.CSS_SELECTOR, f"[data-testid=rate-{number}-{value}]").click()
    app.find_element(By.CSS_SELECTOR, "[data-testid=answer-submit]").click()
    wait_for_text(app, "[data-testid=thanks]", person)


def test_diagnostic_with_two_participants_shows_levels_and_gap(app, demo_workspace: Path):
    goto(app, "diagnostic")
    name = wait_for(app, "[data-testid=run-name]")
    name.clear()
    name.send_keys("E2E run")
    app.find_element(By.CSS_SELECTOR, "[data-testid=run-start]").click()
    wait_for_text(app, "[data-testid=run-status]", "E2E run")
    answer(app, "Dana Whitfield", "sales", [5] + [4] * 19)
    # The next participant sees a blank form: earlier answers are hidden.
    assert not app.find_elements(By.CSS_SELECTOR, "[data-testid=answer-form] label.chosen")
    answer(app, "Marta Lindqvist", "marketing", [2] * 20)
    wait_for_text(app, "[data-testid=answered-count]", "2")

    app.find_element(By.CSS_SELECTOR, "[data-testid=show-results]").click()
    wait_for(app, "[data-testid=team-level]")
    result = cli_json("--workspace", demo_workspace, "diagnostic")["result"]
    expected = {t["team"]: t["level"] for t in result["teams"]}
    assert expected == {"sales": "integrated", "marketing": "defined"}
    shown = {
        e.get_attribute("data-team"): e.get_attribute("data-level")
        for e in app.find_elements(By.CSS_SELECTOR, "[data-testid=team-level]")
    }
    assert shown == expected
    rows = app.find_elements(By.CSS_SELECTOR, "[data-testid=gap-row]")
    assert len(rows) == len(result["gaps"]) == 20
    assert rows[0].get_attribute("data-statement") == str(result["gaps"][0]["number"]) == "1"
    assert float(rows[0].get_attribute("data-gap")) == result["gaps"][0]["gap"] == 3.0
