"""``make run``: everything a developer needs in one command, stopped by one Ctrl-C.

Starts the embedded PostgreSQL and Redis when ``DATABASE_URL`` / ``REDIS_URL`` are unset (data
under ``.data/``, reused next time), migrates, loads the demo data once, then runs the web
server, a Celery worker and Celery beat side by side and prints where to go and how to sign in.

The children's output passes through this process (a pseudo-terminal each when ours is a
terminal, so they keep their colours; a pipe otherwise), which lets the start-up wait until
they have printed their own banners: the URL and the demo logins are the last thing on the
screen (issue #18).
"""

from __future__ import annotations

import os
import pty
import signal
import subprocess
import sys
import threading
import time
import tty
from typing import BinaryIO

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from sellercx import embedded
from sellercx.celery import ROUTINE_TASKS_QUIET

# What each child prints when its start-up is over (the web server: its port answers). Beat
# runs at WARNING (its INFO lines only say "Sending due task", which the worker's "received"
# line repeats), so its marker is the last line of the banner it always prints.
READY_MARKERS = {"worker": b" ready.", "beat": b"maxinterval ->"}
# The start-up is over when every child is ready and none has printed for QUIET seconds, or
# after STARTUP_TIMEOUT seconds whatever they are doing: the banner is printed either way.
STARTUP_TIMEOUT = 60.0
QUIET = 1.0


class ChildOutput:
    """Copies one child's output to ours, noting when it last printed and whether it said
    its ready marker. ``lock`` keeps the chunks of different children and our banner whole."""

    def __init__(self, fd: int, out: BinaryIO, lock: threading.Lock, marker: bytes | None):
        self.fd, self.out, self.lock, self.marker = fd, out, lock, marker
        self.ready = threading.Event()
        if marker is None:
            self.ready.set()
        self.last_output = time.monotonic()
        self._tail = b""
        self.thread = threading.Thread(target=self._copy, daemon=True)
        self.thread.start()

    def _copy(self) -> None:
        try:
            while True:
                try:
                    chunk = os.read(self.fd, 65536)
                except OSError:  # EIO: a pseudo-terminal whose child has exited
                    break
                if not chunk:
                    break
                self.last_output = time.monotonic()
                if self.marker and not self.ready.is_set():
                    seen = self._tail + chunk
                    if self.marker in seen:
                        self.ready.set()
                    self._tail = seen[-len(self.marker) :]
                with self.lock:
                    self.out.write(chunk)
                    self.out.flush()
        finally:
            os.close(self.fd)


