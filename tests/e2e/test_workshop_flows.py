"""Workshop flows that must not break mid-session: a diagnostic rating low on the page
keeps the window in place and is saved; the agenda timer belongs to the session, so it
runs on across screens and a window reload and gives its end cue on any screen; the
People list keeps each person on one line; a persona's evidence without a source is
pointed out at its Source field."""

import re
import time
from pathlib import Path

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

from conftest import cli_json
from helpers import goto, text_of, wait_for, wait_for_text, waiting


def seconds(clock: str) -> int:
    m = re.fullmatch(r"(\d+):(\d\d)", clock.strip())
    assert m, f"not a clock: {clock!r}"
    return int(m.group(1)) * 60 + int(m.group(2))


def main_scroll(driver) -> float:
    return driver.execute_script("return document.querySelector('main').scrollTop")


def window_scroll(driver) -> float:
    """How far the whole window (not the content area) is scrolled: 0 unless something broke out."""
    return driver.execute_script("return document.scrollingElement.scrollTop + document.body.scrollTop")


def test_a_rating_low_on_the_page_keeps_the_window_in_place_and_is_saved(app, demo_workspace: Path):
    goto(app, "diagnostic")
    name = wait_for(app, "[data-testid=run-name]")
    name.clear()
    name.send_keys("Scroll check")
    app.find_element(By.CSS_SELECTOR, "[data-testid=run-named]").click()
    app.find_element(By.CSS_SELECTOR, "[data-testid=run-start]").click()
    wait_for_text(app, "[data-testid=run-status]", "Scroll check")
    # The participant is told the run shows scores by name before answering.
    assert "named results" in text_of(wait_for(app, "[data-testid=answer-privacy]"))
    select = Select(wait_for(app, "[data-testid=respondent-select]"))
    waiting(app, 10).until(lambda d: any(text_of(o) == "Dana Whitfield (sales)" for o in select.options))
    select.select_by_visible_text("Dana Whitfield (sales)")

    rating = wait_for(app, "[data-testid=rate-18-5]")
    app.execute_script("arguments[0].scrollIntoView({block: 'center'})", rating)
    before_scroll, before_y = main_scroll(app), rating.rect["y"]
    assert before_scroll > 0, "statement 18 is below the fold"
    rating.click()
    waiting(app, 5).until(lambda d: "chosen" in (rating.get_attribute("class") or ""))
    time.sleep(0.3)
    # The window did not scroll away (it went blank), and the page did not jump.
    assert window_scroll(app) == 0
    assert app.find_element(By.CSS_SELECTOR, "nav.sidebar").rect["y"] == 0
    assert abs(main_scroll(app) - before_scroll) <= 2
    assert abs(rating.rect["y"] - before_y) <= 2
    assert app.find_element(By.CSS_SELECTOR, "input[name=s18][value='5']").get_property("checked")

    # The radios stay keyboard-usable: an arrow key moves the choice within the statement.
    app.execute_script("document.querySelector(\"input[name=s18][value='5']\").focus()")
    ActionChains(app).send_keys(Keys.ARROW_LEFT).perform()
    waiting(app, 5).until(lambda d: "chosen" in (d.find_element(By.CSS_SELECTOR, "[data-testid=rate-18-4]").get_attribute("class") or ""))
    assert window_scroll(app) == 0

    ratings = {n: 3 for n in range(1, 21)}
    ratings[18] = 4
    for n in range(1, 21):
        if n != 18:
            app.find_element(By.CSS_SELECTOR, f"[data-testid=rate-{n}-3]").click()
    assert window_scroll(app) == 0
    app.find_element(By.CSS_SELECTOR, "[data-testid=answer-submit]").click()
    wait_for_text(app, "[data-testid=thanks]", "Dana Whitfield")

    run = cli_json("--workspace", demo_workspace, "diagnostic")
    assert run["name"] == "Scroll check"
    assert run["answered"] == ["Dana Whitfield"]
    assert run["named"] is True
    assert run["result"] is None, "an open run shows nobody's score"
    run = cli_json("--workspace", demo_workspace, "diagnostic-close", "--run", str(run["id"]))
    (dana,) = run["result"]["people"]
    assert dana["score"] == sum(ratings.values())


