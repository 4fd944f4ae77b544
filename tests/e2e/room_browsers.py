"""Participants' browsers for the room's end-to-end tests: Debian's headless Chromium,
driven by Selenium through chromedriver, each with its own profile and a true phone-size
viewport (390x844). See /docs/room.md and docs/dev.md."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver

from helpers import text_of, wait_for, waiting

CHROMIUM = os.environ.get("BATON_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = os.environ.get("BATON_CHROMEDRIVER") or shutil.which("chromedriver") or "/usr/bin/chromedriver"
PHONE = {"width": 390, "height": 844, "pixelRatio": 3}


def phone_options(home: Path) -> Options:
    """Headless Chromium with a true 390x844 viewport and its own profile under `home`."""
    o = Options()
    o.binary_location = CHROMIUM
    for arg in (
        "--headless=new",
        "--no-sandbox",  # required as root
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--no-first-run",
        "--no-default-browser-check",
        f"--user-data-dir={home / 'profile'}",
    ):
        o.add_argument(arg)
    o.add_experimental_option("mobileEmulation", {"deviceMetrics": PHONE})
    return o


def chromium_phone(home: Path) -> WebDriver:
    """A headless Chromium phone on this host's network."""
    if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
        pytest.fail("chromium / chromium-driver missing: run scripts/install-deps.sh")
    home.mkdir(parents=True, exist_ok=True)
    o = phone_options(home)
    env = dict(os.environ)
    env.update(
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_CACHE_HOME=str(home / "cache"),
        SE_OFFLINE="true",
        SE_AVOID_STATS="true",
    )
    os.environ.setdefault("SE_OFFLINE", "true")
    os.environ.setdefault("SE_AVOID_STATS", "true")
    service = Service(CHROMEDRIVER, env=env, log_output=str(home / "chromedriver.log"))
    return webdriver.Chrome(service=service, options=o)


class Phone:
    """One participant's page."""

    def __init__(self, driver: WebDriver, name: str):
        self.d = driver
        self.name = name

    def open(self, url: str) -> None:
        self.d.get(url)
        wait_for(self.d, "[data-testid=participant]", timeout=20)

    def phase(self) -> str:
        return self.d.find_element(By.CSS_SELECTOR, "[data-testid=participant]").get_attribute("data-phase")

    def live(self) -> bool:
        return self.d.find_element(By.CSS_SELECTOR, "[data-testid=participant]").get_attribute("data-connected") == "true"

    def wait_live(self, timeout: float = 15) -> None:
        waiting(self.d, timeout).until(lambda d: self.live())

    def join_new(self, team: str) -> None:
        wait_for(self.d, "[data-testid=join-name]", timeout=15).send_keys(self.name)
        self.d.find_element(By.CSS_SELECTOR, f"[data-testid=join-team-{team}]").click()
        self.wait_live()
        self.d.find_element(By.CSS_SELECTOR, "[data-testid=join-submit]").click()
        self.wait_room()

    def join_as(self, person_name: str) -> None:
        self.wait_live()
        button = waiting(self.d, 15).until(
            lambda d: next((b for b in d.find_elements(By.CSS_SELECTOR, "[data-testid=join-person]") if person_name in text_of(b)), False)
        )
        button.click()
        self.wait_room()

    def wait_room(self, timeout: float = 15) -> None:
        waiting(self.d, timeout).until(lambda d: self.phase() == "room")
        waiting(self.d, timeout).until(lambda d: text_of(d.find_element(By.CSS_SELECTOR, "[data-testid=me-name]")) == self.name)

    def wait_step(self, kind: str, timeout: float = 10) -> None:
        waiting(self.d, timeout).until(
            lambda d: d.find_elements(By.CSS_SELECTOR, f'[data-testid=step][data-step="{kind}"]')
        )

    def answer_all(self, ratings: list[int], before_each=None) -> None:
        """Rate every statement, one at a time, waiting for each to be acknowledged."""
        self.wait_step("diagnostic")
        for i, r in enumerate(ratings):
            if before_each:
                before_each(i)
            waiting(self.d, 10).until(
                lambda d: d.find_element(By.CSS_SELECTOR, "[data-testid=statement]").get_attribute("data-index") == str(i)
            )
            self.d.find_element(By.CSS_SELECTOR, f"[data-testid=rate-{r}]").click()
            waiting(self.d, 10).until(lambda d: done_count(d) == i + 1)

    def place_dots(self, dots: list[int]) -> None:
        self.wait_step("vote")
        items = self.d.find_elements(By.CSS_SELECTOR, "[data-testid=vote-item]")
        assert len(items) == len(dots)
        for item, n in zip(items, dots):
            for _ in range(n):
                item.find_element(By.CSS_SELECTOR, "[data-testid=dot-add]").click()

    def cast(self) -> None:
        self.d.find_element(By.CSS_SELECTOR, "[data-testid=vote-cast]").click()

    def wait_voted(self, timeout: float = 15) -> None:
        wait_for(self.d, "[data-testid=voted]", timeout=timeout)

    def park(self, text: str, anonymous: bool = False) -> None:
        self.wait_live()
        box = self.d.find_element(By.CSS_SELECTOR, "[data-testid=parking]")
        if box.get_attribute("open") is None:
            box.find_element(By.CSS_SELECTOR, "summary").click()
        field = wait_for(self.d, "[data-testid=park-text]")
        field.send_keys(text)
        if anonymous:
            self.d.find_element(By.CSS_SELECTOR, "[data-testid=park-anonymous]").click()
        self.d.find_element(By.CSS_SELECTOR, "[data-testid=park-send]").click()
        # Acknowledged: the box empties and the item is listed.
        waiting(self.d, 15).until(lambda d: d.find_element(By.CSS_SELECTOR, "[data-testid=park-text]").get_property("value") == "")
        waiting(self.d, 15).until(lambda d: any(text in text_of(e) for e in d.find_elements(By.CSS_SELECTOR, "[data-testid=park-item]")))

    def offline(self, off: bool) -> None:
        self.d.set_network_conditions(offline=off, latency=0, download_throughput=-1, upload_throughput=-1)


