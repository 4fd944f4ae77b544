"""A team workspace on a server that demands a password (scram-sha-256 on 127.0.0.1), in
the real window: with no PGPASSWORD and no ~/.pgpass the dialog says a password is
needed, a wrong one gets the server's words, the right one connects and the funnel shows.
The password is nowhere on disk or in the app's output. With no keyring (no Secret
Service here) the next start asks for it again when the recent entry is reopened."""

import os
import json
import shutil
import subprocess
import time
from pathlib import Path
from typing import Iterator

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from conftest import OUT_DIR
from helpers import wait_for, wait_for_text, waiting
from team_helpers import assert_funnel_is_the_team_databases, cli, dialog_error, open_team_dialog, throwaway_cluster

PASSWORD = "e2e pw 'q7;$$"
WRONG = "not-the-pw-4k"


@pytest.fixture
def password_server() -> Iterator[tuple[str, int]]:
    """A throwaway cluster where `ana` must give PASSWORD on 127.0.0.1; yields (its socket
    dir, port)."""
    with throwaway_cluster("--password", PASSWORD) as (socket_dir, port, _):
        yield socket_dir, port


@pytest.fixture
def team_url(password_server: tuple[str, int], demo_workspace: Path) -> str:
    """A database owned by ana holding a copy of the demo, copied by the CLI as ana
    (password from PGPASSWORD)."""
    socket_dir, port = password_server
    psql = shutil.which("psql") or "psql"
    subprocess.run([psql, "-h", socket_dir, "-p", str(port), "-U", "baton", "-d", "postgres", "-qc", "CREATE DATABASE team_pw OWNER ana"], check=True, timeout=30)
    url = f"postgres://ana@127.0.0.1:{port}/team_pw"
    copied = cli("workspace", "copy", demo_workspace, url, password=PASSWORD)
    assert copied.returncode == 0, copied.stderr
    return url


def connect(app, password: str | None) -> None:
    box = wait_for(app, "[data-testid=team-password]")
    box.clear()
    if password:
        box.send_keys(password)
    wait_for(app, "[data-testid=team-connect]").click()


def open_dialog(app, team_url: str) -> None:
    port = team_url.split(":")[2].split("/")[0]
    open_team_dialog(app, "127.0.0.1", port, "team_pw", "ana")
    # verify-full says where the authority's certificate is looked for.
    Select(wait_for(app, "[data-testid=team-sslmode]")).select_by_value("verify-full")
    wait_for_text(app, "[data-testid=team-rootcert-note]", "~/.postgresql/root.crt")
    if os.environ.get("BATON_E2E_SHOTS"):
        OUT_DIR.mkdir(parents=True, exist_ok=True)
        app.save_screenshot(str(OUT_DIR / "team-verify-full.png"))
    Select(wait_for(app, "[data-testid=team-sslmode]")).select_by_value("prefer")
    waiting(app).until(lambda d: d.find_element(By.CSS_SELECTOR, "[data-testid=team-user]").get_attribute("value") == "ana")


def no_pg_env_and_a_bare_home(tmp_path: Path, monkeypatch) -> Path:
    """No PGPASSWORD (nor any PG* variable), a home without ~/.pgpass."""
    for var in [v for v in os.environ if v.startswith("PG")]:
        monkeypatch.delenv(var)
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    monkeypatch.setenv("HOME", str(home))
    return home


def assert_nowhere_on_disk(tmp_path: Path, *secrets: str) -> None:
    """Not in the recent list, config, data, home, nor the app's output (tauri-driver's log
    holds the app's stdout and stderr)."""
    looked = 0
    for f in tmp_path.rglob("*"):
        if f.is_file() and f.suffix != ".baton" and f.stat().st_size < 50_000_000:
            data = f.read_bytes()
            looked += 1
            for secret in secrets:
                assert secret.encode() not in data, f
    assert looked >= 3


