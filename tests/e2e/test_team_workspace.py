"""A team workspace on PostgreSQL in the real window: File → "Connect to a team
workspace…" connects to a throwaway cluster holding a copy of the demo, the funnel shows
the same figures as the CLI on that database, a write from the CLI (a settings change, an
import) shows up without a reload, and the recent list reconnects to it."""

import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Iterator
from urllib.parse import urlparse

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from conftest import OUT_DIR, ROOT, cli_json, run_cli
from helpers import goto, text_of, wait_for, wait_for_text, waiting
from test_funnel import expected_stages, shown_stages

CONTACTS_FIXTURE = ROOT / "src-tauri" / "crates" / "baton-import" / "tests" / "fixtures" / "hubspot-contacts.csv"


@pytest.fixture
def pg_server() -> Iterator[str]:
    """A throwaway PostgreSQL cluster (scripts/pg-cluster.sh), stopped at the end whatever
    happens; yields its `postgres://baton@127.0.0.1:PORT/postgres` address."""
    started = subprocess.run(
        [str(ROOT / "scripts" / "pg-cluster.sh"), "start"], capture_output=True, text=True, timeout=120
    )
    assert started.returncode == 0, f"pg-cluster.sh start failed:\n{started.stderr}"
    exports = dict(re.findall(r"export (\w+)=(\S+)", started.stdout))
    cluster = exports["BATON_PG_CLUSTER"]
    try:
        yield exports["BATON_TEST_PG"]
    finally:
        subprocess.run([str(ROOT / "scripts" / "pg-cluster.sh"), "stop", cluster], timeout=60)


@pytest.fixture
def team_workspace(pg_server: str, demo_workspace: Path) -> str:
    """A new database holding a copy of the demo, made with `baton workspace copy`."""
    psql = shutil.which("psql") or "psql"
    subprocess.run([psql, pg_server, "-qc", "CREATE DATABASE team_e2e"], check=True, timeout=30)
    url = pg_server.rsplit("/", 1)[0] + "/team_e2e"
    run_cli("workspace", "copy", demo_workspace, url)
    return url


def shot(driver, name: str) -> None:
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(OUT_DIR / name))


PASSWORD = "e2e-secret-7q"


def connect_through_the_dialog(app, url: str) -> None:
    where = urlparse(url)
    wait_for(app, "[data-testid=file-menu]").click()
    wait_for(app, "[data-testid=menu-connect-team]").click()
    wait_for(app, "[data-testid=team-dialog]")
    for field, value in [("host", where.hostname), ("port", str(where.port)), ("dbname", "team_e2e"), ("user", where.username)]:
        box = wait_for(app, f"[data-testid=team-{field}]")
        box.clear()
        box.send_keys(value)
    Select(wait_for(app, "[data-testid=team-sslmode]")).select_by_value("disable")
    waiting(app).until(lambda d: d.find_element(By.CSS_SELECTOR, "[data-testid=team-user]").get_attribute("value") == where.username)
    # The cluster trusts local connections, so any password connects: this one goes the
    # way a typed password goes. No keyring here: the dialog says it will not be remembered.
    wait_for(app, "[data-testid=team-password]").send_keys(PASSWORD)
    wait_for_text(app, "[data-testid=team-password-note]", "will not be remembered")
    if os.environ.get("BATON_E2E_SHOTS"):
        shot(app, "team-dialog.png")
    wait_for(app, "[data-testid=team-connect]").click()