def done_count(d: WebDriver) -> int:
    text = text_of(d.find_element(By.CSS_SELECTOR, "[data-testid=diagnostic-done]"))
    return int(text.split(" ", 1)[0])


class Lan:
    """A "LAN" of its own: a network namespace joined to this host by a veth pair, with
    only its own addresses (10.201.N.0/24). Phones run inside it, so they reach the room
    through the host's veth address, a non-loopback interface the facilitator picks."""

    def __init__(self, tag: str):
        n = os.getpid() % 200 + 20
        self.ns = f"batonlan{tag}"
        self.host_if = f"bt{tag}h"
        self.ns_if = f"bt{tag}n"
        self.host_addr = f"10.201.{n}.1"
        self.ns_addr = f"10.201.{n}.2"

    def _ip(self, *args: str, check: bool = True) -> None:
        subprocess.run(["ip", *args], check=check, capture_output=True, text=True, timeout=20)

    def up(self) -> "Lan":
        self.down()
        self._ip("netns", "add", self.ns)
        self._ip("link", "add", self.host_if, "type", "veth", "peer", "name", self.ns_if)
        self._ip("link", "set", self.ns_if, "netns", self.ns)
        self._ip("addr", "add", f"{self.host_addr}/24", "dev", self.host_if)
        self._ip("link", "set", self.host_if, "up")
        self._ip("netns", "exec", self.ns, "ip", "addr", "add", f"{self.ns_addr}/24", "dev", self.ns_if)
        self._ip("netns", "exec", self.ns, "ip", "link", "set", self.ns_if, "up")
        self._ip("netns", "exec", self.ns, "ip", "link", "set", "lo", "up")
        return self

    def down(self) -> None:
        self._ip("netns", "del", self.ns, check=False)
        self._ip("link", "del", self.host_if, check=False)

    def phone(self, home: Path) -> tuple[WebDriver, subprocess.Popen]:
        """A headless Chromium inside the namespace: its chromedriver listens on the
        namespace's address, which this host reaches over the veth pair."""
        home.mkdir(parents=True, exist_ok=True)
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        env = dict(os.environ)
        env.update(XDG_CONFIG_HOME=str(home / "config"), XDG_CACHE_HOME=str(home / "cache"))
        log = open(home / "chromedriver.log", "w")
        proc = subprocess.Popen(
            ["ip", "netns", "exec", self.ns, CHROMEDRIVER, f"--port={port}", f"--allowed-ips={self.host_addr}", "--allowed-origins=*"],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            with socket.socket() as s:
                s.settimeout(0.5)
                if s.connect_ex((self.ns_addr, port)) == 0:
                    break
            time.sleep(0.2)
        driver = webdriver.Remote(command_executor=f"http://{self.ns_addr}:{port}", options=phone_options(home))
        return driver, proc