def test_the_timer_runs_on_across_screens_and_a_reload(app):
    goto(app, "workshop")
    wait_for(app, "[data-testid=session]")
    full = seconds(text_of(wait_for(app, "[data-testid=timer-clock]")))
    app.find_element(By.CSS_SELECTOR, "[data-testid=timer-start]").click()
    waiting(app, 5).until(lambda d: "running" in (d.find_element(By.CSS_SELECTOR, "[data-testid=timer]").get_attribute("class") or ""))

    goto(app, "overview")
    badge = wait_for(app, "[data-testid=app-timer]")
    assert badge.get_attribute("data-running") == "true"
    first = seconds(text_of(wait_for(app, "[data-testid=app-timer-clock]")))
    assert first <= full
    waiting(app, 10).until(lambda d: seconds(text_of(d.find_element(By.CSS_SELECTOR, "[data-testid=app-timer-clock]"))) <= first - 2)

    goto(app, "workshop")
    clock = seconds(text_of(wait_for(app, "[data-testid=timer-clock]")))
    assert clock <= first - 2, "coming back did not reset the timer"
    assert "running" in (app.find_element(By.CSS_SELECTOR, "[data-testid=timer]").get_attribute("class") or "")

    app.refresh()
    wait_for(app, "[data-testid=session]", timeout=30)
    waiting(app, 10).until(lambda d: "running" in (d.find_element(By.CSS_SELECTOR, "[data-testid=timer]").get_attribute("class") or ""))
    after = seconds(text_of(app.find_element(By.CSS_SELECTOR, "[data-testid=timer-clock]")))
    assert 0 < after <= clock
    assert wait_for(app, "[data-testid=app-timer]").get_attribute("data-running") == "true"

    # Presenting keeps it in sight, in the bar under the slides.
    app.find_element(By.CSS_SELECTOR, "[data-testid=present-toggle]").click()
    bar_clock = wait_for(app, "[data-testid=present-bar] [data-testid=app-timer-clock]")
    assert seconds(text_of(bar_clock)) <= after

    # Pausing holds the time, on every reader.
    app.execute_script("document.activeElement && document.activeElement.blur()")
    ActionChains(app).send_keys(Keys.ESCAPE).perform()
    wait_for(app, "[data-testid=timer-pause]").click()
    waiting(app, 5).until(lambda d: d.find_element(By.CSS_SELECTOR, "[data-testid=app-timer]").get_attribute("data-running") == "false")
    held = text_of(app.find_element(By.CSS_SELECTOR, "[data-testid=timer-clock]"))
    time.sleep(2)
    app.refresh()
    wait_for(app, "[data-testid=session]", timeout=30)
    waiting(app, 10).until(lambda d: text_of(d.find_element(By.CSS_SELECTOR, "[data-testid=timer-clock]")) == held)


SPY_AUDIO = """
window.__beeps = 0;
const Real = window.AudioContext || window.webkitAudioContext;
class Spy extends Real {
  createOscillator() { window.__beeps += 1; return super.createOscillator(); }
}
window.AudioContext = Spy;
"""


