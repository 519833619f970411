"""The bench dataset: a marketplace at scale, written straight into PostgreSQL with ``COPY``.

It lives in its own database (``sellercx_bench_<scale>`` on the same server as the tests: the
``DATABASE_URL`` one, else 127.0.0.1:5432, else an embedded one), so it never touches demo or
development data. A ``bench_meta`` row marks a complete load of one scale and generator version:
a second ``generate`` of the same scale is a no-op, a changed generator reloads.

Run it with ``make bench-data [SCALE=medium]`` or ``python -m benchmarks.generate --scale
medium``. Everything is drawn from one seeded ``random.Random``: two loads are the same data,
relative to the hour they were loaded in.

Shape (the ratios of a real seller central, not a uniform grid): seller sizes follow a power
law, so the biggest seller of ``medium`` has ~95,000 orders; 1–3 lines per order; returns,
refunds, contacts, claims and chargebacks at realistic rates, worse for the sellers drawn as
"at risk" or "failing"; feedback on ~30% of orders, reviews on ~20%, a conversation on ~30% with
a seller reply and a "did this resolve your issue?" survey that about half the buyers answer.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import multiprocessing
import os
import queue
import random
import sys
import time
from bisect import bisect
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from itertools import accumulate
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from .scales import Scale, get

GENERATOR_VERSION = 4
SEED = 8_2026
META_TABLE = "bench_meta"
CHUNK = 50_000  # rows per COPY: bounded memory whatever the scale
WORKERS = 2  # loader processes for the orders (fixed: the data must not depend on the machine)


# ---------------------------------------------------------------------------------------------
# Where the data goes
# ---------------------------------------------------------------------------------------------


def server_url() -> str:
    """The PostgreSQL server the bench uses: the tests' one (see sellercx.settings.test)."""
    from sellercx import embedded

    if url := os.environ.get("DATABASE_URL"):
        return url
    if embedded.tcp_port_open("127.0.0.1", 5432):
        return "postgres://postgres@127.0.0.1:5432/postgres"
    return embedded.postgres_url("bench-postgres", database="postgres")


def database_url(scale: str, database: str | None = None) -> str:
    """The URL of the bench database of ``scale`` on :func:`server_url`'s server."""
    parts = urlsplit(server_url())
    return urlunsplit(parts._replace(path="/" + (database or f"sellercx_bench_{scale}")))


def _admin_connection(url: str):
    import psycopg2

    conn = psycopg2.connect(urlunsplit(urlsplit(url)._replace(path="/postgres")))
    conn.autocommit = True
    return conn


def _database_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def create_database(url: str) -> bool:
    """Create the database of ``url`` unless it exists; True when it was created."""
    name = _database_name(url)
    conn = _admin_connection(url)
    try:
        with conn.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone():
                return False
            cursor.execute(f'CREATE DATABASE "{name}"')
    finally:
        conn.close()
    return True


def drop_database(url: str) -> None:
    name = _database_name(url)
    conn = _admin_connection(url)
    try:
        with conn.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        conn.close()


