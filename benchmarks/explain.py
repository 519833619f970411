"""``EXPLAIN (ANALYZE, BUFFERS)`` of every query a page or API call runs, against the bench
database, as the biggest seller: how the page and API queries were reviewed (issue #8).

    python -m benchmarks.explain /dashboard/messages/ [--scale medium] [--slower-than 5]
"""

from __future__ import annotations

import argparse

from .generate import database_url, setup_django


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("path")
    parser.add_argument("--scale", default="medium")
    parser.add_argument("--slower-than", type=float, default=0, help="only plans over N ms")
    args = parser.parse_args(argv)
    setup_django(database_url(args.scale))

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from rest_framework.test import APIClient

    from .run import Bench

    owner = Bench.biggest_seller_owner()
    if args.path.startswith("/api/"):
        client = APIClient()
        client.force_authenticate(owner)
    else:
        client = Client()
        client.force_login(owner)
    client.get(args.path)  # warm
    with CaptureQueriesContext(connection) as queries:
        status = client.get(args.path).status_code
    print(f"{args.path}: {status}, {len(queries)} queries")
    for query in queries.captured_queries:
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
            plan = [row[0] for row in cursor.fetchall()]
        ms = float(plan[-1].split()[-2])
        if ms >= args.slower_than:
            print(f"\n--- {ms:.1f} ms\n{query['sql']}\n" + "\n".join(plan))


if __name__ == "__main__":
    main()
