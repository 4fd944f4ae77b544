"""Funnel and Goals screens: the figures on screen are the engine's (`baton funnel --json`),
filters recompute them, a click lists the records behind a number, and an SLA clause
added on the Goals screen shows its compliance."""

import os
from pathlib import Path

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from conftest import cli_json, run_cli
from helpers import goto, screen_title, text_of, wait_for, wait_for_text, waiting


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
    """What each row should show: `reached` ("" when not tracked), % of first, % of previous
    (naming the stage it compares with when that is not the row above)."""
    pct = lambda v: "—" if v is None else f"{v * 100:.1f}%"  # noqa: E731
    stages = report["stages"]
    names = {s["id"]: s["name"] for s in stages}
    out = {}
    for i, s in enumerate(stages):
        prev = pct(s["pct_of_previous"])
        if s["pct_of_previous"] is not None and s["previous"] and stages[i - 1]["id"] != s["previous"]:
            prev = f"{prev} of {names[s['previous']]}"
        reached = "" if s["reached"] is None else str(s["reached"])
        out[s["id"]] = (reached, pct(s["pct_of_first"]), prev)
    return out


def shown_kind(app) -> str:
    return Select(wait_for(app, "[data-testid=filter-kind]")).first_selected_option.get_attribute("value")


def test_funnel_numbers_equal_the_cli(app, demo_workspace: Path):
    """The screen opens on contacts (the demo also has deals: the same buyers again)."""
    report = cli_json("--workspace", demo_workspace, "funnel", "--where", "kind=contact")
    assert report["stages"][0]["reached"] > 0
    goto(app, "funnel")
    wait_for(app, "[data-testid=funnel-stage]")
    assert shown_kind(app) == "contact"
    waiting(app, 10).until(lambda d: shown_stages(d) == expected_stages(report))
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
    filtered = cli_json("--workspace", demo_workspace, "funnel", "--segment", segment, "--where", "kind=contact")
    select.select_by_value(segment)
    waiting(app, 10).until(lambda d: shown_stages(d) == expected_stages(filtered))

    mql = app.find_element(By.CSS_SELECTOR, '[data-testid=funnel-stage][data-stage="mql"] button')
    mql.click()
    drill = cli_json(
        "--workspace", demo_workspace, "drill", "reached:mql", "--segment", segment, "--where", "kind=contact", "--limit", "1"
    )
    wait_for_text(app, "[data-testid=drill-panel]", f"{drill['total']:,} records")


def test_records_of_one_kind_only(app, demo_workspace: Path):
    """Contacts and deals are separate entities; the Records filter keeps one kind, and
    mixing them is possible but says so."""
    goto(app, "funnel")
    wait_for(app, "[data-testid=funnel-stage]")
    select = Select(wait_for(app, "[data-testid=filter-kind]"))
    kinds = [o.get_attribute("value") for o in select.options if o.get_attribute("value")]
    assert "contact" in kinds and "deal" in kinds
    deals = cli_json("--workspace", demo_workspace, "funnel", "--where", "kind=deal")
    everyone = cli_json("--workspace", demo_workspace, "funnel", "--kind", "all")
    # A deal export says nothing about leads: their lead stage is not tracked.
    assert deals["records"] < everyone["records"]
    select.select_by_value("deal")
    waiting(app, 10).until(lambda d: shown_stages(d) == expected_stages(deals))
    assert not app.find_elements(By.CSS_SELECTOR, "[data-testid=mixed-kinds]")
    select.select_by_value("")
    waiting(app, 10).until(lambda d: shown_stages(d) == expected_stages(everyone))
    wait_for_text(app, "[data-testid=mixed-kinds]", "counted once per kind")


def test_a_breakdown_group_lists_its_records(app, demo_workspace: Path):
    goto(app, "funnel")
    wait_for(app, "[data-testid=breakdown-row]")
    row = app.find_elements(By.CSS_SELECTOR, "[data-testid=breakdown-row]")[0]
    key = row.get_attribute("data-key")
    row.find_element(By.CSS_SELECTOR, "[data-testid=group-won]").click()
    won = cli_json(
        "--workspace", demo_workspace, "drill", "outcome:won", "--group", f"source={key}", "--where", "kind=contact"
    )
    wait_for_text(app, "[data-testid=drill-panel]", f"Source = {key}: won — {won['total']:,} records")


