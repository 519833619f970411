"""SC-3: run the same work from several threads at once, each on its own connection."""

from __future__ import annotations

import threading
from collections.abc import Callable

from django.db import connection


def run_at_once(work: Callable[[], object], times: int = 2) -> list[Exception]:
    """Start ``times`` threads doing ``work`` together (released by one barrier once each is
    running); return the errors they raised."""
    errors: list[Exception] = []
    start = threading.Barrier(times)

    def run():
        try:
            start.wait(timeout=30)
            work()
        except Exception as error:  # reported to the test
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors
