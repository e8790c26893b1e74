"""Load: a working day's traffic on the production server (gunicorn, DEBUG off) on loopback.

20 desk officers and 10 card readers record passages while 5 managers open the dashboard and 2
auditors export, driven by Locust (bench/locustfile.py). Checks: no failed request, no lost
passage (every recorded passage is in the database); prints each request's 95th percentile
as a ratio to the login page's under the same load. `make bench` runs it for
ITAKU_LOAD_SECONDS (default 30); the full run is `ITAKU_LOAD_SECONDS=120 python -m bench load`.
The first seconds are the logins (Argon2, by design slow): judge the figures of a full run.
"""

import csv
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import timedelta
from pathlib import Path

from django.contrib.auth.hashers import Argon2PasswordHasher
from django.db import connections
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from bench.common import figure
from itaku.area.models import Area, CardReader, Passage
from itaku.people.models import Person
from itaku.people.roles import Role
from tests.factories import person_with_role

PASSWORD = "bench-load-password-2026"  # noqa: S105 - a throwaway bench login
ROOT = Path(__file__).resolve().parent.parent


def _login(role: Role, name: str) -> dict[str, str]:
    person = person_with_role(role, username=name)
    user = person.user
    assert user is not None
    # The production server knows Argon2 (and PBKDF2), not the suite's fast hasher.
    user.password = Argon2PasswordHasher().encode(PASSWORD, Argon2PasswordHasher().salt())
    user.save(update_fields=["password"])
    login = {"username": name, "password": PASSWORD}
    device = TOTPDevice.objects.filter(user=user).first()
    if device is not None:
        login["totp"] = device.key
    return login


def _fixture(folder: Path) -> tuple[Path, Area]:
    area = Area.objects.create(name="負荷区域", place="計測庁舎", boundary="床のライン")
    desk_people = [person_with_role(Role.CITY_STAFF) for _ in range(20)]
    readers = []
    manager = _login(Role.MANAGER, "load-manager-0")
    registrar = Person.objects.get(user__username="load-manager-0")
    for index in range(10):
        reader = CardReader(
            area=area,
            name=f"負荷リーダー{index}",
            registered_by=registrar,
            registered_at=timezone.now(),
        )
        token = reader.issue_token()
        reader.save()
        holder = person_with_role(Role.CITY_STAFF)
        readers.append({"token": token, "badge": holder.badge_number})
    today = timezone.localdate()
    fixture = {
        "desk": [_login(Role.CITY_STAFF, f"load-desk-{i}") for i in range(20)],
        "desk_people": [p.badge_number for p in desk_people],
        "desk_url": f"/area/{area.pk}/desk/",
        "readers": readers,
        "managers": [manager] + [_login(Role.MANAGER, f"load-manager-{i}") for i in range(1, 5)],
        "auditors": [_login(Role.AUDITOR, f"load-auditor-{i}") for i in range(2)],
        "export_url": (
            f"/area/records/?date_from={today - timedelta(days=30)}&date_to={today}&format=csv"
        ),
    }
    path = folder / "load-fixture.json"
    path.write_text(json.dumps(fixture))
    return path, area


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_for(url: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("the server stopped")
        try:
            request = urllib.request.Request(url, headers={"X-Forwarded-Proto": "https"})  # noqa: S310
            urllib.request.urlopen(request, timeout=5)  # noqa: S310 - loopback
            return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("the server did not answer")


def run() -> None:
    seconds = int(os.environ.get("ITAKU_LOAD_SECONDS", "30"))
    folder = Path(tempfile.mkdtemp(prefix="itaku-load-"))
    fixture, area = _fixture(folder)
    before = Passage.objects.filter(area=area).count()
    connections.close_all()
    port = _free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "itaku.settings",
        "ITAKU_DEBUG": "0",
        "ITAKU_SSL_REDIRECT": "1",
        "ALLOWED_HOSTS": "127.0.0.1",
        "ITAKU_LOAD_FIXTURE": str(fixture),
    }
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "itaku", "serve", f"--bind=127.0.0.1:{port}", "--workers=4"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(folder / "server.log", "wb"),  # noqa: SIM115
    )
    try:
        _wait_for(f"http://127.0.0.1:{port}/static/itaku/itaku.css", server)
        subprocess.run(  # noqa: S603
            [
                sys.executable,
                "-m",
                "locust",
                "-f",
                str(ROOT / "bench" / "locustfile.py"),
                "--headless",
                "--users=38",
                "--spawn-rate=38",
                f"--run-time={seconds}s",
                f"--host=http://127.0.0.1:{port}",
                f"--csv={folder / 'load'}",
                "--only-summary",
                "--loglevel=WARNING",
                "--exit-code-on-error=0",
            ],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
    finally:
        server.terminate()
        server.wait(timeout=60)
    _report(folder, area, before, seconds)


def _report(folder: Path, area: Area, before: int, seconds: int) -> None:
    with open(folder / "load_stats.csv", encoding="utf-8") as stats_file:
        rows = {row["Name"]: row for row in csv.DictReader(stats_file)}
    baseline = float(rows["login page"]["95%"]) if "login page" in rows else float("nan")
    figure(f"requests in {seconds} s, 38 users", float(rows["Aggregated"]["Request Count"]))
    failures = int(rows["Aggregated"]["Failure Count"])
    figure("failed requests", failures, "(must be 0)")
    for name in (
        "desk: record passage",
        "reader: record passage",
        "manager: dashboard",
        "auditor: export CSV",
    ):
        if name not in rows:
            print(f"  !! {name}: no request completed in {seconds} s")
            continue
        p95 = float(rows[name]["95%"])
        print(
            f"  {name + ' p95':<44} {p95:10.0f} ms   baseline login page p95: "
            f"{baseline:.0f} ms   ratio {p95 / baseline:6.2f}x"
        )
    recorded = sum(
        int(rows[name]["Request Count"]) - int(rows[name]["Failure Count"])
        for name in ("desk: record passage", "reader: record passage")
        if name in rows
    )
    stored = Passage.objects.filter(area=area).count() - before
    figure("passages recorded / stored", recorded, f"/ {stored}")
    if failures:
        print(f"  !! {failures} requests failed: see {folder / 'load_failures.csv'}")
    if stored < recorded:
        print(f"  !! {recorded - stored} passages answered as recorded are not in the database")
    elif stored > recorded:
        # Requests under way when Locust stopped: stored by the server, never counted as answered.
        print(f"  {stored - recorded} passages were under way when the run stopped (stored)")