def test_the_window_asks_for_the_password_and_keeps_it_off_disk(launch, demo_workspace: Path, team_url: str, tmp_path: Path, monkeypatch):
    # No session bus, so no Secret Service: the keyring is unavailable, as in CI.
    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS", raising=False)
    no_pg_env_and_a_bare_home(tmp_path, monkeypatch)

    app = launch(demo_workspace)
    open_dialog(app, team_url)

    # No password anywhere: the dialog says the server asks for one.
    connect(app, None)
    msg = dialog_error(app)
    assert f"connecting to {team_url}: the server asks for a password" in msg, msg
    assert msg.startswith("Could not connect"), msg
    if os.environ.get("BATON_E2E_SHOTS"):
        OUT_DIR.mkdir(parents=True, exist_ok=True)
        app.save_screenshot(str(OUT_DIR / "team-password-needed.png"))

    # A wrong one: the server's words, the password not repeated.
    connect(app, WRONG)
    waiting(app, 20).until(lambda d: "password authentication failed" in dialog_error(d))
    assert 'password authentication failed for user "ana"' in dialog_error(app)
    assert WRONG not in dialog_error(app)
    wait_for_text(app, "[data-testid=team-password-note]", "will not be remembered")
    if os.environ.get("BATON_E2E_SHOTS"):
        app.save_screenshot(str(OUT_DIR / "team-password-wrong.png"))

    # The right one connects; the funnel shows the team database's figures.
    connect(app, PASSWORD)
    wait_for_text(app, "[data-testid=workspace-label]", "Team workspace team_pw", timeout=20)
    assert not app.find_elements(By.CSS_SELECTOR, "[data-testid=team-dialog]")
    assert_funnel_is_the_team_databases(app, team_url, password=PASSWORD)

    # The recent list names the address, never the password.
    recent = next((tmp_path / "config").rglob("recent-workspaces.json"))
    stored = recent.read_text()
    assert '"dbname": "team_pw"' in stored and '"user": "ana"' in stored, stored
    assert PASSWORD not in stored

    # Next start, no keyring: reopening the recent entry asks for the password again.
    app.quit()
    app = launch(demo_workspace)
    wait_for(app, "[data-testid=file-menu]").click()
    entry = wait_for(app, "[data-testid=recent-team]")
    assert entry.get_attribute("title") == team_url
    entry.click()
    assert "the server asks for a password" in dialog_error(app)
    assert wait_for(app, "[data-testid=team-dbname]").get_attribute("value") == "team_pw"
    connect(app, PASSWORD)
    wait_for_text(app, "[data-testid=workspace-label]", "Team workspace team_pw", timeout=20)

    assert_nowhere_on_disk(tmp_path, PASSWORD, WRONG)


@pytest.fixture
def secret_service(tmp_path: Path, monkeypatch) -> Iterator[None]:
    """A Secret Service of the test's own: a session bus (dbus-daemon) and gnome-keyring,
    its login keyring unlocked headless; both stopped at the end by their PIDs."""
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    monkeypatch.setenv("HOME", str(home))
    run = tmp_path / "run"
    run.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(run))
    bus = subprocess.Popen(["dbus-daemon", "--session", "--nofork", "--print-address=1"], stdout=subprocess.PIPE, text=True)
    keyring = None
    try:
        address = bus.stdout.readline().strip()
        assert address.startswith("unix:"), address
        monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", address)
        keyring = subprocess.Popen(
            ["gnome-keyring-daemon", "--foreground", "--unlock", "--components=secrets"],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        keyring.stdin.write(b"keyring-unlock-e2e")
        keyring.stdin.close()

        def secrets_on_bus() -> bool:
            names = subprocess.run(
                ["dbus-send", "--session", "--print-reply", "--dest=org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus.ListNames"],
                capture_output=True,
                text=True,
                timeout=10,
            )
            return "org.freedesktop.secrets" in names.stdout

        for _ in range(100):
            if secrets_on_bus():
                break
            time.sleep(0.1)
        assert secrets_on_bus(), "gnome-keyring-daemon did not come up on the session bus"
        yield
    finally:
        for proc in (keyring, bus):
            if proc is not None:
                proc.terminate()
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()


def test_a_typed_password_is_kept_in_the_keyring_and_used_at_the_next_start(secret_service, launch, demo_workspace: Path, team_url: str, tmp_path: Path, monkeypatch):
    no_pg_env_and_a_bare_home(tmp_path, monkeypatch)
    app = launch(demo_workspace)
    open_dialog(app, team_url)
    box = wait_for(app, "[data-testid=team-password]")
    box.send_keys(PASSWORD)
    wait_for_text(app, "[data-testid=team-password-note]", "kept in the system keyring")
    wait_for(app, "[data-testid=team-connect]").click()
    wait_for_text(app, "[data-testid=workspace-label]", "Team workspace team_pw", timeout=20)

    # Next start: the recent entry reconnects with the keyring's password, no dialog.
    app.quit()
    app = launch(demo_workspace)
    wait_for(app, "[data-testid=file-menu]").click()
    wait_for(app, "[data-testid=recent-team]").click()
    wait_for_text(app, "[data-testid=workspace-label]", "Team workspace team_pw", timeout=20)
    assert not app.find_elements(By.CSS_SELECTOR, "[data-testid=team-dialog]")
    # The keyring's file is encrypted: the password is not on disk in the clear.
    assert_nowhere_on_disk(tmp_path, PASSWORD)
