"""The room with real browsers: the desktop window (tauri-driver) opens the room; three
headless Chromium "phones" (390x844, each its own profile) join by its URL, answer the
diagnostic, vote and park ideas; the desktop window shows each within a second; one
phone goes offline mid-vote and comes back with nothing lost or counted twice.

With BATON_SCREENSHOTS=DIR, the first test also saves `DIR/room-phone-*.png` (a phone at
390x844) and `DIR/room-desktop.png` / `DIR/room-present.png` (the window with the live
room, normal and in presentation mode); docs/images/ holds the committed ones."""

from __future__ import annotations

import os
import socket
import subprocess
import time
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import Select

from conftest import cli_json, run_cli
from helpers import goto, text_of, wait_for, waiting
from room_browsers import Lan, Phone, chromium_phone

SHOTS = os.environ.get("BATON_SCREENSHOTS")


def shoot(driver: WebDriver, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(Path(SHOTS) / f"{name}.png"))


def shoot_room(app: WebDriver) -> None:
    """The window with the Room panel in view, normal and presenting."""
    if not SHOTS:
        return
    app.execute_script("document.querySelector('[data-testid=room]').scrollIntoView({block: 'start'})")
    time.sleep(0.5)
    shoot(app, "room-desktop")
    app.find_element(By.CSS_SELECTOR, "[data-testid=present-toggle]").click()
    waiting(app, 5).until(lambda d: "presenting" in (d.find_element(By.TAG_NAME, "html").get_attribute("class") or ""))
    app.execute_script("document.querySelector('[data-testid=room]').scrollIntoView({block: 'start'})")
    time.sleep(0.8)
    shoot(app, "room-present")
    app.find_element(By.TAG_NAME, "body").send_keys(Keys.ESCAPE)
    waiting(app, 5).until(lambda d: "presenting" not in (d.find_element(By.TAG_NAME, "html").get_attribute("class") or ""))


# "Within a second" on the projector, measured from the phone's acknowledgement.
LIVE_S = 1.0


@pytest.fixture
def phones(tmp_path: Path):
    started: list[WebDriver] = []

    def _phone(name: str) -> Phone:
        d = chromium_phone(tmp_path / f"phone-{len(started)}")
        started.append(d)
        return Phone(d, name)

    yield _phone
    for d in started:
        try:
            d.quit()
        except Exception:
            pass


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def open_room(app: WebDriver, address: str = "127.0.0.1", port: int | None = None) -> str:
    goto(app, "workshop")
    wait_for(app, "[data-testid=room]")
    wait_for(app, "[data-testid=room-open]").click()
    wait_for(app, f'[data-testid=room-interface][data-address="{address}"]').click()
    if port is not None:
        app.find_element(By.CSS_SELECTOR, "[data-testid=room-port]").send_keys(str(port))
    app.find_element(By.CSS_SELECTOR, "[data-testid=room-open-confirm]").click()
    url = text_of(wait_for(app, "[data-testid=room-url]", timeout=15))
    assert url.startswith(f"http://{address}:") and "/r/" in url
    wait_for(app, "[data-testid=room-qr]")
    return url


def show_step(app: WebDriver, label: str) -> None:
    def option(d: WebDriver) -> str | bool:
        select = Select(d.find_element(By.CSS_SELECTOR, "[data-testid=room-step-select]"))
        return next((o.get_attribute("value") for o in select.options if label in text_of(o)), False)

    value = waiting(app, 10).until(option)
    Select(app.find_element(By.CSS_SELECTOR, "[data-testid=room-step-select]")).select_by_value(value)
    waiting(app, 10).until(lambda d: label in text_of(d.find_element(By.CSS_SELECTOR, "[data-testid=room-step]")))


def seen_within(app: WebDriver, check, what: str, seconds: float = LIVE_S) -> float:
    """How long the desktop window took to show `check`; fails beyond `seconds`."""
    start = time.monotonic()
    try:
        waiting(app, seconds + 0.5).until(lambda d: check(d))
    except Exception:
        pytest.fail(f"the desktop window did not show {what} within {seconds + 0.5:.1f}s")
    took = time.monotonic() - start
    assert took <= seconds, f"{what} took {took:.2f}s to reach the desktop window"
    return took


def room_people(d: WebDriver) -> dict[str, bool]:
    return {
        e.get_attribute("data-name"): e.get_attribute("data-connected") == "true"
        for e in d.find_elements(By.CSS_SELECTOR, "[data-testid=room-participant]")
    }