class Command(BaseCommand):
    help = "Run web + Celery worker + Celery beat on embedded PostgreSQL and Redis."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--no-demo", action="store_true", help="skip loading demo data")

    def handle(self, *args, port: int, host: str, no_demo: bool, **options):
        env = os.environ.copy()
        env["DATABASE_URL"] = os.environ.get("DATABASE_URL") or _url_of_default_database()
        env["REDIS_URL"] = os.environ.get("REDIS_URL") or embedded.redis_url()
        env.setdefault("DJANGO_SETTINGS_MODULE", "sellercx.settings.dev")
        env["PYTHONUNBUFFERED"] = "1"

        self.stdout.write("Migrating…")
        call_command("migrate", interactive=False, verbosity=0)
        if not no_demo:
            call_command("seed_demo")

        python = sys.executable
        commands = {
            "web": [python, "manage.py", "runserver", f"{host}:{port}", "--noreload"],
            "worker": [
                python,
                "-m",
                "celery",
                "-A",
                "sellercx",
                "worker",
                "--loglevel=INFO",
                "--concurrency=2",
                "--without-gossip",
                "--without-mingle",
            ],
            "beat": [
                python,
                "-m",
                "celery",
                "-A",
                "sellercx",
                "beat",
                "--loglevel=WARNING",
                "--schedule",
                str(embedded.DATA_DIR / "celerybeat-schedule"),
            ],
        }
        # A flag, not an Event: a handler that takes a lock could wait for itself forever.
        self.stopping = False

        def stop(*_):
            self.stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        self.stdout.flush()
        lock = threading.Lock()
        out = sys.stdout.buffer
        children: dict[str, subprocess.Popen] = {}
        outputs: list[ChildOutput] = []
        try:
            for name, cmd in commands.items():
                read_fd, write_fd = _terminal_for_child() if out.isatty() else os.pipe()
                try:
                    children[name] = subprocess.Popen(  # noqa: S603
                        cmd,
                        env={**env, ROUTINE_TASKS_QUIET: "1"} if name == "worker" else env,
                        cwd=settings.BASE_DIR,
                        stdout=write_fd,
                        stderr=write_fd,
                        start_new_session=True,
                    )
                except BaseException:
                    os.close(read_fd)
                    raise
                finally:
                    os.close(write_fd)
                outputs.append(ChildOutput(read_fd, out, lock, READY_MARKERS.get(name)))

            if self._wait_for_start_up(children, outputs, host, port):
                with lock:
                    self._banner(host, port)
                    self.stdout.flush()
            while not self.stopping:
                for name, child in children.items():
                    if child.poll() is not None:
                        self.stderr.write(f"{name} exited with {child.returncode}; stopping.")
                        self.stopping = True
                time.sleep(0.5)
        finally:
            with lock:
                self.stdout.write("\nStopping web, worker and beat…")
                self.stdout.flush()
            for child in children.values():
                if child.poll() is None:
                    os.killpg(child.pid, signal.SIGTERM)
            deadline = time.monotonic() + 15
            for child in children.values():
                try:
                    child.wait(timeout=max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    os.killpg(child.pid, signal.SIGKILL)
                    child.wait()
            for output in outputs:  # their last words (the worker's "warm shutdown") first
                output.thread.join(timeout=2)
            embedded.stop_all()
            self.stdout.write("Stopped.")

    def _wait_for_start_up(
        self,
        children: dict[str, subprocess.Popen],
        outputs: list[ChildOutput],
        host: str,
        port: int,
    ) -> bool:
        """Wait until the web server answers, the worker and beat have said they are ready and
        nothing has been printed for a moment (bounded by STARTUP_TIMEOUT). False when a child
        exited or Ctrl-C came meanwhile: then there is nothing to announce."""
        deadline = time.monotonic() + STARTUP_TIMEOUT
        web_up = False
        while time.monotonic() < deadline:
            if self.stopping or any(child.poll() is not None for child in children.values()):
                return False
            web_up = web_up or embedded.tcp_port_open(host, port)
            quiet = time.monotonic() - max(output.last_output for output in outputs) >= QUIET
            if web_up and quiet and all(output.ready.is_set() for output in outputs):
                return True
            time.sleep(0.1)
        return True

    def _banner(self, host: str, port: int) -> None:
        from sellercx.demo import DEMO_LOGINS

        url = f"http://{'localhost' if host in ('127.0.0.1', '0.0.0.0') else host}:{port}"  # noqa: S104
        lines = [
            "",
            "SellerCX is running:",
            f"  Dashboard  {url}/",
            f"  Admin      {url}/admin/",
            f"  API docs   {url}/api/docs/",
            "",
            "Demo logins:",
            *(f"  {x.email:<28} {x.password:<6} {x.about}" for x in DEMO_LOGINS),
            "",
            "Press Ctrl-C to stop.",
            "",
        ]
        self.stdout.write(self.style.SUCCESS("\n".join(lines)))


def _terminal_for_child() -> tuple[int, int]:
    """A pseudo-terminal, so that a child writing to it still sees a terminal (its colours, as
    before the output passed through us). Raw, so a newline reaches our terminal as it was
    written: our terminal adds the carriage return once, not the child's as well."""
    read_fd, write_fd = pty.openpty()
    tty.setraw(write_fd)
    return read_fd, write_fd


def _url_of_default_database() -> str:
    """The URL of the database settings chose (the embedded one when none was given)."""
    from urllib.parse import quote

    db = settings.DATABASES["default"]
    host = quote(db["HOST"], safe="") if db["HOST"].startswith("/") else db["HOST"]
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{db['USER']}@{host}{port}/{db['NAME']}"
