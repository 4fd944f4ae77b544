"""A team workspace behind TLS, in the real window: a cluster with ssl=on and certificates
made with openssl (`scripts/pg-cluster.sh start --tls`: an authority, a server certificate
for `localhost` only, a second authority), reached as `tls_only` (a role the server
refuses without TLS). The dialog, with sslmode=verify-full and the authority's file typed
in its sslrootcert field (what "Choose…" fills in), refuses the other authority and a file
that is not a certificate with the user's words, then connects with the right one and
shows the funnel the CLI computes on that database. The recent list keeps the path."""

import json
import os
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
from team_helpers import (
    assert_funnel_is_the_team_databases,
    cli,
    dialog_error,
    open_team_dialog,
    throwaway_cluster,
    type_into,
)


@pytest.fixture
def tls_server() -> Iterator[tuple[str, int, Path]]:
    """A throwaway cluster with ssl=on; yields (its socket dir, port, its certificates'
    dir)."""
    with throwaway_cluster("--tls") as (socket_dir, port, exports):
        yield socket_dir, port, Path(exports["BATON_PG_TLS_DIR"])


@pytest.fixture
def team_url(tls_server: tuple[str, int, Path], demo_workspace: Path, tmp_path: Path, monkeypatch) -> str:
    """A database owned by tls_only holding a copy of the demo, copied by the CLI over
    verify-full; HOME is a bare dir (no ~/.postgresql files to fall back on)."""
    socket_dir, port, tls = tls_server
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    psql = shutil.which("psql") or "psql"
    subprocess.run([psql, "-h", socket_dir, "-p", str(port), "-U", "baton", "-d", "postgres", "-qc", "CREATE DATABASE team_tls OWNER tls_only"], check=True, timeout=30)
    url = f"postgres://tls_only@localhost:{port}/team_tls?sslmode=verify-full&sslrootcert={tls / 'root.crt'}"
    copied = cli("workspace", "copy", demo_workspace, url)
    assert copied.returncode == 0, copied.stderr
    return url


def test_verify_full_with_an_authority_chosen_in_the_dialog(launch, demo_workspace: Path, team_url: str, tls_server, tmp_path: Path, monkeypatch):
    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS", raising=False)
    _, port, tls = tls_server
    root, other = tls / "root.crt", tls / "other-root.crt"
    not_a_cert = tmp_path / "notes.txt"
    not_a_cert.write_text("the server's authority is in the wiki\n")
    shown = f"postgres://tls_only@localhost:{port}/team_tls"

    app = launch(demo_workspace)
    open_team_dialog(app, "localhost", port, "team_tls", "tls_only")

    # With prefer the authority sits under "Advanced TLS"; verify-full asks for it in the form.
    assert not app.find_elements(By.CSS_SELECTOR, "[data-testid=team-rootcert-note]")
    Select(wait_for(app, "[data-testid=team-sslmode]")).select_by_value("verify-full")
    wait_for_text(app, "[data-testid=team-rootcert-note]", "~/.postgresql/root.crt")
    # A client certificate and its key wait under "Advanced TLS".
    assert not app.find_elements(By.CSS_SELECTOR, "[data-testid=team-sslcert]") or not wait_for(app, "[data-testid=team-advanced-tls]").get_attribute("open")
    wait_for(app, "[data-testid=team-advanced-tls] summary").click()
    wait_for(app, "[data-testid=team-sslcert]")
    wait_for(app, "[data-testid=team-sslkey-choose]")
    if os.environ.get("BATON_E2E_SHOTS"):
        OUT_DIR.mkdir(parents=True, exist_ok=True)
        time.sleep(0.5)
        app.save_screenshot(str(OUT_DIR / "team-tls-advanced.png"))
    wait_for(app, "[data-testid=team-advanced-tls] summary").click()

    # The other authority: refused in the user's words, naming the file.
    type_into(app, "team-sslrootcert", str(other))
    wait_for_text(app, "[data-testid=team-conninfo]", f"sslmode=verify-full sslrootcert='{other}'")
    wait_for(app, "[data-testid=team-connect]").click()
    msg = dialog_error(app)
    assert msg.startswith("Could not connect"), msg
    assert f"connecting to {shown}: the server's certificate is not signed by the authority in {other}" in msg, msg
    if os.environ.get("BATON_E2E_SHOTS"):
        OUT_DIR.mkdir(parents=True, exist_ok=True)
        app.save_screenshot(str(OUT_DIR / "team-tls-wrong-authority.png"))

    # A file that is not a certificate: named with its setting, before connecting.
    type_into(app, "team-sslrootcert", str(not_a_cert))
    wait_for(app, "[data-testid=team-connect]").click()
    waiting(app, 20).until(lambda d: "not a PEM certificate" in dialog_error(d))
    assert f"the root certificate {not_a_cert} (sslrootcert) is not a PEM certificate" in dialog_error(app)

    # The server's authority: connected over TLS, the funnel is the team database's.
    type_into(app, "team-sslrootcert", str(root))
    wait_for_text(app, "[data-testid=team-rootcert-note]", f"the authority in {root}")
    wait_for_text(app, "[data-testid=team-conninfo]", f"host='localhost' port={port} dbname='team_tls' user='tls_only' sslmode=verify-full sslrootcert='{root}'")
    if os.environ.get("BATON_E2E_SHOTS"):
        time.sleep(0.5)  # WebKit's screenshot can lag the last keystrokes' paint
        app.save_screenshot(str(OUT_DIR / "team-tls-dialog.png"))
    wait_for(app, "[data-testid=team-connect]").click()
    wait_for_text(app, "[data-testid=workspace-label]", "Team workspace team_tls", timeout=20)
    # The label may change (the workspace-change event) a moment before the dialog closes.
    waiting(app).until(lambda d: not d.find_elements(By.CSS_SELECTOR, "[data-testid=team-dialog]"))

    assert_funnel_is_the_team_databases(app, team_url)
    if os.environ.get("BATON_E2E_SHOTS"):
        app.save_screenshot(str(OUT_DIR / "team-tls-funnel.png"))

    # The recent list keeps the address with the authority's path.
    recent = json.loads(next((tmp_path / "config").rglob("recent-workspaces.json")).read_text())
    teams = [e["team"] for e in recent if isinstance(e, dict)]
    assert teams and teams[0]["sslrootcert"] == str(root) and teams[0]["sslmode"] == "verify-full", recent


def test_this_computers_trusted_authorities(launch, demo_workspace: Path, team_url: str, tls_server, monkeypatch):
    """sslrootcert=system from the dialog: the app's process trusts the test authority
    through SSL_CERT_FILE (as OpenSSL and rustls-native-certs read it)."""
    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS", raising=False)
    _, port, tls = tls_server
    monkeypatch.setenv("SSL_CERT_FILE", str(tls / "root.crt"))
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)

    app = launch(demo_workspace)
    open_team_dialog(app, "localhost", port, "team_tls", "tls_only")
    # Only verify-full offers it (libpq refuses weaker modes with sslrootcert=system).
    Select(wait_for(app, "[data-testid=team-sslmode]")).select_by_value("verify-ca")
    wait_for(app, "[data-testid=team-sslrootcert]")
    assert not app.find_elements(By.CSS_SELECTOR, "[data-testid=team-sslrootcert-system]")
    Select(wait_for(app, "[data-testid=team-sslmode]")).select_by_value("verify-full")
    wait_for(app, "[data-testid=team-sslrootcert-system]").click()
    wait_for_text(app, "[data-testid=team-rootcert-note]", "an authority this computer trusts")
    assert not wait_for(app, "[data-testid=team-sslrootcert]").is_enabled()
    wait_for_text(app, "[data-testid=team-conninfo]", "sslmode=verify-full sslrootcert='system'")
    wait_for(app, "[data-testid=team-connect]").click()
    wait_for_text(app, "[data-testid=workspace-label]", "Team workspace team_tls", timeout=20)
