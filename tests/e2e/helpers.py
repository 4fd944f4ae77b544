"""Helpers for driving the Baton window in end-to-end tests."""

from __future__ import annotations

from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait


def waiting(driver: WebDriver, timeout: float = 10) -> WebDriverWait:
    """A wait that retries when the element it looked at was re-rendered meanwhile (a
    screen re-mounting between finding an element and reading it)."""
    return WebDriverWait(driver, timeout, ignored_exceptions=(StaleElementReferenceException,))


def wait_for(driver: WebDriver, css: str, timeout: float = 10) -> WebElement:
    """The first element matching `css` once it is visible."""
    return waiting(driver, timeout).until(ec.visibility_of_element_located((By.CSS_SELECTOR, css)))


def text_of(element: WebElement) -> str:
    """An element's text content, whitespace-trimmed.

    Prefer this to `element.text`: WebKitWebDriver's rendered-text atom returns "" for
    some visible elements (seen with `overflow: hidden` boxes)."""
    return " ".join((element.get_property("textContent") or "").split())


def wait_for_text(driver: WebDriver, css: str, text: str, timeout: float = 10) -> WebElement:
    """The first element matching `css` once its text content contains `text`."""

    def found(d: WebDriver) -> WebElement | bool:
        for element in d.find_elements(By.CSS_SELECTOR, css):
            if text in text_of(element):
                return element
        return False

    return waiting(driver, timeout).until(found)


def screen_title(driver: WebDriver) -> str:
    return text_of(wait_for(driver, "[data-testid=screen-title]"))


def sidebar_screens(driver: WebDriver) -> list[tuple[str, str]]:
    """(id, label) of every sidebar entry, in order."""
    return [(b.get_attribute("data-screen"), text_of(b)) for b in driver.find_elements(By.CSS_SELECTOR, "nav [data-screen]")]


def goto(driver: WebDriver, screen_id: str, timeout: float = 10) -> str:
    """Click the sidebar entry `screen_id` (e.g. "funnel") and wait for its heading; returns it."""
    button = driver.find_element(By.CSS_SELECTOR, f'nav [data-screen="{screen_id}"]')
    label = text_of(button)
    button.click()
    wait_for_text(driver, "[data-testid=screen-title]", label, timeout)
    waiting(driver, timeout).until(lambda d: screen_title(d) == label)
    return label
