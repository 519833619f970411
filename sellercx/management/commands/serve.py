"""``make run``: everything a developer needs in one command, stopped by one Ctrl-C.

Starts the embedded PostgreSQL and Redis when ``DATABASE_URL`` / ``REDIS_URL`` are unset (data
under ``.data/``, reused next time), migrates, loads the demo data once, then runs the web
server, a Celery worker and Celery beat side by side and prints where to go and how to sign in.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from sellercx import embedded


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
                "--loglevel=INFO",
                "--schedule",
                str(embedded.DATA_DIR / "celerybeat-schedule"),
            ],
        }
        children = {
            name: subprocess.Popen(cmd, env=env, cwd=settings.BASE_DIR, start_new_session=True)  # noqa: S603
            for name, cmd in commands.items()
        }
        # Print where to go once the web server answers, so the banner is not lost in start-up logs.
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not embedded.tcp_port_open(host, port):
            time.sleep(0.25)
        self._banner(host, port)
        stopping = False

        def stop(*_):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        try:
            while not stopping:
                for name, child in children.items():
                    if child.poll() is not None:
                        self.stderr.write(f"{name} exited with {child.returncode}; stopping.")
                        stopping = True
                time.sleep(0.5)
        finally:
            self.stdout.write("\nStopping web, worker and beat…")
            for child in children.values():
                if child.poll() is None:
                    os.killpg(child.pid, signal.SIGTERM)
            deadline = time.monotonic() + 15
            for child in children.values():
                try:
                    child.wait(timeout=max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    os.killpg(child.pid, signal.SIGKILL)
            embedded.stop_all()
            self.stdout.write("Stopped.")

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
            *(f"  {email:<28} {password:<6} {about}" for email, password, about in DEMO_LOGINS),
            "",
            "Press Ctrl-C to stop.",
            "",
        ]
        self.stdout.write(self.style.SUCCESS("\n".join(lines)))


def _url_of_default_database() -> str:
    """The URL of the database settings chose (the embedded one when none was given)."""
    from urllib.parse import quote

    db = settings.DATABASES["default"]
    host = quote(db["HOST"], safe="") if db["HOST"].startswith("/") else db["HOST"]
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{db['USER']}@{host}{port}/{db['NAME']}"
