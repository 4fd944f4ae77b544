"""Fixtures for end-to-end tests of the real Baton window.

The app runs as it ships (ui/dist embedded), started by tauri-driver through
WebKitWebDriver, inside the X display the test command provides (xvfb-run).
See docs/dev.md for how to use these fixtures in `tests/e2e/test_<area>.py`.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import time
from pathlib import Path
from typing import Callable, Iterator

import pytest
import urllib3
from selenium import webdriver
from selenium.webdriver.common.options import ArgOptions
from selenium.webdriver.remote.client_config import ClientConfig
from selenium.webdriver.remote.remote_connection import RemoteConnection
from selenium.webdriver.remote.webdriver import WebDriver

from helpers import wait_for

ROOT = Path(__file__).resolve().parents[2]
TARGET = Path(os.environ.get("CARGO_TARGET_DIR") or ROOT / "target")
if not TARGET.is_absolute():
    TARGET = ROOT / TARGET
APP_BIN = Path(os.environ.get("BATON_APP_BIN") or TARGET / "debug" / "baton-app")
CLI_BIN = Path(os.environ.get("BATON_CLI_BIN") or TARGET / "debug" / "baton")
OUT_DIR = ROOT / "tests" / "e2e" / "out"


def _tauri_driver() -> str:
    local = ROOT / ".tools" / "bin" / "tauri-driver"
    found = os.environ.get("TAURI_DRIVER") or (str(local) if local.exists() else shutil.which("tauri-driver"))
    if not found:
        pytest.exit("tauri-driver not found: run scripts/install-deps.sh", returncode=2)
    return found


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for_port(port: int, proc: subprocess.Popen, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"tauri-driver exited early with code {proc.returncode}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise TimeoutError(f"tauri-driver did not listen on port {port} within {timeout}s")


def run_cli(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """Run the `baton` CLI; fails the test with its stderr if it exits non-zero."""
    proc = subprocess.run([str(CLI_BIN), *map(str, args)], capture_output=True, text=True, timeout=120)
    if proc.returncode != 0:
        pytest.fail(f"baton {' '.join(map(str, args))} failed: {proc.stderr.strip()}")
    return proc


def cli_json(*args: str | Path) -> dict:
    """Run the `baton` CLI with `--json` and parse its output."""
    return json.loads(run_cli(*args, "--json").stdout)


def _new_session(config: ClientConfig, options: ArgOptions, attempts: int = 3) -> WebDriver:
    """Open a WebDriver session, retrying when tauri-driver drops the first connection
    (seen under heavy load: "connection reset by peer" right after it starts listening)."""
    for attempt in range(1, attempts + 1):
        try:
            return webdriver.Remote(command_executor=RemoteConnection(client_config=config), options=options)
        except (urllib3.exceptions.HTTPError, ConnectionError) as e:
            if attempt == attempts:
                raise
            print(f"new session attempt {attempt} failed ({e}); retrying")
            time.sleep(1.0)
    raise AssertionError("unreachable")


@pytest.fixture(scope="session", autouse=True)
def _binaries_exist() -> None:
    for binary in (APP_BIN, CLI_BIN):
        if not binary.exists():
            pytest.exit(f"{binary} is missing: run `cargo build -p baton-app -p baton-cli`", returncode=2)
    if not os.environ.get("DISPLAY"):
        pytest.exit("no X display: run under xvfb-run (see scripts/test.sh)", returncode=2)


@pytest.fixture
def demo_workspace(tmp_path: Path) -> Path:
    """A fresh demo workspace made by `baton demo` (the same import path users take)."""
    path = tmp_path / "demo.baton"
    run_cli("--workspace", path, "demo")
    return path


@pytest.fixture
def launch(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Callable[..., WebDriver]]:
    """Factory: `launch(workspace_path, ready=CSS)` starts Baton on that file and returns a
    WebDriver once an element matching `ready` is visible (default: a screen heading).

    Each launch gets its own tauri-driver on free ports (so parallel runs do not collide)
    and its own config/data dirs (so the user's recent list is untouched). Everything is
    stopped at teardown; a screenshot of a failed test goes to tests/e2e/out/.
    """
    started: list[tuple[subprocess.Popen, WebDriver | None]] = []

    def _launch(workspace: Path, ready: str = "[data-testid=screen-title]") -> WebDriver:
        port, native_port = _free_port(), _free_port()
        env = dict(os.environ)
        env["BATON_WORKSPACE"] = str(workspace)
        env["XDG_CONFIG_HOME"] = str(tmp_path / "config")
        env["XDG_DATA_HOME"] = str(tmp_path / "data")
        env["XDG_CACHE_HOME"] = str(tmp_path / "cache")  # team workspaces' datasets
        log = open(tmp_path / f"tauri-driver-{port}.log", "w")
        proc = subprocess.Popen(
            [_tauri_driver(), "--port", str(port), "--native-port", str(native_port)],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        started.append((proc, None))
        _wait_for_port(port, proc)
        options = ArgOptions()
        options.set_capability("browserName", "wry")
        options.set_capability("tauri:options", {"application": str(APP_BIN)})
        # One keep-alive connection per session (tauri-driver drops some fresh connections).
        config = ClientConfig(remote_server_addr=f"http://127.0.0.1:{port}", keep_alive=True)
        driver = _new_session(config, options)
        started[-1] = (proc, driver)
        wait_for(driver, ready, timeout=30)
        return driver

    yield _launch

    failed = getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed
    for proc, driver in started:
        if driver is not None:
            if failed:
                OUT_DIR.mkdir(parents=True, exist_ok=True)
                try:
                    driver.save_screenshot(str(OUT_DIR / f"{request.node.name}.png"))
                except Exception:  # a screenshot is a courtesy; the failure is what matters
                    pass
            try:
                driver.quit()
            except Exception:
                pass
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture
def app(launch: Callable[..., WebDriver], demo_workspace: Path) -> WebDriver:
    """Baton open on a fresh demo workspace, showing the Overview."""
    return launch(demo_workspace)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report
