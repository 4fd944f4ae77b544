"""Helpers for driving the Baton window in end-to-end tests."""

from __future__ import annotations

from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait


def wait_for(driver: WebDriver, css: str, timeout: float = 10) -> WebElement:
    """The first element matching `css` once it is visible."""
    return WebDriverWait(driver, timeout).until(ec.visibility_of_element_located((By.CSS_SELECTOR, css)))


def wait_for_text(driver: WebDriver, css: str, text: str, timeout: float = 10) -> WebElement:
    """The element matching `css` once its text contains `text`."""
    WebDriverWait(driver, timeout).until(ec.text_to_be_present_in_element((By.CSS_SELECTOR, css), text))
    return driver.find_element(By.CSS_SELECTOR, css)


def screen_title(driver: WebDriver) -> str:
    return wait_for(driver, "[data-testid=screen-title]").text


def sidebar_screens(driver: WebDriver) -> list[tuple[str, str]]:
    """(id, label) of every sidebar entry, in order."""
    return [(b.get_attribute("data-screen"), b.text) for b in driver.find_elements(By.CSS_SELECTOR, "nav [data-screen]")]


def goto(driver: WebDriver, screen_id: str, timeout: float = 10) -> str:
    """Click the sidebar entry `screen_id` (e.g. "funnel") and wait for its heading; returns it."""
    button = driver.find_element(By.CSS_SELECTOR, f'nav [data-screen="{screen_id}"]')
    label = button.text
    button.click()
    wait_for_text(driver, "[data-testid=screen-title]", label, timeout)
    WebDriverWait(driver, timeout).until(lambda d: screen_title(d) == label)
    return label
