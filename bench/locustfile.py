"""The load of a working day on the production server, for `bench/load.py` (run by Locust).

20 desk officers and 10 card readers record passages while 5 managers open the dashboard and
2 auditors export the day's records; one visitor opens the login page, the baseline. The
people and tokens come from the JSON file named by ITAKU_LOAD_FIXTURE.
"""

import hashlib
import hmac
import itertools
import json
import os
import re
import struct
import time
from typing import Any

from locust import HttpUser, between, task

FIXTURE: dict[str, Any] = json.loads(open(os.environ["ITAKU_LOAD_FIXTURE"]).read())  # noqa: SIM115
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def totp(key_hex: str, at: float) -> str:
    """RFC 6238, as the authenticator app computes it (30 s, 6 digits, SHA-1)."""
    counter = struct.pack(">Q", int(at) // 30)
    digest = hmac.new(bytes.fromhex(key_hex), counter, hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    code = (struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000
    return f"{code:06d}"


class Browser(HttpUser):
    abstract = True
    wait_time = between(0.5, 1.5)
    logins: "itertools.cycle[dict[str, str]]"

    def on_start(self) -> None:
        origin = self.host.replace("http://", "https://")
        self.client.headers.update({"X-Forwarded-Proto": "https", "Origin": origin})
        self.login(next(self.logins))

    def behind_the_proxy(self) -> None:
        """The proxy terminates TLS, so the server's secure cookies travel over loopback."""
        for cookie in self.client.cookies:
            cookie.secure = False

    def post_form(self, url: str, data: dict[str, str], name: str) -> Any:
        self.behind_the_proxy()
        page = self.client.get(url, name=f"{name} (form)")
        self.behind_the_proxy()
        token = CSRF.search(page.text)
        assert token is not None, f"no form at {url}"
        return self.client.post(
            url,
            data={"csrfmiddlewaretoken": token.group(1), **data},
            allow_redirects=False,
            name=name,
            catch_response=True,
        )

    def login(self, login: dict[str, str]) -> None:
        with self.post_form(
            "/login/", {"username": login["username"], "password": login["password"]}, "login"
        ) as response:
            if response.status_code != 302:
                response.failure(f"login of {login['username']}: {response.status_code}")
        if "totp" in login:
            # Each manager and auditor has a device of their own: a code is used once.
            with self.post_form(
                "/login/otp/", {"token": totp(login["totp"], time.time())}, "second factor"
            ) as response:
                if response.status_code != 302:
                    response.failure(f"second factor: {response.status_code}")


class DeskOfficer(Browser):
    fixed_count = 20
    logins = itertools.cycle(FIXTURE["desk"])
    people = itertools.cycle(FIXTURE["desk_people"])

    def on_start(self) -> None:
        super().on_start()
        self.badge = next(self.people)
        self.inside = False

    @task
    def record_passage(self) -> None:
        direction = "exit" if self.inside else "entry"
        data = {"person": self.badge, "direction": direction}
        if direction == "entry":
            data |= {"badge_worn": "on", "only_valuables": "on", "no_prohibited_device": "on"}
        with self.post_form(FIXTURE["desk_url"], data, "desk: record passage") as response:
            if response.status_code == 302 and "result=" in response.headers.get("Location", ""):
                self.inside = not self.inside
            else:
                response.failure(f"desk passage not recorded: {response.status_code}")


class CardReader(HttpUser):
    fixed_count = 10
    wait_time = between(0.5, 1.5)
    readers = itertools.cycle(FIXTURE["readers"])

    def on_start(self) -> None:
        reader = next(self.readers)
        self.client.headers.update(
            {"Authorization": f"Device {reader['token']}", "X-Forwarded-Proto": "https"}
        )
        self.badge = reader["badge"]
        self.inside = False

    @task
    def record_passage(self) -> None:
        direction = "exit" if self.inside else "entry"
        with self.client.post(
            "/api/v1/area/passages/",
            json={"badge_number": self.badge, "direction": direction}
            | ({"only_valuables": True, "prohibited_device": False} if not self.inside else {}),
            name="reader: record passage",
            catch_response=True,
        ) as response:
            if response.status_code == 201 and response.json()["outcome"] == "admitted":
                self.inside = not self.inside
            else:
                response.failure(f"reader passage: {response.status_code} {response.text[:200]}")


class Manager(Browser):
    fixed_count = 5
    logins = itertools.cycle(FIXTURE["managers"])

    @task
    def dashboard(self) -> None:
        self.behind_the_proxy()
        with self.client.get("/dashboard/", name="manager: dashboard", catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"dashboard: {r.status_code}")


class Auditor(Browser):
    fixed_count = 2
    logins = itertools.cycle(FIXTURE["auditors"])

    @task
    def export(self) -> None:
        self.behind_the_proxy()
        with self.client.get(
            FIXTURE["export_url"], name="auditor: export CSV", catch_response=True
        ) as response:
            if response.status_code != 200 or not response.content.startswith(b"\xef\xbb\xbf"):
                response.failure(f"export: {response.status_code}")


class Visitor(HttpUser):
    """The baseline: the login page, served under the same load."""

    fixed_count = 1
    wait_time = between(0.5, 1.5)

    def on_start(self) -> None:
        self.client.headers.update({"X-Forwarded-Proto": "https"})

    @task
    def login_page(self) -> None:
        self.client.get("/login/", name="login page")
