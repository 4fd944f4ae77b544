"""Lead definitions run on the data: the Vocabulary screen's check of the demo MQL
definition (saved with machine criteria) shows the same figures as
`baton definition-check`, and editing the criteria updates the live figures to what the
CLI computes for the edited criteria."""

import json
import math
from pathlib import Path

from selenium.webdriver.common.by import By

from conftest import OUT_DIR, cli_json
from helpers import goto, text_of, wait_for, waiting

CARD = '[data-testid=agreement][data-subject="stage-mql"]'


def pct(x: float | None) -> str:
    """The screen's rounding (JavaScript Math.round) of a fraction as a percentage."""
    return "—" if x is None else f"{math.floor(x * 100 + 0.5)}%"


def shows(driver, css: str, text: str, timeout: float = 15) -> None:
    waiting(driver, timeout).until(
        lambda d: any(text_of(e) == text for e in d.find_elements(By.CSS_SELECTOR, css))
    )


def same_figures(driver, check: str, cli: dict) -> None:
    base = f"{CARD} [data-testid={check}"
    shows(driver, f"{base}-meets]", f"{cli['meets']:,}")
    shows(driver, f"{base}-records]", f"{cli['records']:,}")
    shows(driver, f"{base}-meets-next]", pct(cli["meets_next_rate"]))
    shows(driver, f"{base}-others-next]", pct(cli["others_next_rate"]))
    shows(driver, f"{base}-meets-customer]", pct(cli["meets_customer_rate"]))
    shows(driver, f"{base}-others-customer]", pct(cli["others_customer_rate"]))
    shows(driver, f"{base}-crm-marked]", f"{cli['crm_marked']:,}")
    overlap = text_of(driver.find_element(By.CSS_SELECTOR, f"{base}-overlap]"))
    assert f"{pct(cli['crm_marked_meeting_rate'])} meet this definition" in overlap, overlap
    assert f"likely between {pct(cli['crm_marked_meeting_rate_low'])} and {pct(cli['crm_marked_meeting_rate_high'])}" in overlap
    months = driver.find_elements(By.CSS_SELECTOR, f"{base}-month]")
    assert len(months) == len(cli["by_month"])


def test_the_vocabulary_check_equals_the_cli_live_while_editing(app, demo_workspace: Path, tmp_path: Path):
    saved = cli_json("--workspace", demo_workspace, "definition-check", "--stage", "mql")
    assert saved["version"] == 1 and 0 < saved["meets"] < saved["records"]
    goto(app, "vocabulary")
    wait_for(app, f"{CARD} [data-testid=def-criteria]")
    same_figures(app, "def-check", saved)

    # Edit: raise the size threshold; the live figures follow before anything is saved.
    wait_for(app, f"{CARD} [data-testid=def-edit]").click()
    value = wait_for(app, f"{CARD} [data-testid=def-crit-value]")
    assert value.get_property("value") == "50"
    value.clear()
    value.send_keys("500")
    criteria = tmp_path / "criteria.json"
    criteria.write_text(
        json.dumps(
            {
                "all": [{"op": "at_least", "field": "company_size", "value": 500}],
                "disqualifiers": [{"op": "in", "field": "country", "values": ["United States"]}],
            }
        )
    )
    edited = cli_json("--workspace", demo_workspace, "definition-check", "--stage", "mql", "--criteria", criteria)
    assert edited["meets"] < saved["meets"]
    same_figures(app, "def-live", edited)
    shows(app, f"{CARD} [data-testid=def-live-per-month]", f"About {math.floor(edited['meets'] / len(edited['by_month']) + 0.5):,} a month over {len(edited['by_month'])} months of entries.")
    OUT_DIR.mkdir(exist_ok=True)
    app.execute_script(
        "arguments[0].scrollIntoView({block: 'start'})",
        app.find_element(By.CSS_SELECTOR, f"{CARD} [data-testid=def-machine]"),
    )
    app.save_screenshot(str(OUT_DIR / "definition-live-check.png"))


def test_blind_drafts_run_side_by_side_on_the_same_records(app, demo_workspace: Path, tmp_path: Path):
    card = '[data-testid=agreement][data-subject="stage-sql"]'
    goto(app, "vocabulary")
    wait_for(app, f"{card} [data-testid=blind-open]").click()
    for side, size in [("sales", 500), ("marketing", 20)]:
        wait_for(app, f"{card} [data-testid=blind-summary]").send_keys(f"The {side} view")
        app.find_element(By.CSS_SELECTOR, f"{card} [data-testid=blind-crit-add]").click()
        value = wait_for(app, f"{card} [data-testid=blind-crit-value]")
        value.send_keys(str(size))
        waiting(app, 5).until(lambda d: value.get_property("value") == str(size))
        app.find_element(By.CSS_SELECTOR, f"{card} [data-testid=blind-submit]").click()
        waiting(app, 10).until(
            lambda d: "submitted" in text_of(d.find_element(By.CSS_SELECTOR, f"{card} [data-testid=blind-{side}]"))
        )
    app.find_element(By.CSS_SELECTOR, f"{card} [data-testid=blind-reveal]").click()
    wait_for(app, f"{card} [data-testid=blind-run]")
    for side, size in [("sales", 500), ("marketing", 20)]:
        criteria = tmp_path / f"{side}.json"
        criteria.write_text(json.dumps({"all": [{"op": "at_least", "field": "company_size", "value": size}]}))
        cli = cli_json("--workspace", demo_workspace, "definition-check", "--stage", "sql", "--criteria", criteria)
        base = f"{card} [data-testid=blind-check-{side}"
        shows(app, f"{base}-meets]", f"{cli['meets']:,}")
        shows(app, f"{base}-meets-next]", pct(cli["meets_next_rate"]))
        shows(app, f"{base}-others-next]", pct(cli["others_next_rate"]))
    OUT_DIR.mkdir(exist_ok=True)
    app.execute_script(
        "arguments[0].scrollIntoView({block: 'start'})", app.find_element(By.CSS_SELECTOR, f"{card} [data-testid=blind-run]")
    )
    app.save_screenshot(str(OUT_DIR / "definition-blind-drafts.png"))