def ballots_on_desktop(d: WebDriver, topic: str) -> int:
    for v in d.find_elements(By.CSS_SELECTOR, "[data-testid=dot-votes] [data-testid=vote]"):
        h = text_of(v.find_element(By.CSS_SELECTOR, "h3"))
        if h.startswith(topic):
            return int(h[len(topic):].split("ballot")[0].strip())
    return -1


def parking_on_desktop(d: WebDriver) -> list[str]:
    return [text_of(e) for e in d.find_elements(By.CSS_SELECTOR, "[data-testid=parking-lot] li")]


def test_three_phones_join_answer_vote_and_park_live_on_the_desktop(launch, demo_workspace: Path, phones):
    run_cli("--workspace", demo_workspace, "diagnostic-start", "Room check", "--date", "2026-12-06")
    app = launch(demo_workspace)
    port = free_port()
    url = open_room(app, port=port)
    session = cli_json("--workspace", demo_workspace, "sessions")[0]
    people = {p["id"]: p["name"] for p in cli_json("--workspace", demo_workspace, "people")}
    in_session = people[session["participant_ids"][0]]

    # Three phones join: one picks herself from the session's people, two are new.
    ana, ben, cy = phones(in_session), phones("Ben Okafor"), phones("Cy Laurent")
    for p in (ana, ben, cy):
        p.open(url)
    ana.wait_live()
    shoot(ana.d, "room-phone-join")
    ana.join_as(in_session)
    seen_within(app, lambda d: ana.name in room_people(d), "the first participant joining")
    ben.join_new("sales")
    seen_within(app, lambda d: ben.name in room_people(d), "the second participant joining")
    cy.join_new("marketing")
    seen_within(app, lambda d: cy.name in room_people(d), "the third participant joining")
    waiting(app, 5).until(lambda d: all(room_people(d).values()))

    # The diagnostic, privately: each phone answers all 20 statements.
    show_step(app, "Diagnostic run: Room check")
    for i, p in enumerate((ana, ben, cy)):
        p.answer_all([(i + k) % 5 + 1 for k in range(20)], lambda k, p=p: k == 6 and p is ana and shoot(p.d, "room-phone-diagnostic"))
        seen_within(
            app,
            lambda d, n=i + 1: text_of(d.find_element(By.CSS_SELECTOR, "[data-testid=room-progress]")).startswith(f"· {n} answered"),
            f"participant {i + 1}'s completed diagnostic",
        )
    run = cli_json("--workspace", demo_workspace, "diagnostic")
    assert run["name"] == "Room check"
    assert sorted(run["answered"]) == sorted([ana.name, ben.name, cy.name])

    # A dot vote made on the desktop.
    app.find_element(By.CSS_SELECTOR, "[data-testid=dot-votes] input").send_keys("Fix first")
    app.execute_script(
        "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input', {bubbles: true}))",
        app.find_element(By.CSS_SELECTOR, "[data-testid=vote-items]"),
        "SLA breaches\nLead scoring\nRouting",
    )
    app.find_element(By.CSS_SELECTOR, "[data-testid=vote-create]").click()
    waiting(app, 10).until(lambda d: ballots_on_desktop(d, "Fix first") == 0)
    show_step(app, "Vote: Fix first")

    ana.place_dots([2, 1, 0])
    shoot(ana.d, "room-phone-vote")
    ana.cast()
    ana.wait_voted()
    seen_within(app, lambda d: ballots_on_desktop(d, "Fix first") == 1, "the first ballot")

    # Ben goes offline mid-vote: the page says so and holds its controls, then resumes.
    ben.place_dots([0, 1, 1])
    ben.offline(True)
    wait_for(ben.d, "[data-testid=reconnecting]", timeout=10)
    assert ben.d.find_element(By.CSS_SELECTOR, "[data-testid=vote-cast]").get_attribute("disabled") is not None
    ben.offline(False)
    ben.wait_live()
    counts = [int(text_of(e)) for e in ben.d.find_elements(By.CSS_SELECTOR, "[data-testid=dot-count]")]
    assert counts == [0, 1, 1], "the dots placed before going offline are still there"
    ben.cast()
    ben.wait_voted()
    seen_within(app, lambda d: ballots_on_desktop(d, "Fix first") == 2, "the ballot cast after reconnecting")

    # A reload (a phone that locked) brings back the same identity, already voted.
    ben.d.refresh()
    ben.wait_room()
    ben.wait_voted()

    shoot_room(app)
    cy.place_dots([1, 0, 2])
    cy.cast()
    cy.wait_voted()
    seen_within(app, lambda d: ballots_on_desktop(d, "Fix first") == 3, "the third ballot")

    # Nothing counted twice: reveal on the desktop; the tally is exactly the dots cast.
    vote = next(
        v for v in app.find_elements(By.CSS_SELECTOR, "[data-testid=dot-votes] [data-testid=vote]")
        if text_of(v.find_element(By.CSS_SELECTOR, "h3")).startswith("Fix first")
    )
    next(b for b in vote.find_elements(By.CSS_SELECTOR, "button") if text_of(b) == "Reveal results").click()
    waiting(ana.d, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, "[data-testid=tally]"))
    tally = {
        text_of(li.find_element(By.CSS_SELECTOR, ".item")): int(text_of(li.find_element(By.CSS_SELECTOR, ".num")))
        for li in ana.d.find_elements(By.CSS_SELECTOR, "[data-testid=tally] li")
    }
    assert tally == {"SLA breaches": 3, "Lead scoring": 2, "Routing": 3}
    assert "3 ballots cast" in text_of(ana.d.find_element(By.CSS_SELECTOR, "[data-testid=ballots-cast]"))

    # The parking lot: each phone parks an idea; the desktop lists each within a second.
    show_step(app, "Parking lot")
    for p, idea in ((ana, "Partner leads skip MQL?"), (ben, "Weekly SLA review"), (cy, "Score decay after 30 days")):
        p.park(idea)
        seen_within(app, lambda d, t=idea: any(t in line for line in parking_on_desktop(d)), f"the parked idea {idea!r}")
    parked = [i["text"] for i in cli_json("--workspace", demo_workspace, "sessions")[0]["parking_lot"]]
    for idea in ("Partner leads skip MQL?", "Weekly SLA review", "Score decay after 30 days"):
        assert parked.count(idea) == 1

    # The host restarts mid-session (the window is ended under tauri-driver, as a crash
    # would): every page loses the room ("Reconnecting…", or "closed" when the app had
    # time to say so). The app starts again on the same workspace and opens the room on
    # the same URL; the pages follow it by themselves, as the same people, with nothing
    # lost or doubled.
    app.quit()
    for p in (ana, ben, cy):
        waiting(p.d, 15).until(lambda d, p=p: p.phase() == "closed" or not p.live())
    app = launch(demo_workspace)
    assert open_room(app, port=port) == url
    for p in (ana, ben, cy):
        p.wait_room(timeout=20)
        p.wait_live(timeout=20)
        p.wait_step("parking")
    waiting(app, 10).until(lambda d: ballots_on_desktop(d, "Fix first") == 3)
    cy.park("Raised after the restart")
    seen_within(app, lambda d: any("Raised after the restart" in line for line in parking_on_desktop(d)), "an idea parked after the restart")
    parked = [i["text"] for i in cli_json("--workspace", demo_workspace, "sessions")[0]["parking_lot"]]
    assert parked.count("Weekly SLA review") == 1 and parked.count("Raised after the restart") == 1