def test_the_window_works_on_a_team_workspace(launch, demo_workspace: Path, team_workspace: str, tmp_path: Path, monkeypatch):
    # No session bus, so no secret service: the keyring is unavailable, as in CI.
    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS", raising=False)
    app = launch(demo_workspace)
    connect_through_the_dialog(app, team_workspace)
    wait_for_text(app, "[data-testid=workspace-label]", "Team workspace team_e2e", timeout=20)
    # The label may change (the workspace-change event) a moment before the dialog closes.
    waiting(app).until(lambda d: not d.find_elements(By.CSS_SELECTOR, "[data-testid=team-dialog]"))
    wait_for_text(app, "[data-testid=overview-where]", f"Team workspace: {team_workspace}")

    # The funnel shows the team database's figures, as the CLI computes them there.
    report = cli_json("--workspace", team_workspace, "funnel", "--where", "kind=contact")
    assert report["stages"][0]["reached"] > 0
    goto(app, "funnel")
    wait_for(app, "[data-testid=funnel-stage]", timeout=20)
    waiting(app, 20).until(lambda d: shown_stages(d) == expected_stages(report))
    if os.environ.get("BATON_E2E_SHOTS"):
        shot(app, "team-funnel.png")

    # A write from the CLI to the same team workspace shows up without a reload.
    goto(app, "overview")
    wait_for(app, "[data-testid=overview-company]")
    run_cli("--workspace", team_workspace, "settings", "--company", "Written from the terminal")
    wait_for_text(app, "[data-testid=overview-company]", "Written from the terminal", timeout=6)
    wait_for_text(app, "[data-testid=workspace-name]", "Written from the terminal", timeout=6)
    if os.environ.get("BATON_E2E_SHOTS"):
        shot(app, "team-overview.png")

    # File-only actions say what to do instead.
    wait_for(app, "[data-testid=file-menu]").click()
    assert not wait_for(app, "[data-testid=menu-save-as]").is_enabled()
    assert f"baton workspace copy {team_workspace} FILE.baton" in text_of(wait_for(app, "[data-testid=hint-save-as]"))
    if os.environ.get("BATON_E2E_SHOTS"):
        shot(app, "team-file-menu.png")

    # The recent list holds it beside files; reopening it reconnects.
    wait_for(app, "[data-testid=menu-open-demo]").click()
    waiting(app, 60).until(lambda d: "Team workspace" not in text_of(d.find_element(By.CSS_SELECTOR, "[data-testid=workspace-label]")))
    wait_for(app, "[data-testid=file-menu]").click()
    entry = wait_for(app, "[data-testid=recent-team]")
    assert "team_e2e" in text_of(entry)
    assert entry.get_attribute("title") == team_workspace
    entry.click()
    wait_for_text(app, "[data-testid=workspace-label]", "Team workspace team_e2e", timeout=20)
    wait_for_text(app, "[data-testid=overview-company]", "Written from the terminal")

    # The typed password is nowhere on disk: not in the recent list, config, data or logs.
    for f in tmp_path.rglob("*"):
        if f.is_file() and f.suffix != ".baton" and f.stat().st_size < 50_000_000:
            assert PASSWORD.encode() not in f.read_bytes(), f


def fresh_contacts(dir: Path) -> tuple[Path, int]:
    """The HubSpot contacts fixture under ids no demo record has (so an import adds
    records rather than updating them); returns the file and how many rows it holds."""
    header, *rows = CONTACTS_FIXTURE.read_text().splitlines()
    fresh = [f"99{n:04d}," + row.split(",", 1)[1] for n, row in enumerate(rows)]
    csv = dir / "more-contacts.csv"
    csv.write_text("\n".join([header, *fresh]) + "\n")
    return csv, len(fresh)


def contacts_option(app) -> int:
    """The count the funnel's Records filter shows beside "contacts"."""
    texts = [text_of(o) for o in Select(wait_for(app, "[data-testid=filter-kind]")).options]
    found = [re.fullmatch(r"contacts \(([\d,]+)\)", t) for t in texts]
    return next(int(m.group(1).replace(",", "")) for m in found if m)


def test_an_import_from_the_cli_updates_the_open_team_funnel_without_a_reload(
    launch, demo_workspace: Path, team_workspace: str, tmp_path: Path, monkeypatch
):
    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS", raising=False)
    app = launch(demo_workspace)
    connect_through_the_dialog(app, team_workspace)
    wait_for_text(app, "[data-testid=workspace-label]", "Team workspace team_e2e", timeout=20)

    before = cli_json("--workspace", team_workspace, "funnel")
    goto(app, "funnel")
    wait_for(app, "[data-testid=funnel-stage]", timeout=20)
    waiting(app, 20).until(lambda d: shown_stages(d) == expected_stages(before))
    contacts_before = contacts_option(app)
    # A mark on the page: a reload would wipe it.
    app.execute_script("window.__notReloaded = true;")

    csv, added = fresh_contacts(tmp_path)
    run_cli("--workspace", team_workspace, "import", csv)
    after = cli_json("--workspace", team_workspace, "funnel")
    assert after["stages"][0]["reached"] == before["stages"][0]["reached"] + added
    assert expected_stages(after) != expected_stages(before)

    # The open funnel shows exactly the CLI's new figures, within a few seconds.
    waiting(app, 6).until(lambda d: shown_stages(d) == expected_stages(after))
    # So does the Records filter's count of contacts.
    waiting(app, 3).until(lambda d: contacts_option(d) == contacts_before + added)
    assert app.execute_script("return window.__notReloaded === true;")
    if os.environ.get("BATON_E2E_SHOTS"):
        shot(app, "team-funnel-after-import.png")