def test_the_end_of_a_block_is_cued_on_whatever_screen_is_shown(app):
    goto(app, "workshop")
    wait_for(app, "[data-testid=session]")
    app.find_element(By.CSS_SELECTOR, "[data-testid=session-new]").click()
    title = wait_for(app, "[data-testid=session-title]")
    title.clear()
    title.send_keys("One-minute check")
    minutes = app.find_elements(By.CSS_SELECTOR, "[data-testid=session-form] input[aria-label=Minutes]")[0]
    minutes.clear()
    minutes.send_keys("1")
    app.find_element(By.CSS_SELECTOR, "[data-testid=session-create]").click()
    wait_for_text(app, "[data-testid=session]", "One-minute check")
    waiting(app, 5).until(lambda d: text_of(d.find_element(By.CSS_SELECTOR, "[data-testid=timer-clock]")) == "1:00")

    has_audio = app.execute_script("return !!(window.AudioContext || window.webkitAudioContext)")
    if has_audio:
        app.execute_script(SPY_AUDIO)
    app.find_element(By.CSS_SELECTOR, "[data-testid=timer-start]").click()
    goto(app, "funnel")
    badge = wait_for(app, "[data-testid=app-timer]")
    assert badge.get_attribute("data-ended") == "false"
    waiting(app, 75).until(lambda d: d.find_element(By.CSS_SELECTOR, "[data-testid=app-timer]").get_attribute("data-ended") == "true")
    badge = app.find_element(By.CSS_SELECTOR, "[data-testid=app-timer]")
    assert "Time is up" in text_of(badge)
    assert "flash" in (badge.get_attribute("class") or "")
    assert text_of(app.find_element(By.CSS_SELECTOR, "[data-testid=app-timer-clock]")) == "0:00"
    if has_audio:
        assert app.execute_script("return window.__beeps") >= 2, "the end beep was not played"


def test_people_keep_name_and_actions_on_one_line(app):
    goto(app, "workshop")
    people = wait_for(app, "[data-testid=person]")
    assert people
    for row in app.find_elements(By.CSS_SELECTOR, "[data-testid=person]"):
        edit = row.find_element(By.CSS_SELECTOR, "[data-testid=person-edit]")
        remove = row.find_element(By.CSS_SELECTOR, "[data-testid=person-delete]")
        name = row.find_element(By.CSS_SELECTOR, "strong")
        assert text_of(remove) == "Remove…"
        # One line: "Remove…" does not wrap and sits beside Edit and the name.
        assert remove.rect["height"] < 1.6 * edit.rect["height"]
        assert abs(remove.rect["y"] - edit.rect["y"]) <= 2
        assert abs(edit.rect["y"] + edit.rect["height"] / 2 - (name.rect["y"] + name.rect["height"] / 2)) <= 4
        assert row.rect["height"] < 2 * edit.rect["height"] + 8


def test_evidence_without_a_source_is_pointed_out_at_its_field(app):
    goto(app, "personas")
    wait_for(app, "[data-testid=persona-new]").click()
    wait_for(app, "[data-testid=persona-name]").send_keys("Evidence check")
    add_statement = [b for b in app.find_elements(By.CSS_SELECTOR, "[data-testid=persona-editor] button") if text_of(b) == "+ Statement"][0]
    add_statement.click()
    row = wait_for(app, "[data-testid=persona-editor] .st-row")
    row.find_element(By.CSS_SELECTOR, "input[aria-label=Statement]").send_keys("Buyers ask for SSO first")
    Select(row.find_element(By.CSS_SELECTOR, "select[aria-label=Basis]")).select_by_visible_text("Evidence")
    app.find_element(By.CSS_SELECTOR, "[data-testid=persona-save]").click()

    error = wait_for(app, "[data-testid=source-error]")
    source = app.find_element(By.CSS_SELECTOR, "[data-testid=statement-source-0]")
    assert "source" in text_of(error)
    assert source.get_attribute("aria-invalid") == "true"
    assert app.execute_script("return document.activeElement") == source
    # The message is in view, right under the field, not in a banner at the top.
    view = app.execute_script("const r = document.querySelector('main').getBoundingClientRect(); return [r.top, r.bottom]")
    assert view[0] <= error.rect["y"] and error.rect["y"] + error.rect["height"] <= view[1]
    assert 0 <= error.rect["y"] - (source.rect["y"] + source.rect["height"]) <= 40
    assert not app.find_elements(By.CSS_SELECTOR, "[data-testid=error-banner]")

    source.send_keys("Win/loss interviews 2026")
    waiting(app, 5).until(lambda d: not d.find_elements(By.CSS_SELECTOR, "[data-testid=source-error]"))
    app.find_element(By.CSS_SELECTOR, "[data-testid=persona-save]").click()
    wait_for(app, "[data-testid=persona-card][data-persona='Evidence check']")