def test_removed_locked_and_closed_rooms_say_what_to_do(launch, demo_workspace: Path, phones):
    app = launch(demo_workspace)
    url = open_room(app)
    dee, eve = phones("Dee Ramos"), phones("Eve Lind")
    dee.open(url)
    dee.join_new("other")
    waiting(app, 5).until(lambda d: dee.name in room_people(d))

    # Lock: a new phone is told the room is locked; Dee stays in.
    app.find_element(By.CSS_SELECTOR, "[data-testid=room-lock]").click()
    wait_for(app, "[data-testid=room-locked]")
    eve.open(url)
    wait_for(eve.d, "[data-testid=join-locked]", timeout=10)
    assert eve.d.find_element(By.CSS_SELECTOR, "[data-testid=join-submit]").get_attribute("disabled") is not None

    # Remove Dee: her page says so at once.
    row = next(e for e in app.find_elements(By.CSS_SELECTOR, "[data-testid=room-participant]") if e.get_attribute("data-name") == dee.name)
    row.find_element(By.CSS_SELECTOR, "[data-testid=room-remove]").click()
    wait_for(app, "[data-testid=room-remove-confirm]").click()
    wait_for(dee.d, "[data-testid=removed]", timeout=5)

    # A wrong token: the plain page saying to scan the code again.
    dee.d.get(url.rsplit("/r/", 1)[0] + "/r/not-the-token/")
    assert "Scan the code on the projector again" in text_of(dee.d.find_element(By.TAG_NAME, "body"))

    # Close: every page says the room is closed.
    app.find_element(By.CSS_SELECTOR, "[data-testid=room-close]").click()
    wait_for(app, "[data-testid=room-close-confirm]").click()
    wait_for(eve.d, "[data-testid=closed]", timeout=5)
    wait_for(app, "[data-testid=room-open]")


