"""After: did the agreements work? The Vocabulary screen shows, for each agreement, the
figures and the sentence `baton impact` computes, and follows the maturity window."""

import os
from pathlib import Path

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from conftest import cli_json
from helpers import goto, text_of, wait_for, waiting


def shown(driver) -> dict[str, str]:
    return {
        a.get_attribute("data-agreement-id"): text_of(a.find_element(By.CSS_SELECTOR, "[data-testid=impact-sentence]"))
        for a in driver.find_elements(By.CSS_SELECTOR, "[data-testid=impact-agreement]")
    }


def test_the_vocabulary_screen_shows_the_cli_before_and_after(app, demo_workspace: Path):
    goto(app, "vocabulary")
    wait_for(app, "[data-testid=impact-agreement]")
    report = cli_json("--workspace", demo_workspace, "impact")
    expected = {str(a["agreement_id"]): a["sentence"] for a in report["agreements"]}
    assert shown(app) == expected
    mql = next(a for a in report["agreements"] if a["subject"].get("stage_id") == "mql")
    card = app.find_element(By.CSS_SELECTOR, f'[data-testid=impact-agreement][data-agreement-id="{mql["agreement_id"]}"]')
    first = card.find_elements(By.CSS_SELECTOR, "[data-testid=impact-figure]")[0]
    before = mql["figures"][0]["before"]
    assert f"{before['value'] * 100:.1f}%" in text_of(first)
    assert f"n = {before['n']:,}" in text_of(first)

    if os.environ.get("BATON_SCREENSHOTS"):
        panel = app.find_element(By.CSS_SELECTOR, "[data-testid=agreement-impact]")
        app.execute_script("arguments[0].scrollIntoView()", panel)
        app.save_screenshot(str(Path(os.environ["BATON_SCREENSHOTS"]) / "agreement-impact.png"))

    Select(app.find_element(By.CSS_SELECTOR, "[data-testid=impact-window]")).select_by_value("30")
    short = cli_json("--workspace", demo_workspace, "impact", "--window", "30")
    expected30 = {str(a["agreement_id"]): a["sentence"] for a in short["agreements"]}
    assert expected30 != expected
    waiting(app).until(lambda d: shown(d) == expected30)
