"""Presentation mode on every screen: ↓ reaches every item of every slide (a slide
taller than the window scrolls first), chart text grows with the type, the way out
never covers content, leaving and entering again resumes the slide, and a topic can be
parked while presenting.

With BATON_SCREENSHOTS=DIR, the first test also saves `DIR/<screen>-present.png` of each
screen's first slide (docs/images/ holds the committed ones)."""

import os
from pathlib import Path

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

from conftest import cli_json
from helpers import goto, sidebar_screens, text_of, wait_for, wait_for_text, waiting

# Items a facilitator must be able to show: rows, list entries, headings, paragraphs,
# charts and cards inside the slides.
ITEMS = "main [data-slide] :is(tr, li, h2, h3, p, [role=img], .card)"

# Laid out, and not folded away in a closed <details> (WebKit still gives those boxes).
SHOWN = "const shown = (el) => el.getClientRects().length > 0 && !el.closest('details:not([open]) > :not(summary)');"

MARK_SEEN = SHOWN + """
const view = document.querySelector('main').getBoundingClientRect();
for (const el of document.querySelectorAll(arguments[0])) {
  const r = el.getBoundingClientRect();
  if (!shown(el) || r.height === 0) continue;
  if (r.top >= view.top - 1 && r.bottom <= view.bottom + 1) el.dataset.seen = '1';
}
"""

UNSEEN = SHOWN + """
const view = document.querySelector('main').getBoundingClientRect();
return Array.from(document.querySelectorAll(arguments[0]))
  .filter((el) => shown(el) && el.dataset.seen !== '1')
  .filter((el) => { const r = el.getBoundingClientRect(); return r.height > 0 && r.height <= view.height; })
  .map((el) => el.tagName + ': ' + el.textContent.trim().slice(0, 60));
"""

POSITION = "return [document.querySelector('.current-slide')?.dataset.slide ?? null, Math.round(document.querySelector('main').scrollTop)]"


def presenting(driver) -> bool:
    return "presenting" in (driver.find_element(By.TAG_NAME, "html").get_attribute("class") or "")


def enter(driver) -> None:
    driver.find_element(By.CSS_SELECTOR, "[data-testid=present-toggle]").click()
    waiting(driver, 5).until(presenting)
    waiting(driver, 5).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".current-slide"))


def leave(driver) -> None:
    driver.execute_script("document.activeElement && document.activeElement.blur()")
    ActionChains(driver).send_keys(Keys.ESCAPE).perform()
    waiting(driver, 5).until(lambda d: not presenting(d))


def press(driver, key: str) -> list:
    before = driver.execute_script(POSITION)
    ActionChains(driver).send_keys(key).perform()
    try:
        waiting(driver, 1).until(lambda d: d.execute_script(POSITION) != before)
    except Exception:
        pass  # nothing left to show: the position stays
    return driver.execute_script(POSITION)


def step_through(driver) -> int:
    """Press ↓ until nothing moves; marks every item that was fully in view. Returns the presses."""
    driver.execute_script(MARK_SEEN, ITEMS)
    position, presses = driver.execute_script(POSITION), 0
    while presses < 80:
        new = press(driver, Keys.ARROW_DOWN)
        presses += 1
        driver.execute_script(MARK_SEEN, ITEMS)
        if new == position:
            return presses
        position = new
    raise AssertionError("↓ never reached the end")


def wait_loaded(driver) -> None:
    """The screen's data is on screen: nothing says Loading any more."""
    waiting(driver, 20).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, "main .screen > :not(header)")
        and not any("Loading" in text_of(e) for e in d.find_elements(By.CSS_SELECTOR, "main .screen p.muted"))
    )