def x_windows_named(title: str):
    """The top-level X windows named `title` that accept WM_DELETE_WINDOW, with the
    display they were found on (the caller closes it)."""
    from Xlib import display

    d = display.Display()
    wm_delete = d.intern_atom("WM_DELETE_WINDOW")

    def matching(w):
        if w.get_wm_name() == title and wm_delete in (w.get_wm_protocols() or []):
            yield w
        for child in w.query_tree().children:
            yield from matching(child)

    return d, list(matching(d.screen().root))


def ask_window_manager_close(title: str, timeout: float = 20) -> None:
    """Send WM_DELETE_WINDOW to the X windows named `title`, as a window manager does when
    the user clicks the close button, until none is left.

    Under Xvfb with no window manager, GTK sometimes drops the first request (seen about
    one run in two on a loaded machine: the window stays mapped and the app keeps
    serving; a second request closes it), so the request is repeated, as a user clicks
    close again."""
    from Xlib import X, protocol

    deadline = time.monotonic() + timeout
    sent = False
    while True:
        d, windows = x_windows_named(title)
        try:
            if not windows:
                assert sent, f"no X window named {title!r}"
                return
            assert time.monotonic() < deadline, f"{title!r} still open after {timeout} s of close requests"
            wm_protocols = d.intern_atom("WM_PROTOCOLS")
            wm_delete = d.intern_atom("WM_DELETE_WINDOW")
            for window in windows:
                event = protocol.event.ClientMessage(window=window, client_type=wm_protocols, data=(32, [wm_delete, X.CurrentTime, 0, 0, 0]))
                window.send_event(event)
            d.flush()
            sent = True
        finally:
            d.close()
        time.sleep(3)


def test_quitting_baton_closes_the_room_and_tells_every_phone(launch, demo_workspace: Path, phones):
    app = launch(demo_workspace)
    url = open_room(app)
    fay = phones("Fay Quint")
    fay.open(url)
    fay.join_new("marketing")
    # Connected, not only joined: the phone's event stream must be open to hear the close
    # (between the join and its stream's reconnect it would only see the server vanish).
    waiting(app, 10).until(lambda d: room_people(d).get(fay.name) is True)
    # Close the window as a window manager does when the user clicks its close button
    # (WM_DELETE_WINDOW): Baton quits, the phone is told the room closed (a crash would
    # only leave it reconnecting), and the address stops answering.
    ask_window_manager_close("Baton")
    wait_for(fay.d, "[data-testid=closed]", timeout=10)
    host, port = url.split("//", 1)[1].split("/", 1)[0].rsplit(":", 1)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection((host, int(port)), timeout=0.5).close()
        except OSError:
            break
        time.sleep(0.2)
    else:
        pytest.fail(f"{host}:{port} still accepts connections after Baton quit")


def test_phones_on_their_own_network_reach_the_room_on_the_interface_picked(launch, demo_workspace: Path, tmp_path: Path):
    lan = Lan(str(os.getpid() % 1000))
    drivers: list[tuple[WebDriver, subprocess.Popen]] = []
    try:
        lan.up()
        app = launch(demo_workspace)
        url = open_room(app, lan.host_addr)
        port = int(url.split("://", 1)[1].split("/", 1)[0].rsplit(":", 1)[1])
        # Bound to that interface only: not on loopback.
        with socket.socket() as s:
            assert s.connect_ex(("127.0.0.1", port)) != 0, "the room must listen on the picked interface only"
        for i, name in enumerate(("Fay Moreau", "Gus Hale")):
            drivers.append(lan.phone(tmp_path / f"lan-phone-{i}"))
            p = Phone(drivers[-1][0], name)
            p.open(url)
            p.join_new("marketing" if i else "sales")
            seen_within(app, lambda d, n=name: n in room_people(d), f"{name} joining from the other network")
            p.park(f"Idea from {name}")
            seen_within(app, lambda d, n=name: any(f"Idea from {n}" in line for line in parking_on_desktop(d)), f"{name}'s parked idea")
    finally:
        for driver, proc in drivers:
            try:
                driver.quit()
            except Exception:
                pass
            proc.terminate()
            proc.wait(timeout=10)
        lan.down()
