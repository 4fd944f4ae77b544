"""Funnel and Goals screens: the figures on screen are the engine's (`baton funnel --json`),
filters recompute them, a click lists the records behind a number, and an SLA clause
added on the Goals screen shows its compliance."""

from pathlib import Path

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from conftest import cli_json
from helpers import goto, text_of, wait_for, wait_for_text


def shown_stages(app) -> dict[str, tuple[str, str, str]]:
    rows = app.find_elements(By.CSS_SELECTOR, "[data-testid=funnel-stage]")
    return {
        r.get_attribute("data-stage"): (
            r.get_attribute("data-reached"),
            text_of(r.find_element(By.CSS_SELECTOR, "[data-testid=pct-first]")),
            text_of(r.find_element(By.CSS_SELECTOR, "[data-testid=pct-previous]")),
        )
        for r in rows
    }


def expected_stages(report: dict) -> dict[str, tuple[str, str, str]]:
    pct = lambda v: "—" if v is None else f"{v * 100:.1f}%"  # noqa: E731
    return {s["id"]: (str(s["reached"]), pct(s["pct_of_first"]), pct(s["pct_of_previous"])) for s in report["stages"]}


def test_funnel_numbers_equal_the_cli(app, demo_workspace: Path):
    report = cli_json("--workspace", demo_workspace, "funnel")
    assert report["stages"][0]["reached"] > 0
    goto(app, "funnel")
    wait_for(app, "[data-testid=funnel-stage]")
    WebDriverWait(app, 10).until(lambda d: shown_stages(d) == expected_stages(report))
    outcomes = {
        b.get_attribute("data-outcome"): int(b.get_attribute("data-count"))
        for b in app.find_elements(By.CSS_SELECTOR, "[data-testid=funnel-outcomes] [data-outcome]")
    }
    assert outcomes == report["outcomes"]


def test_a_filter_recomputes_and_a_click_lists_the_records(app, demo_workspace: Path):
    goto(app, "funnel")
    wait_for(app, "[data-testid=funnel-stage]")
    select = Select(wait_for(app, "[data-testid=filter-segment]"))
    segment = select.options[1].get_attribute("value")
    filtered = cli_json("--workspace", demo_workspace, "funnel", "--segment", segment)
    select.select_by_value(segment)
    WebDriverWait(app, 10).until(lambda d: shown_stages(d) == expected_stages(filtered))

    mql = app.find_element(By.CSS_SELECTOR, '[data-testid=funnel-stage][data-stage="mql"] button')
    mql.click()
    drill = cli_json("--workspace", demo_workspace, "drill", "reached:mql", "--segment", segment, "--limit", "1")
    wait_for_text(app, "[data-testid=drill-panel]", f"{drill['total']:,} records")


def test_records_of_one_kind_only(app, demo_workspace: Path):
    """Contacts and deals are separate entities; the Records filter keeps one kind."""
    goto(app, "funnel")
    wait_for(app, "[data-testid=funnel-stage]")
    select = Select(wait_for(app, "[data-testid=filter-kind]"))
    kinds = [o.get_attribute("value") for o in select.options if o.get_attribute("value")]
    assert "contact" in kinds and "deal" in kinds
    contacts = cli_json("--workspace", demo_workspace, "funnel", "--where", "kind=contact")
    everyone = cli_json("--workspace", demo_workspace, "funnel")
    assert contacts["stages"][0]["reached"] < everyone["stages"][0]["reached"]
    select.select_by_value("contact")
    WebDriverWait(app, 10).until(lambda d: shown_stages(d) == expected_stages(contacts))


def test_sla_clause_added_on_goals_screen_matches_the_cli(app, demo_workspace: Path):
    before = cli_json("--workspace", demo_workspace, "sla")
    goto(app, "goals")
    wait_for(app, "[data-testid=sla-clause]")  # the demo's agreed clauses
    form = wait_for(app, "[data-testid=sla-add]")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    WebDriverWait(app, 10).until(
        lambda d: len(d.find_elements(By.CSS_SELECTOR, "[data-testid=sla-clause]")) == len(before) + 1
    )
    reports = cli_json("--workspace", demo_workspace, "sla")
    assert len(reports) == len(before) + 1
    r = max(reports, key=lambda c: c["id"])
    assert r["name"] == "mql → sql within 24h (business hours)"
    new_id = r["id"]
    clause = app.find_element(By.CSS_SELECTOR, f'[data-testid=sla-clause][data-id="{new_id}"]')
    text = text_of(clause)
    assert f"{r['due']:,} due" in text
    assert f"{r['met']:,} met" in text