def test_every_screen_presents_every_item_with_the_way_out_beside_the_content(app):
    shots = os.environ.get("BATON_SCREENSHOTS")
    for screen, label in sidebar_screens(app):
        goto(app, screen)
        wait_loaded(app)
        enter(app)
        assert not app.find_element(By.CSS_SELECTOR, "nav.sidebar").is_displayed()
        way_out = wait_for(app, "[data-testid=present-leave]")
        main = app.find_element(By.TAG_NAME, "main").rect
        # The bar sits under the scrolling content, so it can never cover it.
        assert way_out.rect["y"] >= main["y"] + main["height"] - 1, screen
        assert app.find_element(By.CSS_SELECTOR, "[data-testid=present-screen]").get_property("value") == screen
        if shots:
            Path(shots).mkdir(parents=True, exist_ok=True)
            app.save_screenshot(str(Path(shots) / f"{screen}-present.png"))
        step_through(app)
        unseen = app.execute_script(UNSEEN, ITEMS)
        assert unseen == [], f"{label}: ↓ never showed {unseen}"
        leave(app)


def test_chart_text_grows_with_the_presentation_type(app):
    goto(app, "funnel")
    chart = wait_for(app, "[role=img][data-text-px]")
    normal = float(chart.get_attribute("data-text-px"))
    root = lambda: float(app.execute_script("return parseFloat(getComputedStyle(document.documentElement).fontSize)"))  # noqa: E731
    normal_root = root()
    enter(app)
    waiting(app, 5).until(lambda d: float(d.find_element(By.CSS_SELECTOR, "[role=img][data-text-px]").get_attribute("data-text-px")) > normal)
    shown = float(app.find_element(By.CSS_SELECTOR, "[role=img][data-text-px]").get_attribute("data-text-px"))
    assert root() > normal_root
    assert abs(shown / root() - normal / normal_root) < 0.05, (shown, root(), normal, normal_root)
    leave(app)
    waiting(app, 5).until(lambda d: float(d.find_element(By.CSS_SELECTOR, "[role=img][data-text-px]").get_attribute("data-text-px")) == normal)


def test_leaving_and_entering_again_resumes_the_slide(app):
    goto(app, "diagnostic")
    wait_for(app, "[data-testid=gap-chart]")
    enter(app)
    for _ in range(4):
        press(app, Keys.ARROW_DOWN)
    where = app.execute_script(POSITION)
    assert where != ["0", 0]
    leave(app)
    goto(app, "overview")
    goto(app, "diagnostic")
    wait_for(app, "[data-testid=gap-chart]")
    enter(app)
    waiting(app, 5).until(lambda d: d.execute_script(POSITION) == where)


def test_a_topic_is_parked_while_presenting_any_screen(app, demo_workspace: Path):
    goto(app, "funnel")
    wait_loaded(app)
    enter(app)
    ActionChains(app).send_keys("p").perform()
    box = wait_for(app, "[data-testid=quick-add-input]")
    assert app.execute_script("return document.activeElement") == box
    box.send_keys("Who owns partner leads?")
    box.send_keys(Keys.ENTER)
    wait_for_text(app, "[data-testid=quick-add-note]", "Topic parked")
    assert presenting(app)
    sessions = cli_json("--workspace", demo_workspace, "sessions")
    parked = [p["text"] for s in sessions for p in s["parking_lot"]]
    assert "Who owns partner leads?" in parked

    # A decision too, and the Workshop slides show both at once.
    ActionChains(app).send_keys("d").perform()
    box = wait_for(app, "[data-testid=quick-add-input]")
    box.send_keys("Partner leads go to the channel team")
    box.send_keys(Keys.ENTER)
    wait_for_text(app, "[data-testid=quick-add-note]", "Decision logged")
    sessions = cli_json("--workspace", demo_workspace, "sessions")
    assert "Partner leads go to the channel team" in [d["text"] for s in sessions for d in s["decisions"]]
    Select(app.find_element(By.CSS_SELECTOR, "[data-testid=present-screen]")).select_by_value("workshop")
    wait_for_text(app, "[data-testid=parking-lot]", "Who owns partner leads?")
    wait_for_text(app, "[data-testid=decisions]", "Partner leads go to the channel team")
    assert presenting(app)