def test_sla_clause_added_on_goals_screen_matches_the_cli(app, demo_workspace: Path):
    before = cli_json("--workspace", demo_workspace, "sla")
    goto(app, "goals")
    wait_for(app, "[data-testid=sla-clause]")  # the demo's agreed clauses
    form = wait_for(app, "[data-testid=sla-add]")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    waiting(app, 10).until(
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


def test_sla_duration_is_read_by_rust_and_its_message_shown(app, demo_workspace: Path):
    before = cli_json("--workspace", demo_workspace, "sla")
    goto(app, "goals")
    wait_for(app, "[data-testid=sla-clause]")
    form = wait_for(app, "[data-testid=sla-add]")
    Select(form.find_element(By.CSS_SELECTOR, "[data-testid=sla-unit]")).select_by_value("days")
    within = form.find_element(By.CSS_SELECTOR, "[data-testid=sla-within]")
    within.clear()
    within.send_keys("tomorrow")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    banner = wait_for_text(app, "[data-testid=sla-error] [data-testid=error-banner]", "is not a duration")
    assert banner.get_attribute("data-code") == "invalid_input"
    assert (
        '"tomorrow" is not a duration: type a number of working days (e.g. 24 or 1.5), '
        "or a number followed by m, h or d (e.g. 48h, 2d)"
    ) in text_of(banner)
    assert len(cli_json("--workspace", demo_workspace, "sla")) == len(before)
    # Two working days of the demo's 9:00-17:00 week, as Rust counts them.
    within.clear()
    within.send_keys("2")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    waiting(app, 10).until(
        lambda d: len(d.find_elements(By.CSS_SELECTOR, "[data-testid=sla-clause]")) == len(before) + 1
    )
    assert not app.find_elements(By.CSS_SELECTOR, "[data-testid=sla-error] [data-testid=error-banner]")
    r = max(cli_json("--workspace", demo_workspace, "sla"), key=lambda c: c["id"])
    assert r["name"] == "mql → sql within 16h (business hours)"


def test_an_sla_count_lists_its_records(app, demo_workspace: Path):
    r = cli_json("--workspace", demo_workspace, "sla")[0]
    drill = cli_json("--workspace", demo_workspace, "drill", f"sla:{r['id']}:open_late", "--limit", "1")
    assert drill["total"] == r["open_late"]
    goto(app, "goals")
    clause = wait_for(app, f'[data-testid=sla-clause][data-id="{r["id"]}"]')
    clause.find_element(By.CSS_SELECTOR, "[data-verdict=open_late]").click()
    wait_for_text(app, "[data-testid=sla-drill]", f"{r['open_late']:,} records")


def test_breakdown_by_persona_equals_the_cli(app, demo_workspace: Path):
    report = cli_json("--workspace", demo_workspace, "funnel", "--by", "persona", "--where", "kind=contact")
    expected = {g["key"]: str(g["records"]) for g in report["groups"]}
    assert len(expected) > 1
    goto(app, "funnel")
    wait_for(app, "[data-testid=breakdown-row]")
    Select(wait_for(app, "[data-testid=breakdown-by]")).select_by_value("persona")

    def shown(d):
        rows = d.find_elements(By.CSS_SELECTOR, "[data-testid=breakdown-row]")
        return {
            r.get_attribute("data-key"): text_of(r.find_element(By.CSS_SELECTOR, "[data-testid=group-records]")).replace(",", "")
            for r in rows
        }

    # Rows are re-rendered while the breakdown recomputes.
    waiting(app, 10).until(
        lambda d: shown(d) == expected
    )


def test_an_sla_to_a_field_without_dates_is_refused(app, demo_workspace: Path):
    before = cli_json("--workspace", demo_workspace, "sla")
    goto(app, "goals")
    form = wait_for(app, "[data-testid=sla-add]")
    Select(wait_for(app, "[data-testid=sla-to-kind]")).select_by_value("field")
    Select(wait_for(app, "[data-testid=sla-field]")).select_by_value("segment")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait_for_text(app, "[data-testid=error-banner]", 'field "segment" holds no dates')
    assert len(cli_json("--workspace", demo_workspace, "sla")) == len(before)


REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "src-tauri" / "crates" / "baton-cli" / "tests" / "fixtures"


def four_stage_deals(tmp_path: Path) -> Path:
    """A workspace holding only a deals export with Prospecting / Engaging / Won / Lost."""
    ws = tmp_path / "deals.baton"
    run_cli("--workspace", ws, "init")
    run_cli(
        "--workspace", ws, "import", "--profile", FIXTURES / "deals_four_stages_profile.json", FIXTURES / "deals_four_stages.csv"
    )
    return ws


def test_stages_the_data_does_not_track_show_as_not_tracked(launch, tmp_path: Path):
    ws = four_stage_deals(tmp_path)
    report = cli_json("--workspace", ws, "funnel")
    assert report["stages"][1]["reached"] is None
    app = launch(ws)
    goto(app, "funnel")
    wait_for(app, "[data-testid=funnel-stage]")
    waiting(app, 10).until(lambda d: shown_stages(d) == expected_stages(report))
    mql = app.find_element(By.CSS_SELECTOR, '[data-testid=funnel-stage][data-stage="mql"]')
    assert mql.get_attribute("data-tracked") == "false"
    assert text_of(mql.find_element(By.CSS_SELECTOR, "[data-testid=reached]")) == "not tracked"
    opp = app.find_element(By.CSS_SELECTOR, '[data-testid=funnel-stage][data-stage="opportunity"]')
    assert text_of(opp.find_element(By.CSS_SELECTOR, "[data-testid=pct-previous]")) == "45.0% of Lead"
    wait_for_text(app, "[data-testid=tracking-note]", "does not track Marketing Qualified Lead and Sales Qualified Lead")
    wait_for_text(app, "[data-testid=counting-rule]", "skipped stages count as passed")
    # Every cohort holds five deals: marked as small samples, with their n.
    wait_for_text(app, "[data-testid=small-cohorts]", "2025-01: n=5")
    if os.environ.get("BATON_SCREENSHOT_DIR"):  # for looking at it (docs/dev.md)
        shots = Path(os.environ["BATON_SCREENSHOT_DIR"])
        app.save_screenshot(str(shots / "funnel-untracked.png"))
        app.execute_script("document.querySelector('[data-testid=small-cohorts]').scrollIntoView()")
        app.save_screenshot(str(shots / "funnel-small-cohorts.png"))
        app.execute_script("document.querySelector('main').scrollTo(0, 0); window.scrollTo(0, 0)")

    # HubSpot's strict choice: only records with evidence of every stage.
    strict = cli_json("--workspace", ws, "funnel", "--count", "evidence")
    app.find_element(By.CSS_SELECTOR, "[data-testid=counting-evidence]").click()
    waiting(app, 10).until(lambda d: shown_stages(d) == expected_stages(strict))
    wait_for_text(app, "[data-testid=counting-rule]", "only records with evidence of every stage up to it")


def test_an_empty_workspace_points_to_imports(launch, tmp_path: Path):
    ws = tmp_path / "empty.baton"
    run_cli("--workspace", ws, "init")
    app = launch(ws)
    goto(app, "funnel")
    panel = wait_for(app, "[data-testid=funnel-no-data]")
    assert "No data yet" in text_of(panel)
    assert "No record reached" not in text_of(app.find_element(By.TAG_NAME, "main"))
    if os.environ.get("BATON_SCREENSHOT_DIR"):
        wait_for(app, "[data-testid=go-imports]")
        app.save_screenshot(str(Path(os.environ["BATON_SCREENSHOT_DIR"]) / "funnel-empty.png"))
    app.find_element(By.CSS_SELECTOR, "[data-testid=go-imports]").click()
    waiting(app, 10).until(lambda d: screen_title(d) == "Imports")


def test_entry_date_filters_start_empty_and_filter_when_typed(app, demo_workspace: Path):
    goto(app, "funnel")
    wait_for(app, "[data-testid=funnel-stage]")
    for testid in ("filter-entry-from", "filter-entry-to"):
        field = app.find_element(By.CSS_SELECTOR, f"[data-testid={testid}]")
        # A date input shows today's date greyed out when empty; this field shows nothing.
        assert field.get_attribute("type") == "text"
        assert field.get_property("value") == ""
        assert field.get_attribute("placeholder") == "YYYY-MM-DD"
    filtered = cli_json("--workspace", demo_workspace, "funnel", "--from", "2026-01-01", "--where", "kind=contact")
    app.find_element(By.CSS_SELECTOR, "[data-testid=filter-entry-from]").send_keys("2026-01-01")
    waiting(app, 10).until(lambda d: shown_stages(d) == expected_stages(filtered))