def setup_django(url: str) -> None:
    """Point Django at the bench database (before anything imports the settings)."""
    os.environ["BENCH_DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.settings"
    import django

    django.setup()


# ---------------------------------------------------------------------------------------------
# The load
# ---------------------------------------------------------------------------------------------


def replica_role() -> None:
    """A superuser's load skips the FK triggers (the generator writes consistent ids, and
    tests/benchmarks prove it); anyone else gets them checked, which is only slower."""
    from django.db import DatabaseError, connection, transaction

    with contextlib.suppress(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")


def loaded_meta() -> dict[str, Any] | None:
    """The bench_meta row of a complete load, or None."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s)", [META_TABLE])
        if cursor.fetchone()[0] is None:
            return None
        cursor.execute(f"SELECT scale, version, generated_at, now_at, counts FROM {META_TABLE}")  # noqa: S608
        row = cursor.fetchone()
    if row is None:
        return None
    meta = dict(zip(["scale", "version", "generated_at", "now", "counts"], row, strict=True))
    if isinstance(meta["counts"], str):  # Django hands jsonb to raw cursors as text
        meta["counts"] = json.loads(meta["counts"])
    return meta


def generate(scale: Scale, *, progress: bool = True, out=sys.stderr) -> dict[str, Any]:
    """Migrate the bench database Django points at and fill it, unless it already holds this
    scale from this generator version. Returns the bench_meta row."""
    from django.core.management import call_command

    if loaded_meta() is not None:
        raise RuntimeError("the bench database holds data already: ensure_loaded drops it")
    started = time.monotonic()
    call_command("migrate", verbosity=0)
    loader = _Loader(scale, progress=progress, out=out)
    counts = loader.run()
    _write_meta(scale, loader.now, counts)
    seconds = time.monotonic() - started
    total = sum(counts.values())
    print(f"bench data: {scale.name}, {total:,} rows in {seconds:.1f} s", file=out)
    return loaded_meta()


def _write_meta(scale: Scale, now: datetime, counts: dict[str, int]) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {META_TABLE} (scale text, version int,"  # noqa: S608
            " generated_at timestamptz, now_at timestamptz, counts jsonb)"
        )
        cursor.execute(f"DELETE FROM {META_TABLE}")  # noqa: S608
        cursor.execute(
            f"INSERT INTO {META_TABLE} VALUES (%s, %s, now(), %s, %s)",  # noqa: S608
            [scale.name, GENERATOR_VERSION, now, json.dumps(counts)],
        )


NULL = r"\N"  # in the text format of ``COPY``
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _text(value: Any) -> str:
    """One value in the text format of ``COPY``."""
    if value is None:
        return NULL
    if isinstance(value, str):
        return value.translate(_ESCAPES)
    return str(value)


class _Writer:
    """Rows of one table in the text format of ``COPY``, sent every ``CHUNK`` rows.

    ``add`` takes a row's values. ``line`` takes a row already written out, for the tables
    of the loop over orders (a third of its time went to formatting values one by one, #8):
    tab-separated, ``\\N`` for NULL, no value holding a tab, a newline or a backslash.
    """

    def __init__(self, model, fields: str | Sequence[str], counts: dict[str, int], cursor=None):
        from sellercx.demo import copy_target

        target, defaults = copy_target(model, fields)
        self.sql = f"COPY {target} FROM STDIN"
        self.end = "".join("\t" + _text(value) for value in defaults) + "\n"
        self.table, self.counts, self.cursor = model._meta.db_table, counts, cursor
        self.lines: list[str] = []
        counts.setdefault(self.table, 0)

    def add(self, row: Sequence[Any]) -> None:
        self.line("\t".join(map(_text, row)))

    def line(self, text: str) -> None:
        self.lines.append(text)
        if len(self.lines) >= CHUNK:
            self.flush()

    def flush(self) -> None:
        if not self.lines:
            return
        from sellercx.demo import copy_from

        end = self.end
        copy_from(self.sql, io.StringIO(end.join(self.lines) + end), self.cursor)
        self.counts[self.table] += len(self.lines)
        self.lines = []


def _cumulative(weights) -> list[float]:
    return list(accumulate(weights))


# Ratings by seller quality: cumulative chances of 1, 2, 3, 4, 5 stars.
_FEEDBACK_STARS = {
    "normal": _cumulative([0.03, 0.02, 0.05, 0.18, 0.72]),
    "at_risk": _cumulative([0.06, 0.04, 0.08, 0.2, 0.62]),
    "failing": _cumulative([0.12, 0.07, 0.1, 0.2, 0.51]),
}
_REVIEW_STARS = _cumulative([0.06, 0.05, 0.1, 0.22, 0.57])
# How much more often than normal things go wrong, by seller quality.
_TROUBLE = {"normal": 1.0, "at_risk": 1.6, "failing": 2.8}
_MARKET_SHARE = {"US": 0.5, "CA": 0.15, "FR": 0.2, "PL": 0.15}
_REPLY = "Thank you, it is on its way."
_NOTES = [
    "Stopped working after two days.",
    "Looks nothing like the photos in the listing.",
    "Great seller, fast shipping!",
    "Arrived late and the box was damaged.",
    "Exactly as described, thank you.",
    "Wrong size, had to send it back.",
]


class _Loader:
    def __init__(self, scale: Scale, *, progress: bool, out) -> None:
        from sellercx.demo import DemoContext

        self.scale = scale
        self.rng = random.Random(SEED)  # noqa: S311 - data, not secrets
        self.now = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
        self.ctx = DemoContext(rng=self.rng, now=self.now)
        self.progress = progress
        self.out = out
        self.counts: dict[str, int] = {}
        self.started = time.monotonic()

    def stage(self, label: str) -> None:
        if self.progress:
            elapsed = time.monotonic() - self.started
            print(f"  {elapsed:6.1f} s  {label}…", file=self.out, flush=True)

    def run(self) -> dict[str, int]:
        from django.db import connection, transaction

        from sellercx.demo import _reference_data

        with transaction.atomic():
            replica_role()
            self.stage("reference data")
            _reference_data(self.ctx)
            self._sellers()
            self._catalogue()
            self._buyers()
        with transaction.atomic():
            indexes = self._drop_secondary_indexes()
        self._orders_in_parallel()
        with transaction.atomic():
            self._reset_sequences()
            self._create_indexes(indexes)
        self.stage("analyze")
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE)")  # statistics, and the visibility map
        return self.counts

    # Bulk tables lose their plain (non-unique) indexes during the load and get them back in
    # one build each afterwards: far faster than maintaining them row by row.
    BULK_TABLES = (
        "sellercx_order", "sellercx_orderline", "sellercx_return", "sellercx_refund",
        "sellercx_atozclaim", "sellercx_chargeback", "sellercx_customerservicecontact",
        "feedback_feedback", "reviews_review", "messaging_conversation", "messaging_message",
        "messaging_survey",
    )  # fmt: skip

    def _drop_secondary_indexes(self) -> list[str]:
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)"
                " FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid"
                " WHERE t.relname = ANY(%s) AND NOT i.indisunique AND NOT i.indisprimary",
                [list(self.BULK_TABLES)],
            )
            found = cursor.fetchall()
            for name, _ in found:
                cursor.execute(f"DROP INDEX {name}")
        return [definition for _, definition in found]

    def _create_indexes(self, definitions: list[str]) -> None:
        from django.db import connection

        self.stage(f"{len(definitions)} indexes")
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
            for definition in definitions:
                cursor.execute(definition)

    # --- sellers, users, brands -----------------------------------------------------------

    def _sellers(self) -> None:
        from django.contrib.auth.hashers import make_password

        from sellercx.demo import _FULL
        from sellercx.models import SellerAccount, SellerMarketplace, User

        rng, now, n = self.rng, self.now, self.scale.sellers
        self.stage(f"{n:,} sellers and their users")
        codes = list(self.ctx.marketplaces)
        market_cum = _cumulative(_MARKET_SHARE.get(c, 0.1) for c in codes)
        self.seller_ids = list(range(1, n + 1))
        # A power law: seller 1 is the biggest, as on every marketplace.
        self.seller_cum = _cumulative(1 / rank**0.9 for rank in self.seller_ids)
        self.quality: dict[int, str] = {}
        self.seller_markets: dict[int, list[int]] = {}
        self.seller_market_cum: dict[int, list[float]] = {}
        sellers = _Writer(SellerAccount, "id name kind standing created_at", self.counts)
        links = _Writer(SellerMarketplace, "seller marketplace joined_at", self.counts)
        for pk in self.seller_ids:
            r = rng.random()
            quality = "failing" if r < 0.05 else "at_risk" if r < 0.2 else "normal"
            if pk == 1:
                quality = "at_risk"  # the biggest seller has something to look at
            self.quality[pk] = quality
            created = now - timedelta(days=self.scale.days + 60 + rng.uniform(0, 2000))
            sellers.add((pk, f"Bench Seller {pk:05d}", "professional", "good", created))
            wanted = len(codes) if pk == 1 else 1 + int(rng.random() ** 2 * len(codes))
            markets: list[int] = []
            while len(markets) < wanted:
                market = self.ctx.marketplaces[
                    codes[bisect(market_cum, rng.random() * market_cum[-1])]
                ]
                if market not in markets:
                    markets.append(market)
            self.seller_markets[pk] = markets
            self.seller_market_cum[pk] = _cumulative(1 / (i + 1) for i in range(len(markets)))
            for market in markets:
                links.add((pk, market, created))
        sellers.flush()
        links.flush()

        password = make_password("bench")
        users = _Writer(
            User,
            ["id", "email", "name", "seller", "password", "is_staff", "is_superuser", *_FULL],
            self.counts,
        )
        users.add(
            (
                1,
                "staff@bench.example",
                "Bench Operator",
                None,
                password,
                True,
                True,
                *[0] * len(_FULL),
            )
        )
        levels = list(_FULL.values())
        for pk in self.seller_ids:
            users.add(
                (
                    pk + 1,
                    f"owner@seller{pk}.bench.example",
                    f"Owner {pk}",
                    pk,
                    password,
                    False,
                    False,
                    *levels,
                )
            )
        users.flush()

    # --- brands, products, offers -----------------------------------------------------------

    def _catalogue(self) -> None:
        from sellercx.models import Brand, BrandRepresentative, Offer, Product

        rng, now, scale = self.rng, self.now, self.scale
        brand_count = max(4, scale.sellers // 4)
        self.stage(f"{brand_count:,} brands, {scale.products:,} products, {scale.offers:,} offers")
        brands = _Writer(Brand, "id name owner registered_at", self.counts)
        reps = _Writer(BrandRepresentative, "seller brand granted_at", self.counts)
        brand_owner: dict[int, int] = {}
        for pk in range(1, brand_count + 1):
            owner = (
                1 if pk <= 3 else bisect(self.seller_cum, rng.random() * self.seller_cum[-1]) + 1
            )
            brand_owner[pk] = owner
            brands.add((pk, f"Brand {pk:05d}", owner, now - timedelta(days=900)))
            reps.add((owner, pk, now - timedelta(days=800)))
        brands.flush()
        reps.flush()

        category_ids = list(self.ctx.categories.values())
        products = _Writer(Product, "id asin title brand category created_at", self.counts)
        self.product_brand: list[int | None] = [None]
        self.product_category: list[int] = [0]
        for pk in range(1, scale.products + 1):
            brand = rng.randint(1, brand_count) if rng.random() < 0.7 else None
            category = rng.choice(category_ids)
            self.product_brand.append(brand)
            self.product_category.append(category)
            products.add(
                (
                    pk,
                    f"B{pk:09d}",
                    f"Bench product {pk}",
                    brand,
                    category,
                    now - timedelta(days=800),
                )
            )
        products.flush()

        offers = _Writer(
            Offer,
            # category: the product's, as the trigger of sellercx 0009 would copy it.
            "id seller marketplace product category sku price fulfilment_channel status "
            "closed_at closure_reason deleted_at created_at",
            self.counts,
        )
        # (seller, marketplace) -> [(offer id, product id, price, channel)], popularity-weighted
        self.pools: dict[tuple[int, int], list[tuple[int, int, Decimal, str]]] = {}
        self.pool_cum: dict[tuple[int, int], list[float]] = {}
        total_weight = self.seller_cum[-1]
        pk = 0
        for seller in self.seller_ids:
            weight = 1 / seller**0.9
            markets = self.seller_markets[seller]
            count = max(len(markets), round(scale.offers * weight / total_weight))
            fba_share = rng.uniform(0.1, 0.7)
            for i in range(count):
                pk += 1
                market = (
                    markets[i]
                    if i < len(markets)
                    else markets[
                        bisect(
                            self.seller_market_cum[seller],
                            rng.random() * self.seller_market_cum[seller][-1],
                        )
                    ]
                )
                product = rng.randint(1, scale.products)
                price = Decimal(rng.randint(499, 19_999)) / 100
                channel = "marketplace" if rng.random() < fba_share else "merchant"
                r = rng.random()
                status, closed, reason, deleted = "active", None, "", None
                if r < 0.015:
                    status, closed, reason = (
                        "closed",
                        now - timedelta(days=rng.uniform(1, 200)),
                        "ncx",
                    )
                elif r < 0.025:
                    status, closed, reason = (
                        "closed",
                        now - timedelta(days=rng.uniform(1, 200)),
                        "inventory",
                    )
                elif r < 0.04:
                    status, deleted = "deleted", now - timedelta(days=rng.uniform(1, 500))
                created = now - timedelta(days=scale.days + rng.uniform(1, 300))
                offers.add(
                    (
                        pk,
                        seller,
                        market,
                        product,
                        self.product_category[product],
                        f"SKU-{pk:08d}",
                        price,
                        channel,
                        status,
                        closed,
                        reason,
                        deleted,
                        created,
                    )
                )
                self.pools.setdefault((seller, market), []).append((pk, product, price, channel))
        offers.flush()
        for key, pool in self.pools.items():
            # A long tail: a few offers sell most.
            self.pool_cum[key] = _cumulative(1 / (i + 1) ** 1.1 for i in range(len(pool)))

    def _buyers(self) -> None:
        from sellercx.models import Buyer

        rng, now = self.rng, self.now
        self.stage(f"{self.scale.buyers:,} buyers")
        writer = _Writer(
            Buyer,
            "id marketplace external_id alias opted_out_of_solicitations created_at",
            self.counts,
        )
        codes = list(self.ctx.marketplaces)
        self.market_buyers: dict[int, list[int]] = {self.ctx.marketplaces[c]: [] for c in codes}
        cum = _cumulative(_MARKET_SHARE.get(c, 0.1) for c in codes)
        for pk in range(1, self.scale.buyers + 1):
            market = self.ctx.marketplaces[codes[bisect(cum, rng.random() * cum[-1])]]
            self.market_buyers[market].append(pk)
            writer.add(
                (
                    pk,
                    market,
                    f"BUYER{pk:09d}",
                    f"Buyer {pk}",
                    rng.random() < 0.03,
                    now - timedelta(days=800),
                )
            )
        writer.flush()

    # --- orders and everything after them ---------------------------------------------------

    def _orders_in_parallel(self) -> None:
        """The orders and all that follows them, in WORKERS processes of their own (forked:
        they share the catalogue drawn above), each a slice of the order ids on its own
        connection; the parent shows their progress."""
        from django.db import connection
        from tqdm import tqdm

        scale = self.scale
        self.stage(f"{scale.orders:,} orders and what follows them, {WORKERS} processes")
        params = connection.get_connection_params()
        connection.close()  # a forked child must not share the parent's socket
        context = multiprocessing.get_context("fork")
        done = context.Value("q", 0)
        results = context.Queue()
        per = -(-scale.orders // WORKERS)
        slices = [(k, k * per + 1, min((k + 1) * per, scale.orders)) for k in range(WORKERS)]
        processes = [
            context.Process(target=self._slice, args=(params, k, first, last, done, results))
            for k, first, last in slices
        ]
        for process in processes:
            process.start()
        reports = []
        with tqdm(
            total=scale.orders, unit="order", disable=not self.progress, file=self.out
        ) as bar:
            while len(reports) < len(processes):
                with contextlib.suppress(queue.Empty):
                    reports.append(results.get(timeout=0.5))
                bar.update(done.value - bar.n)
                if not any(p.is_alive() for p in processes) and results.empty():
                    break  # a process died without a word: reported below
        for process in processes:
            process.join()
        failures = [error for _, _, error in reports if error]
        if len(reports) < len(processes):
            failures.append(f"{len(processes) - len(reports)} process(es) died")
        if failures:
            raise RuntimeError("a loader process failed:\n" + "\n".join(failures))
        for _, counts, _ in reports:
            for table, n in counts.items():
                self.counts[table] = self.counts.get(table, 0) + n

    def _slice(self, params: dict, k: int, first: int, last: int, done, results) -> None:
        """One loader process: orders ``first`` … ``last``, committed at the end."""
        import traceback

        import psycopg2

        try:
            conn = psycopg2.connect(**params)
            with conn.cursor() as cursor:
                try:
                    cursor.execute("SET session_replication_role = replica")
                except psycopg2.Error:  # not a superuser: FKs are checked, which is slower
                    conn.rollback()
                counts: dict[str, int] = {}
                self._orders(k, first, last, cursor, counts, done)
            conn.commit()
            conn.close()
            results.put((k, counts, None))
        except BaseException:  # noqa: BLE001 - reported to the parent, which raises
            results.put((k, {}, traceback.format_exc()))

    def _orders(self, k: int, first: int, last: int, cursor, c: dict, done) -> None:  # noqa: C901, PLR0912, PLR0913, PLR0915 - one pass over every order

        from feedback.models import Feedback
        from messaging.models import Conversation, Message, Survey
        from reviews.models import Review
        from sellercx.models import (
            AtoZClaim,
            Chargeback,
            CustomerServiceContact,
            Order,
            OrderLine,
            Refund,
            Return,
        )
        from voc.recomputes import SOURCE_BITS

        rng = random.Random(SEED + 1 + k)  # noqa: S311 - data, not secrets
        now, scale = self.now, self.scale
        rnd = rng.random
        orders = _Writer(
            Order,
            "id seller marketplace buyer external_id status fulfilment_channel purchased_at "
            "promised_delivery_at delivered_at total received_at",
            c,
            cursor,
        )
        # purchased_at, order_cancelled and received_at: the order's, as the triggers of
        # sellercx 0005, 0013 and 0017 would copy them; the bits of its sources, as the triggers
        # of voc 0006 (0007) would set. SC-4: every row reached SellerCX when it happened.
        lines = _Writer(
            OrderLine,
            "seller order offer quantity unit_price purchased_at experience_sources "
            "order_cancelled received_at",
            c,
            cursor,
        )
        event = "seller marketplace order external_id occurred_at comment"
        returns = _Writer(Return, f"{event} offer quantity reason received_at", c, cursor)
        refunds = _Writer(Refund, f"{event} offer amount status reason received_at", c, cursor)
        claims = _Writer(AtoZClaim, f"{event} amount status reason received_at", c, cursor)
        chargebacks = _Writer(Chargeback, f"{event} amount status received_at", c, cursor)
        contacts = _Writer(CustomerServiceContact, f"{event} offer reason received_at", c, cursor)
        feedback = _Writer(
            Feedback,
            "seller marketplace order buyer external_id rating comment item_as_described left_at "
            "removed_at removed_by struck_through_at received_at",
            c,
            cursor,
        )
        reviews = _Writer(
            Review,
            "marketplace product brand buyer external_id rating title text verified_order "
            "posted_at received_at",
            c,
            cursor,
        )
        conversations = _Writer(
            Conversation,
            "id seller marketplace buyer order subject created_at last_message_at "
            "awaiting_reply last_body last_buyer_message_at unread_count waiting_since",
            c,
            cursor,
        )
        messages = _Writer(
            Message,
            "id conversation seller marketplace direction external_id body sent_at read_at "
            "first_reply_at received_at",
            c,
            cursor,
        )
        surveys = _Writer(
            Survey,
            "message conversation seller marketplace answer answer_external_id answered_at "
            "answer_received_at",
            c,
            cursor,
        )
        product_reasons = self.ctx.product_reason_ids
        delivery_reasons = self.ctx.delivery_reason_ids
        p_feedback = scale.per_order(scale.feedback)
        # A process writes the reviews of its own buyers only (one per buyer and product),
        # as many as all processes together would.
        p_review = scale.per_order(scale.reviews) * WORKERS
        p_conversation = scale.per_order(scale.conversations)
        reviewed: set[tuple[int, int]] = set()
        total_weight = self.seller_cum[-1]
        days = scale.days
        # Ids of each process's own range: no two processes write the same one.
        event_id = k * 10 * scale.orders
        conversation_id = k * scale.orders
        message_id = k * 3 * scale.orders

        def reason(trouble_product: float) -> int:
            pool = product_reasons if rnd() < trouble_product else delivery_reasons
            return pool[int(rnd() * len(pool))]

        for order_id in range(first, last + 1):
            if order_id % 5000 == 0:
                with done.get_lock():
                    done.value += 5000
            seller = bisect(self.seller_cum, rnd() * total_weight) + 1
            markets = self.seller_markets[seller]
            mcum = self.seller_market_cum[seller]
            market = markets[bisect(mcum, rnd() * mcum[-1])] if len(markets) > 1 else markets[0]
            pool = self.pools.get((seller, market))
            if pool is None:  # cannot happen: every seller lists in every marketplace it sells in
                continue
            cum = self.pool_cum[(seller, market)]
            trouble = _TROUBLE[self.quality[seller]]
            # Business grows: recent days have more orders than old ones.
            purchased = now - timedelta(days=days * rnd() ** 1.25, seconds=60)
            r = rnd()
            wanted = 1 if r < 0.75 else 2 if r < 0.95 else 3
            chosen = []
            for _ in range(wanted):
                offer = pool[bisect(cum, rnd() * cum[-1])]
                if offer not in chosen:
                    chosen.append(offer)
            channel = chosen[0][3]
            age = (now - purchased).days
            delivered = None
            if rnd() < 0.015:
                status = "cancelled"
            elif age < 2:
                status = "pending" if rnd() < 0.5 else "shipped"
            else:
                status = "delivered"
                delivered = purchased + timedelta(days=1 + rnd() * min(age - 1, 6 * trouble))
            promised = purchased + timedelta(days=5)
            buyers = self.market_buyers[market]
            buyer = buyers[int(len(buyers) * rnd() ** 1.5)]
            total = Decimal(0)
            at = str(purchased)
            order_lines = []  # written once the order's sources are known
            for offer_id, _, price, _ in chosen:
                quantity = 1 if rnd() < 0.85 else 2
                total += price * quantity
                order_lines.append(f"{seller}\t{order_id}\t{offer_id}\t{quantity}\t{price}\t{at}")
            orders.line(
                f"{order_id}\t{seller}\t{market}\t{buyer}\t{order_id:012d}\t{status}\t"
                f"{channel}\t{at}\t{promised}\t{delivered or NULL}\t{total}\t{at}"
            )
            if status == "cancelled":
                for text in order_lines:
                    lines.line(f"{text}\t0\tt\t{at}")
                continue
            sources = 0
            after = purchased + timedelta(days=3 + rnd() * 25)
            if after > now:
                after = now - timedelta(minutes=1 + rnd() * 60)
                if after <= purchased:
                    after = purchased + (now - purchased) / 2
            first_offer = chosen[0][0]
            if rnd() < scale.returns * trouble:
                event_id += 1
                sources |= SOURCE_BITS["return"]
                returns.add(
                    (
                        seller,
                        market,
                        order_id,
                        f"R{event_id}",
                        after,
                        _NOTES[event_id % 6],
                        first_offer,
                        1,
                        reason(0.7),
                        after,
                    )
                )
            if rnd() < scale.refunds * trouble:
                event_id += 1
                sources |= SOURCE_BITS["refund"]
                status_r = "completed" if rnd() < 0.9 else "pending"
                refunds.add(
                    (
                        seller,
                        market,
                        order_id,
                        f"F{event_id}",
                        after,
                        "",
                        first_offer,
                        (total / 2).quantize(Decimal("0.01")) or Decimal("0.01"),
                        status_r,
                        reason(0.7),
                        after,
                    )
                )
            if rnd() < scale.claims * trouble:
                event_id += 1
                r = rnd()
                status_c = (
                    "withdrawn"
                    if r < 0.15
                    else "denied"
                    if r < 0.3
                    else "granted"
                    if r < 0.7
                    else "open"
                )
                claims.add(
                    (
                        seller,
                        market,
                        order_id,
                        f"A{event_id}",
                        after,
                        "",
                        total,
                        status_c,
                        reason(0.5),
                        after,
                    )
                )
            if rnd() < scale.chargebacks * trouble:
                event_id += 1
                chargebacks.add(
                    (
                        seller,
                        market,
                        order_id,
                        f"C{event_id}",
                        after,
                        "",
                        total,
                        "upheld" if rnd() < 0.6 else "open",
                        after,
                    )
                )
            if rnd() < scale.contacts * trouble:
                event_id += 1
                sources |= SOURCE_BITS["contact"]
                contacts.add(
                    (
                        seller,
                        market,
                        order_id,
                        f"K{event_id}",
                        after,
                        _NOTES[event_id % 6],
                        first_offer,
                        reason(0.6),
                        after,
                    )
                )
            if rnd() < p_feedback:
                stars = bisect(_FEEDBACK_STARS[self.quality[seller]], rnd()) + 1
                removed = rnd() < 0.02
                struck = not removed and stars <= 2 and rnd() < 0.05
                comment = _NOTES[order_id % 6] if rnd() < 0.6 else ""
                described = (stars >= 3) if rnd() < 0.7 else NULL
                if described is False:  # removed or struck later: a past week counts it
                    sources |= SOURCE_BITS["feedback"]
                gone = f"{after + timedelta(hours=2)}\tbuyer" if removed else f"{NULL}\t"
                feedback.line(
                    f"{seller}\t{market}\t{order_id}\t{buyer}\tFB{order_id}\t{stars}\t"
                    f"{comment}\t{described}\t{after}\t{gone}\t"
                    f"{after + timedelta(hours=3) if struck else NULL}\t{after}"
                )
            if buyer % WORKERS == k and rnd() < p_review:
                product = chosen[0][1]
                if (buyer, product) not in reviewed:
                    reviewed.add((buyer, product))
                    stars = bisect(_REVIEW_STARS, rnd() / trouble**0.3) + 1
                    verified = order_id if rnd() < 0.85 else None
                    if verified:
                        sources |= SOURCE_BITS["review"]
                    reviews.add(
                        (
                            market,
                            product,
                            self.product_brand[product],
                            buyer,
                            f"RV{order_id}",
                            stars,
                            f"{stars} stars",
                            _NOTES[order_id % 6],
                            verified,
                            after,
                            after,
                        )
                    )
            for text in order_lines:
                lines.line(f"{text}\t{sources}\tf\t{at}")
            if rnd() < p_conversation:
                conversation_id += 1
                asked = purchased + (after - purchased) / 2
                read = asked + timedelta(hours=1)
                read = read if read < now and rnd() < 0.95 else None
                message_id += 1
                question = "Where is my order?"
                replied = asked + timedelta(hours=rnd() * 30 * trouble)
                replied = replied if rnd() < 0.9 and replied < now else None
                # The columns the triggers keep (messaging 0005, 0006, 0010), written directly.
                messages.line(
                    f"{message_id}\t{conversation_id}\t{seller}\t{market}\tbuyer\t"
                    f"M{message_id}\t{question}\t{asked}\t{read or NULL}\t{replied or NULL}\t"
                    f"{asked}"
                )
                last, last_body, awaiting = asked, question, True
                if replied is not None:
                    message_id += 1
                    last, last_body, awaiting = replied, _REPLY, False
                    messages.line(
                        f"{message_id}\t{conversation_id}\t{seller}\t{market}\tseller\t\t"
                        f"{_REPLY}\t{replied}\t{NULL}\t{NULL}\t{replied}"
                    )
                    answered = replied + timedelta(hours=1 + rnd() * 48)
                    if answered < now and rnd() < 0.55:
                        answer = "yes" if rnd() < 0.85 / trouble**0.5 else "no"
                        surveys.line(
                            f"{message_id}\t{conversation_id}\t{seller}\t{market}\t{answer}\t"
                            f"S{message_id}\t{answered}\t{answered}"
                        )
                    else:
                        surveys.line(
                            f"{message_id}\t{conversation_id}\t{seller}\t{market}\t\t\t{NULL}\t"
                            f"{NULL}"
                        )
                conversations.line(
                    f"{conversation_id}\t{seller}\t{market}\t{buyer}\t{order_id}\t"
                    f"About my order\t{asked}\t{last}\t{awaiting}\t{last_body}\t{asked}\t"
                    f"{0 if read else 1}\t{asked if awaiting else NULL}"
                )
        for writer in (
            orders,
            lines,
            returns,
            refunds,
            claims,
            chargebacks,
            contacts,
            feedback,
            reviews,
            conversations,
            messages,
            surveys,
        ):
            writer.flush()

    def _reset_sequences(self) -> None:
        from django.db import connection

        with connection.cursor() as cursor:
            for table in self.counts:
                highest = f"SELECT max(id) FROM {connection.ops.quote_name(table)}"  # noqa: S608
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence(%s, 'id'), greatest(({highest}), 1))",
                    [table],
                )


def _migrate_loaded(progress: bool) -> None:
    """The schema follows the code, as on a real upgrade: new migrations run on the loaded
    data, then VACUUM ANALYZE (what autovacuum would do after them)."""
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    if not executor.migration_plan(executor.loader.graph.leaf_nodes()):
        return
    call_command("migrate", verbosity=1 if progress else 0, stdout=sys.stderr)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")


def ensure_loaded(scale: Scale, url: str, *, force: bool = False, progress: bool = True) -> dict:
    """Set Django up on the bench database of ``url`` and load ``scale`` into it unless it is
    there already from this generator version (a stale or other load is dropped first)."""
    if force:
        drop_database(url)
    create_database(url)
    setup_django(url)
    from django.db import connection

    meta = loaded_meta()
    if meta and meta["scale"] == scale.name and meta["version"] == GENERATOR_VERSION:
        print(
            f"bench data: {scale.name} already loaded ({meta['generated_at']:%Y-%m-%d %H:%M})",
            file=sys.stderr,
        )
        _migrate_loaded(progress)
        return meta
    # Another scale, an older generator, or a load that stopped half-way: start afresh.
    connection.close()
    drop_database(url)
    create_database(url)
    return generate(scale, progress=progress)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", default="medium")
    parser.add_argument("--database", help="database name (default sellercx_bench_<scale>)")
    parser.add_argument("--force", action="store_true", help="drop and reload")
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args(argv)
    scale = get(args.scale)
    ensure_loaded(
        scale, database_url(scale.name, args.database), force=args.force, progress=not args.quiet
    )


if __name__ == "__main__":
    main()
