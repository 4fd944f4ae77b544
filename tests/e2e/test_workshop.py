"""Workshop screens: a persona's criteria count the imported records (as the CLI does),
a lead definition is agreed only once sales and marketing have both signed it, a
diagnostic with two participants shows each team's level and the gap per statement once
closed (and each person's score only in a named run), campaign feedback is counted, action items are edited in place, and
presentation mode hides the editing chrome and moves with the keyboard."""

import json
from pathlib import Path

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

from conftest import cli_json, run_cli
from helpers import goto, text_of, wait_for, wait_for_text, waiting


def wait_text(driver, css: str, text: str, timeout: float = 10) -> None:
    """Like helpers.wait_for_text, but tolerates the element being re-rendered meanwhile
    (a status badge is swapped for another element when the status changes)."""
    waiting(driver, timeout).until(
        lambda d: any(text in text_of(e) for e in d.find_elements(By.CSS_SELECTOR, css))
    )


def select_person(driver, testid: str, label: str) -> None:
    select = Select(wait_for(driver, f"[data-testid={testid}-select]"))
    waiting(driver, 10).until(lambda d: any(o.text == label or text_of(o) == label for o in select.options))
    select.select_by_visible_text(label)


def test_persona_with_criteria_shows_its_matching_count(app, demo_workspace: Path):
    goto(app, "personas")
    wait_for(app, "[data-testid=persona-new]").click()
    wait_for(app, "[data-testid=persona-name]").send_keys("Retail operations lead")
    value = wait_for(app, "[data-testid=criteria-value]")
    value.click()
    # Focusing loads the field's known values as suggestions; type once they are in.
    waiting(app, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, "datalist#values-industry option"))
    value.send_keys("Retail")
    waiting(app, 5).until(lambda d: value.get_property("value") == "Retail")
    app.find_element(By.CSS_SELECTOR, "[data-testid=criteria-add]").click()
    waiting(app, 5).until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "[data-testid=criteria-value]")) == 2)
    app.find_elements(By.CSS_SELECTOR, "[data-testid=criteria-value]")[1].send_keys("100")
    # The live preview counts before anything is saved.
    wait_for_text(app, "[data-testid=criteria-preview]", "Matches")
    app.find_element(By.CSS_SELECTOR, "[data-testid=persona-save]").click()

    card = wait_for(app, '[data-testid=persona-card][data-persona="Retail operations lead"]')
    personas = cli_json("--workspace", demo_workspace, "personas")
    mine = next(p for p in personas if p["persona"]["name"] == "Retail operations lead")
    assert mine["criteria_text"] == "Industry in {Retail} and Company size (employees) ≥ 100"
    leads = mine["match"]["leads"]
    assert 0 < leads < mine["match"]["leads"] + mine["match"]["rest_leads"]
    waiting(app, 10).until(
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


def invoke(app, command: str, args: dict) -> dict:
    """Call a backend command the way the UI does; returns {ok} or {error}."""
    return app.execute_async_script(
        "const [cmd, args, done] = arguments;"
        "window.__TAURI_INTERNALS__.invoke(cmd, args)"
        ".then(v => done({ok: v ?? null}), e => done({error: e}));",
        command,
        args,
    )


def start_run(app, name: str, named: bool) -> None:
    goto(app, "diagnostic")
    field = wait_for(app, "[data-testid=run-name]")
    field.clear()
    field.send_keys(name)
    if named:
        app.find_element(By.CSS_SELECTOR, "[data-testid=run-named]").click()
    app.find_element(By.CSS_SELECTOR, "[data-testid=run-start]").click()
    wait_for_text(app, "[data-testid=run-status]", name)


def test_diagnostic_with_two_participants_shows_levels_and_gap(app, demo_workspace: Path):
    start_run(app, "E2E run", named=True)
    assert "named results" in text_of(wait_for(app, "[data-testid=answer-privacy]"))
    answer(app, "Dana Whitfield", "sales", [5] + [4] * 19)
    # The next participant sees a blank form: earlier answers are hidden.
    assert not app.find_elements(By.CSS_SELECTOR, "[data-testid=answer-form] label.chosen")
    answer(app, "Marta Lindqvist", "marketing", [2] * 20)
    wait_for_text(app, "[data-testid=answered-count]", "2")
    # While the run is open nothing of the result is on screen.
    assert not app.find_elements(By.CSS_SELECTOR, "[data-testid=team-level]")
    assert not app.find_elements(By.CSS_SELECTOR, "[data-testid=person-score]")
    # Revealing early takes a confirmation, is stored on the run, shows no person's
    # score (one answer per team: no team mean either), and can be undone.
    app.find_element(By.CSS_SELECTOR, "[data-testid=reveal-results]").click()
    assert not app.find_elements(By.CSS_SELECTOR, "[data-testid=team-level]")
    wait_for(app, "[data-testid=reveal-confirm]").click()
    wait_for(app, "[data-testid=team-level]")
    assert len(app.find_elements(By.CSS_SELECTOR, "[data-testid=mean-hidden]")) == 2
    assert not app.find_elements(By.CSS_SELECTOR, "[data-testid=person-score]")
    assert cli_json("--workspace", demo_workspace, "diagnostic")["revealed"] is True
    app.find_element(By.CSS_SELECTOR, "[data-testid=hide-results]").click()
    waiting(app, 5).until(lambda d: not d.find_elements(By.CSS_SELECTOR, "[data-testid=team-level]"))
    wait_for(app, "[data-testid=answer-form]")

    app.find_element(By.CSS_SELECTOR, "[data-testid=close-run]").click()
    wait_for(app, "[data-testid=person-score]")
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
    people = {
        e.get_attribute("data-person"): (int(e.get_attribute("data-score")), e.get_attribute("data-level"))
        for e in app.find_elements(By.CSS_SELECTOR, "[data-testid=person-score]")
    }
    assert people == {p["name"]: (p["score"], p["level"]) for p in result["people"]}
    assert set(people) == {"Dana Whitfield", "Marta Lindqvist"}


def test_an_anonymous_run_never_puts_a_score_next_to_a_name(app, demo_workspace: Path):
    start_run(app, "Anonymous run", named=False)
    assert "anonymous" in text_of(wait_for(app, "[data-testid=answer-privacy]"))
    run_id = cli_json("--workspace", demo_workspace, "diagnostic")["id"]
    ratings = {"Dana Whitfield": 5, "Priya Nair": 4, "Marta Lindqvist": 2, "Leo Fontaine": 3, "Sofia Brandt": 3}
    for p in cli_json("--workspace", demo_workspace, "people"):
        if p["name"] in ratings:
            value = str(ratings[p["name"]])
            run_cli("--workspace", demo_workspace, "diagnostic-answer", "--run", str(run_id),
                    "--person", str(p["id"]), "--ratings", ",".join([value] * 20))

    # The open run's result carries nobody's score: through the window's command…
    runs = invoke(app, "workshop_diagnostic_runs", {})["ok"]
    open_run = next(r for r in runs if r["id"] == run_id)
    assert sorted(open_run["answered"]) == sorted(ratings)
    assert open_run["result"] is None
    assert "score" not in json.dumps(open_run)
    # …and through the CLI.
    cli_run = cli_json("--workspace", demo_workspace, "diagnostic", "--run", str(run_id))
    assert cli_run["result"] is None and "score" not in json.dumps(cli_run)

    closed = invoke(app, "workshop_diagnostic_close", {"runId": run_id})["ok"]
    assert closed["result"]["people"] == []
    goto(app, "overview")
    goto(app, "diagnostic")
    wait_for_text(app, "[data-testid=run-status]", "Anonymous run")
    wait_for(app, "[data-testid=team-level]")
    levels = {
        e.get_attribute("data-team"): e.get_attribute("data-level")
        for e in app.find_elements(By.CSS_SELECTOR, "[data-testid=team-level]")
    }
    # Sofia is the only one from leadership: that team's mean would be her score.
    assert levels == {"sales": "integrated", "marketing": "defined", "leadership": ""}
    assert len(app.find_elements(By.CSS_SELECTOR, "[data-testid=mean-hidden]")) == 1
    assert not app.find_elements(By.CSS_SELECTOR, "[data-testid=person-score]")
    assert not app.find_elements(By.CSS_SELECTOR, "[data-testid=person-scores]")
    assert len(app.find_elements(By.CSS_SELECTOR, "[data-testid=distribution]")) == 2
    shot = Path(__file__).parent / "out" / "diagnostic-anonymous.png"
    shot.parent.mkdir(exist_ok=True)
    app.save_screenshot(str(shot))


def test_campaign_feedback_is_counted_per_campaign_and_source(app, demo_workspace: Path):
    goto(app, "personas")
    wait_for(app, "[data-testid=campaign-new]").click()
    wait_for(app, "[data-testid=campaign-name]").send_keys("E2E spring webinar")
    app.find_element(By.CSS_SELECTOR, "[data-testid=campaign-channel]").send_keys("Webinar")
    app.find_element(By.CSS_SELECTOR, "[data-testid=campaign-sales-input]").send_keys("20 SQLs, follow-up within a day")
    app.find_element(By.CSS_SELECTOR, "[data-testid=campaign-save]").click()
    row = '[data-testid=campaign-row][data-campaign="E2E spring webinar"]'
    wait_for_text(app, row, "20 SQLs, follow-up within a day")

    for quality, about in [("good", "E2E replay"), ("good", "e2e replay"), ("poor", "E2E cold list")]:
        Select(wait_for(app, "[data-testid=feedback-campaign]")).select_by_visible_text("E2E spring webinar")
        select_person(app, "feedback-person", "Dana Whitfield (sales)")
        Select(app.find_element(By.CSS_SELECTOR, "[data-testid=feedback-quality]")).select_by_value(quality)
        about_input = app.find_element(By.CSS_SELECTOR, "[data-testid=feedback-about]")
        about_input.clear()
        about_input.send_keys(about)
        app.find_element(By.CSS_SELECTOR, "[data-testid=feedback-add]").click()
        waiting(app, 10).until(lambda d: about_input.get_property("value") == "")

    summary = cli_json("--workspace", demo_workspace, "campaigns")["summary"]
    mine = next(r for r in summary["by_campaign"] if r["key"] == "E2E spring webinar")
    assert (mine["good"], mine["mixed"], mine["poor"]) == (2, 0, 1)
    replay = next(r for r in summary["by_about"] if r["key"].lower() == "e2e replay")

    def counts(css: str) -> tuple[str, str, str]:
        cells = app.find_element(By.CSS_SELECTOR, css).find_elements(By.CSS_SELECTOR, "td[data-quality]")
        return tuple(text_of(c) for c in cells)

    by_campaign = '[data-testid=quality-by-campaign-row][data-key="E2E spring webinar"]'
    waiting(app, 10).until(lambda d: counts(by_campaign) == (str(mine["good"]), str(mine["mixed"]), str(mine["poor"])))
    by_about = f'[data-testid=quality-by-about-row][data-key="{replay["key"]}"]'
    assert counts(by_about) == (str(replay["good"]), str(replay["mixed"]), str(replay["poor"]))


def test_action_owner_and_due_date_are_edited_in_place(app, demo_workspace: Path):
    goto(app, "workshop")
    before = cli_json("--workspace", demo_workspace, "actions")
    target = before[0]
    row = f'[data-testid=action-row][data-action="{target["id"]}"]'
    Select(wait_for(app, f"{row} [data-testid=action-owner-select]")).select_by_visible_text("Priya Nair")
    due = app.find_element(By.CSS_SELECTOR, f"{row} [data-testid=action-due]")
    app.execute_script(
        "arguments[0].value = '2031-02-28'; arguments[0].dispatchEvent(new Event('change', {bubbles: true}))", due
    )

    def saved(_):
        a = next(a for a in cli_json("--workspace", demo_workspace, "actions") if a["id"] == target["id"])
        return a if a["owner_name"] == "Priya Nair" and a["due"] == "2031-02-28" else False

    after = waiting(app, 10).until(saved)
    assert after["text"] == target["text"] and after["status"] == target["status"]


def test_presentation_mode_hides_chrome_and_moves_with_the_keyboard(app):
    goto(app, "workshop")
    wait_for(app, "[data-testid=session]")
    assert app.find_element(By.CSS_SELECTOR, "[data-testid=session-new]").is_displayed()
    app.find_element(By.CSS_SELECTOR, "[data-testid=present-toggle]").click()
    waiting(app, 5).until(lambda d: "presenting" in (d.find_element(By.TAG_NAME, "html").get_attribute("class") or ""))
    assert not app.find_element(By.CSS_SELECTOR, "nav.sidebar").is_displayed()
    assert not app.find_element(By.CSS_SELECTOR, "[data-testid=session-new]").is_displayed()
    assert not app.find_element(By.CSS_SELECTOR, "[data-testid=decision-input]").is_displayed()

    def current() -> str:
        return app.find_element(By.CSS_SELECTOR, ".slide.current-slide").get_attribute("data-testid")

    slides = [e.get_attribute("data-testid") for e in app.find_elements(By.CSS_SELECTOR, "main .slide")]
    assert current() == slides[0]
    ActionChains(app).send_keys(Keys.ARROW_DOWN).perform()
    waiting(app, 5).until(lambda d: current() == slides[1])
    ActionChains(app).send_keys(Keys.SPACE).perform()
    waiting(app, 5).until(lambda d: current() == slides[2])
    ActionChains(app).send_keys(Keys.ARROW_UP).perform()
    waiting(app, 5).until(lambda d: current() == slides[1])

    # Space on a focused button presses it and leaves the slide where it is.
    start = app.find_element(By.CSS_SELECTOR, "[data-testid=timer-start]")
    app.execute_script("arguments[0].focus()", start)
    ActionChains(app).send_keys(Keys.SPACE).perform()
    waiting(app, 5).until(lambda d: "running" in (d.find_element(By.CSS_SELECTOR, "[data-testid=timer]").get_attribute("class") or ""))
    assert current() == slides[1]

    app.execute_script("document.activeElement && document.activeElement.blur()")
    ActionChains(app).send_keys(Keys.ESCAPE).perform()
    waiting(app, 5).until(lambda d: "presenting" not in (d.find_element(By.TAG_NAME, "html").get_attribute("class") or ""))
    assert app.find_element(By.CSS_SELECTOR, "nav.sidebar").is_displayed()


def test_sla_agreement_keeps_the_clause_terms_and_goes_with_the_clause(app, demo_workspace: Path):
    goto(app, "vocabulary")
    wait_for(app, "[data-testid=terms-status]")

    def cli_agreement(kind: str, key: str, id_: int):
        agreements = cli_json("--workspace", demo_workspace, "agreements")
        return next((a for a in agreements if a["subject"] == {"kind": kind, key: id_}), None)

    # Every badge says what the file says.
    rows = app.find_elements(By.CSS_SELECTOR, "[data-testid=terms-row]")
    assert rows
    for row in rows:
        kind, id_ = row.get_attribute("data-subject").split("-")
        a = cli_agreement("sla_clause" if kind == "sla" else "goal", "clause_id" if kind == "sla" else "goal_id", int(id_))
        expected = "none" if not a or not a["versions"] else "agreed" if a["agreed"] else "open"
        assert row.get_attribute("data-status") == expected

    # Agree a clause nobody has written about yet.
    open_row = next(
        r for r in rows if r.get_attribute("data-subject").startswith("sla-") and r.get_attribute("data-status") == "none"
    )
    slug = open_row.get_attribute("data-subject")
    clause_id = int(slug.split("-")[1])
    card_css = f'[data-testid=agreement][data-subject="{slug}"]'
    app.find_element(By.CSS_SELECTOR, f"{card_css} [data-testid=def-edit]").click()
    wait_for(app, f"{card_css} [data-testid=def-summary]").send_keys("Sales decides on every SQL in time")
    app.find_element(By.CSS_SELECTOR, f"{card_css} [data-testid=def-save]").click()
    wait_text(app, f"{card_css} [data-testid=agreement-status]", "waiting for sales and marketing")
    for signer in ["Dana Whitfield (sales)", "Marta Lindqvist (marketing)"]:
        select_person(app, f"signer-{slug}", signer)
        app.find_element(By.CSS_SELECTOR, f"{card_css} [data-testid=sign-off]").click()
        wait_text(app, f"{card_css} [data-testid=sign-offs]", signer.split(" (")[0])
    wait_text(app, f'[data-testid=terms-row][data-subject="{slug}"] .badge', "Agreed")

    agreed = cli_agreement("sla_clause", "clause_id", clause_id)
    assert agreed["agreed"] is True
    terms = agreed["versions"][0]["terms"]
    assert [t["label"] for t in terms] == ["From", "To", "Within", "Clock"]
    shown = text_of(app.find_element(By.CSS_SELECTOR, f"{card_css} [data-testid=agreed-terms]"))
    for t in terms:
        assert f"{t['label']}: {t['value']}" in shown

    # Deleting the clause deletes its agreement.
    run_cli("--workspace", demo_workspace, "sla", "remove", str(clause_id))
    assert cli_agreement("sla_clause", "clause_id", clause_id) is None
    goto(app, "goals")
    goto(app, "vocabulary")
    wait_for(app, "[data-testid=terms-status]")
    assert not app.find_elements(By.CSS_SELECTOR, card_css)


def test_a_new_persona_saves_without_filling_the_empty_criteria_row(app, demo_workspace: Path):
    goto(app, "personas")
    wait_for(app, "[data-testid=persona-new]").click()
    wait_for(app, "[data-testid=persona-name]").send_keys("Unfiltered buyer")
    assert len(app.find_elements(By.CSS_SELECTOR, "[data-testid=criteria-row]")) == 1
    # The match preview lands below the criteria and moves Save down: click once it has
    # (a click during that shift was lost once in CI).
    wait_for(app, "[data-testid=preview-leads]")
    app.find_element(By.CSS_SELECTOR, "[data-testid=persona-save]").click()
    card = wait_for(app, '[data-testid=persona-card][data-persona="Unfiltered buyer"]')
    assert not app.find_elements(By.CSS_SELECTOR, "[data-testid=error-banner]")
    mine = next(p for p in cli_json("--workspace", demo_workspace, "personas") if p["persona"]["name"] == "Unfiltered buyer")
    assert mine["persona"]["criteria"] == {"all": []}
    total = mine["match"]["leads"]
    waiting(app, 10).until(
        lambda d: text_of(card.find_element(By.CSS_SELECTOR, "[data-testid=persona-leads]")) == f"{total:,}"
    )


def test_dot_vote_items_come_from_the_parking_lot_without_duplicates(app, demo_workspace: Path):
    goto(app, "workshop")
    wait_for(app, "[data-testid=session]")
    parked = [p["text"] for p in cli_json("--workspace", demo_workspace, "sessions")[0]["parking_lot"] if not p["resolved"]]
    assert parked
    app.find_element(By.CSS_SELECTOR, "[data-testid=fill-parking]").click()
    items = app.find_element(By.CSS_SELECTOR, "[data-testid=vote-items]")
    assert items.get_property("value").split("\n") == parked
    # The same topic again in other case, and one more: the vote keeps one of each.
    app.execute_script(
        "arguments[0].value += arguments[1]; arguments[0].dispatchEvent(new Event('input', {bubbles: true}))",
        items,
        "\n" + parked[0].upper() + "\nPartner pricing",
    )
    app.find_element(By.CSS_SELECTOR, "[data-testid=vote-create]").click()
    vote = wait_for(app, "[data-testid=vote]")
    waiting(app, 10).until(
        lambda d: len(vote.find_elements(By.CSS_SELECTOR, "li.row")) == len(parked) + 1
    )
    labels = [text_of(e) for e in vote.find_elements(By.CSS_SELECTOR, "li.row .grow")]
    assert labels == parked + ["Partner pricing"]


def test_sessions_and_people_are_edited_and_deleted(app, demo_workspace: Path):
    goto(app, "workshop")
    wait_for(app, "[data-testid=session]")
    people = {p["name"]: p["id"] for p in cli_json("--workspace", demo_workspace, "people")}
    before = cli_json("--workspace", demo_workspace, "sessions")[0]
    assert people["Sofia Brandt"] not in before["participant_ids"]

    app.find_element(By.CSS_SELECTOR, "[data-testid=session-edit]").click()
    title = wait_for(app, "[data-testid=session-title]")
    title.clear()
    title.send_keys("Q4 kick-off, revised")
    app.find_element(By.CSS_SELECTOR, f'[data-testid=session-form] input[type=checkbox][value="{people["Sofia Brandt"]}"]').click()
    app.find_element(By.CSS_SELECTOR, "[data-testid=session-create]").click()
    wait_for_text(app, "[data-testid=session] h2", "Q4 kick-off, revised")
    after = cli_json("--workspace", demo_workspace, "sessions")[0]
    assert after["id"] == before["id"] and after["title"] == "Q4 kick-off, revised"
    assert sorted(after["participant_ids"]) == sorted(before["participant_ids"] + [people["Sofia Brandt"]])
    assert after["agenda"] == before["agenda"]

    row = '[data-testid=person][data-person="Leo Fontaine"]'
    app.find_element(By.CSS_SELECTOR, f"{row} [data-testid=person-edit]").click()
    name = wait_for(app, "[data-testid=person-edit-name]")
    name.clear()
    name.send_keys("Leo Fontaine-Roy")
    app.find_element(By.CSS_SELECTOR, "[data-testid=person-edit-save]").click()
    wait_for(app, '[data-testid=person][data-person="Leo Fontaine-Roy"]')
    names = {p["name"] for p in cli_json("--workspace", demo_workspace, "people")}
    assert "Leo Fontaine-Roy" in names and "Leo Fontaine" not in names

    row = '[data-testid=person][data-person="Sofia Brandt"]'
    app.find_element(By.CSS_SELECTOR, f"{row} [data-testid=person-delete]").click()
    wait_for(app, f"{row} [data-testid=person-delete-confirm]").click()
    waiting(app, 10).until(lambda d: not d.find_elements(By.CSS_SELECTOR, row))
    assert "Sofia Brandt" not in {p["name"] for p in cli_json("--workspace", demo_workspace, "people")}

    actions = len(cli_json("--workspace", demo_workspace, "actions"))
    app.find_element(By.CSS_SELECTOR, "[data-testid=session-delete]").click()
    wait_for(app, "[data-testid=session-delete-confirm]").click()
    waiting(app, 10).until(lambda d: not d.find_elements(By.CSS_SELECTOR, "[data-testid=session]"))
    assert cli_json("--workspace", demo_workspace, "sessions") == []
    assert len(cli_json("--workspace", demo_workspace, "actions")) == actions


def test_parked_topics_become_a_decision_and_an_action_item(app, demo_workspace: Path):
    goto(app, "workshop")
    wait_for(app, "[data-testid=session]")
    acted = "Weekly SLA review with both teams"
    topic = app.find_element(By.CSS_SELECTOR, "[aria-label='Topic to park']")
    topic.send_keys(acted)
    topic.send_keys(Keys.ENTER)
    wait_text(app, "[data-testid=parked-item]", acted)
    session = cli_json("--workspace", demo_workspace, "sessions")[0]
    decided = next(p["text"] for p in session["parking_lot"] if not p["resolved"] and p["text"] != acted)

    def button(text: str, testid: str):
        row = next(r for r in app.find_elements(By.CSS_SELECTOR, "[data-testid=parked-item]") if text in text_of(r))
        return row.find_element(By.CSS_SELECTOR, f"[data-testid={testid}]")

    button(decided, "parked-to-decision").click()
    wait_text(app, "[data-testid=decisions]", decided)
    button(acted, "parked-to-action").click()
    waiting(app, 10).until(lambda d: any(a["text"] == acted for a in cli_json("--workspace", demo_workspace, "actions")))
    wait_text(app, "[data-testid=actions]", acted)

    after = cli_json("--workspace", demo_workspace, "sessions")[0]
    assert [d["text"] for d in after["decisions"]].count(decided) == 1
    resolved = {p["text"]: p["resolved"] for p in after["parking_lot"]}
    assert resolved[decided] and resolved[acted]
    # Resolved topics offer no more moves.
    assert not [r for r in app.find_elements(By.CSS_SELECTOR, "[data-testid=parked-item]") if decided in text_of(r) and r.find_elements(By.CSS_SELECTOR, "[data-testid=parked-to-decision]")]
