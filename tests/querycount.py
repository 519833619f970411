"""STYLE: every list page and API list runs the same queries for 1 row and for 30."""

from __future__ import annotations

from collections.abc import Callable

from django.db import connection
from django.test.utils import CaptureQueriesContext


def assert_constant_queries(add_row: Callable[[], object], fetch: Callable[[], object]) -> None:
    """Add 1 row and fetch, add 29 more and fetch again: the query counts must be equal.

    ``fetch`` does the request and checks its status; on a mismatch the queries are printed.
    """
    fetch()  # the session's first page: it lands on the main marketplace (UX-2), once
    captured = []
    for rows in (1, 29):
        for _ in range(rows):
            add_row()
        with CaptureQueriesContext(connection) as queries:
            fetch()
        captured.append(queries.captured_queries)
    one, thirty = captured
    assert len(one) == len(thirty), "\n".join(
        ["queries with 1 row:", *(q["sql"] for q in one), "with 30 rows:"]
        + [q["sql"] for q in thirty]
    )
