"""What the end-to-end tests of the connect dialog share: a throwaway PostgreSQL cluster,
the CLI run without the caller's PG* settings, the dialog itself, and the check that the
funnel shown is the team database's."""
import json
import os
import re
import subprocess
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from selenium.webdriver.common.by import By
from selenium.webdriver.remote.file_detector import UselessFileDetector

from conftest import CLI_BIN, ROOT
from helpers import goto, text_of, wait_for, waiting
from test_funnel import expected_stages, shown_stages


@contextmanager
def throwaway_cluster(*options: str) -> Iterator[tuple[str, int, dict[str, str]]]:
    """`scripts/pg-cluster.sh start OPTIONS…`: (its socket dir, port, what it exported);
    stopped at the end whatever happens."""
    script = str(ROOT / "scripts" / "pg-cluster.sh")
    started = subprocess.run([script, "start", *options], capture_output=True, text=True, timeout=120)
    assert started.returncode == 0, f"pg-cluster.sh start {' '.join(options)} failed:\n{started.stderr}"
    exports = dict(re.findall(r"export (\w+)=(\S+)", started.stdout))
    cluster = exports["BATON_PG_CLUSTER"]
    port = int(exports["BATON_TEST_PG"].rsplit(":", 1)[1].split("/")[0])
    try:
        yield cluster, port, exports
    finally:
        subprocess.run([script, "stop", cluster], timeout=60)


def cli(*args: str | Path, password: str | None = None) -> subprocess.CompletedProcess[str]:
    """The CLI without the caller's PG* settings (and PGPASSWORD when given)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    if password is not None:
        env["PGPASSWORD"] = password
    return subprocess.run([str(CLI_BIN), *map(str, args)], capture_output=True, text=True, timeout=120, env=env)


def dialog_error(app) -> str:
    return text_of(wait_for(app, "[data-testid=team-dialog] [data-testid=error-banner]", timeout=20))


def type_into(app, testid: str, value: str) -> None:
    box = wait_for(app, f"[data-testid={testid}]")
    box.clear()
    # Typed as text: Selenium would otherwise take an existing file's path for an upload.
    with app.file_detector_context(UselessFileDetector):
        box.send_keys(value)
    waiting(app).until(lambda d: d.find_element(By.CSS_SELECTOR, f"[data-testid={testid}]").get_attribute("value") == value)


def open_team_dialog(app, host: str, port: int | str, dbname: str, user: str) -> None:
    """File → "Connect to a team workspace…", the address typed in."""
    wait_for(app, "[data-testid=file-menu]").click()
    wait_for(app, "[data-testid=menu-connect-team]").click()
    wait_for(app, "[data-testid=team-dialog]")
    for field, value in [("host", host), ("port", str(port)), ("dbname", dbname), ("user", user)]:
        type_into(app, f"team-{field}", value)


def assert_funnel_is_the_team_databases(app, team_url: str, password: str | None = None) -> None:
    """The Funnel screen shows what the CLI computes on the same team database."""
    done = cli("--workspace", team_url, "funnel", "--where", "kind=contact", "--json", password=password)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["stages"][0]["reached"] > 0
    goto(app, "funnel")
    wait_for(app, "[data-testid=funnel-stage]", timeout=20)
    waiting(app, 20).until(lambda d: shown_stages(d) == expected_stages(report))
