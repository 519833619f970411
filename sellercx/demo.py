"""Demo data: a registry of loading steps that every app adds to, and the core step.

``manage.py seed_demo`` runs the registered steps in order, in one transaction, passing each the
same :class:`DemoContext`. The core step (order 10) fills the shared schema (SPEC §1, §7); the
apps' own ``demo.py`` modules register later steps (feedback, reviews, messages, metrics, VOC)
that read the ids the core step leaves in the context, so they never have to query them back.

Volumes are those of a mid-sized seller central (~50,000 orders), so every table is written with
PostgreSQL ``COPY`` or ``bulk_create``, never row by row: the whole core step takes seconds.
Everything is drawn from one seeded ``random.Random``, so two loads in the same hour are the
same data.
"""

from __future__ import annotations

import csv
import io
import math
import random
import sys
from bisect import bisect, bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from itertools import accumulate
from operator import attrgetter
from typing import IO, Any, NamedTuple, TypeVar

from django.contrib.auth.hashers import make_password
from django.db import connection, models
from django.utils import timezone
from tqdm import tqdm

from .models import (
    AtoZClaim,
    AuditEntry,
    Brand,
    BrandRepresentative,
    Buyer,
    Category,
    Chargeback,
    CustomerServiceContact,
    FulfilmentChannel,
    Marketplace,
    Offer,
    Order,
    OrderLine,
    Product,
    ReasonCode,
    Refund,
    Return,
    SellerAccount,
    SellerMarketplace,
    User,
)
from .permissions import Access, Area, access_field

SEED = 20261123
DEMO_PASSWORD = "demo"  # noqa: S105 - the published password of the demo logins
NORTHWIND_OWNER = "owner@northwind.example"
STAFF_EMAIL = "staff@sellercx.example"

T = TypeVar("T")

# ---------------------------------------------------------------------------------------------
# Registry
# ---------------------------------------------------------------------------------------------


class DemoProgress:
    """What a step may report while it runs: a short label next to the steps bar, and tqdm
    bars over its own long loops. Both are silent when the command runs with ``--quiet``."""

    def __init__(
        self, *, disable: bool = True, file: IO[str] | None = None, bar: tqdm | None = None
    ) -> None:
        self.disable = disable
        self.file = file or sys.stderr
        self.bar = bar

    def stage(self, label: str) -> None:
        if self.bar is not None and not self.disable:
            self.bar.set_postfix_str(label, refresh=True)

    def track(
        self, iterable: Iterable[T], *, total: int | None = None, desc: str = ""
    ) -> Iterator[T]:
        return iter(
            tqdm(
                iterable,
                total=total,
                desc=desc,
                unit="row",
                leave=False,
                disable=self.disable,
                file=self.file,
                mininterval=0.25,
            )
        )


StepFunction = Callable[["DemoContext", DemoProgress], None]


@dataclass(frozen=True)
class DemoStep:
    order: int
    name: str
    fn: StepFunction
    # A table the step always fills: empty means the demo was loaded before the step existed.
    marker: type[models.Model] | None = None

    def is_loaded(self) -> bool:
        return self.marker is None or self.marker.objects.exists()


_STEPS: dict[str, DemoStep] = {}


def register(
    order: int, name: str, *, marker: type[models.Model] | None = None
) -> Callable[[StepFunction], StepFunction]:
    """Add a step; steps run by ascending ``order`` (the core step is 10, so apps use 20+).

    Keyed by name, so importing a ``demo`` module twice does not run its step twice."""

    def decorator(fn: StepFunction) -> StepFunction:
        _STEPS[name] = DemoStep(order=order, name=name, fn=fn, marker=marker)
        return fn

    return decorator


def steps() -> list[DemoStep]:
    return sorted(_STEPS.values(), key=lambda step: (step.order, step.name))


# ---------------------------------------------------------------------------------------------
# Context
# ---------------------------------------------------------------------------------------------


class DemoOffer(NamedTuple):
    """An offer as written (field names are the model's), plus its product's category/brand."""

    id: int
    seller_id: int
    marketplace_id: int
    product_id: int
    sku: str
    price: Decimal
    fulfilment_channel: str
    status: str
    closed_at: datetime | None
    closure_reason: str
    deleted_at: datetime | None
    created_at: datetime
    category_id: int
    brand_id: int | None

    @property
    def ended_at(self) -> datetime | None:
        """From then on the offer sells nothing."""
        return self.closed_at or self.deleted_at


class DemoLine(NamedTuple):
    offer_id: int
    product_id: int
    quantity: int
    unit_price: Decimal


class DemoOrder(NamedTuple):
    """An order as written (field names are the model's), with its lines."""

    id: int
    seller_id: int
    marketplace_id: int
    buyer_id: int
    external_id: str
    status: str
    fulfilment_channel: str
    purchased_at: datetime
    promised_delivery_at: datetime | None
    delivered_at: datetime | None
    # Only set for orders delivered in two parts (FB-11): use coalesce(fully, delivered).
    fully_delivered_at: datetime | None
    total: Decimal
    do_not_solicit: bool
    lines: tuple[DemoLine, ...]


def _this_hour() -> datetime:
    return timezone.now().replace(minute=0, second=0, microsecond=0)


@dataclass
class DemoContext:
    """Shared state of one demo load. The core step fills every field below; later steps read
    them (and may add their own attributes) instead of querying the rows back.

    Ids are database ids. ``orders`` is sorted by purchase date and its ids are consecutive
    (``order_ids``). Quality hints let later steps stay consistent with the core data: a
    ``failing`` seller should also get more negative feedback, a ``bad`` product worse reviews.
    """

    scale: float = 1.0
    rng: random.Random = field(default_factory=lambda: random.Random(SEED))
    now: datetime = field(default_factory=_this_hour)

    marketplaces: dict[str, int] = field(default_factory=dict)  # code -> id
    marketplace_codes: dict[int, str] = field(default_factory=dict)  # id -> code
    languages: dict[int, str] = field(default_factory=dict)  # marketplace id -> en / fr / pl
    currencies: dict[int, str] = field(default_factory=dict)  # marketplace id -> USD ...
    reasons: dict[str, int] = field(default_factory=dict)  # reason code -> id
    product_reason_ids: list[int] = field(default_factory=list)
    delivery_reason_ids: list[int] = field(default_factory=list)
    categories: dict[str, int] = field(default_factory=dict)  # name -> id

    sellers: dict[str, int] = field(default_factory=dict)  # slug ("northwind") -> id
    seller_marketplaces: dict[int, list[int]] = field(default_factory=dict)
    seller_quality: dict[int, str] = field(default_factory=dict)  # normal / at_risk / failing
    # The Account health each seller is promised (``DEMO_LOGINS`` prints it): good / at_risk /
    # failing. The steps shape what they write so that it holds whatever the clock says.
    promised_health: dict[int, str] = field(default_factory=dict)
    brands: dict[str, int] = field(default_factory=dict)  # name -> id
    brand_owners: dict[int, int] = field(default_factory=dict)  # brand id -> seller id
    represented_brands: dict[int, list[int]] = field(default_factory=dict)  # seller -> brands
    users: dict[str, int] = field(default_factory=dict)  # e-mail -> id

    product_ids: list[int] = field(default_factory=list)
    product_brand: dict[int, int | None] = field(default_factory=dict)
    product_category: dict[int, int] = field(default_factory=dict)
    bad_product_ids: set[int] = field(default_factory=set)  # many product-related complaints
    offers: list[DemoOffer] = field(default_factory=list)
    buyers: dict[int, list[int]] = field(default_factory=dict)  # marketplace id -> buyer ids
    opted_out_buyer_ids: set[int] = field(default_factory=set)
    orders: list[DemoOrder] = field(default_factory=list)
    order_ids: range = range(0)

    @property
    def northwind_id(self) -> int:
        return self.sellers["northwind"]

    @property
    def failing_seller_id(self) -> int:
        return self.sellers["cedar-pine"]

    @property
    def at_risk_seller_id(self) -> int:
        return self.sellers["summit-gear"]

    def scaled(self, n: int, minimum: int = 1) -> int:
        return max(minimum, round(n * self.scale))


# ---------------------------------------------------------------------------------------------
# Bulk writing
# ---------------------------------------------------------------------------------------------

_NULL = r"\N"


def reserve_ids(model: type[models.Model], count: int) -> range:
    """Take ``count`` consecutive ids from the table's identity sequence, so rows written by
    ``COPY`` can carry their ids and be referenced at once without reading them back."""
    if count <= 0:
        return range(0)
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence(%s, 'id'),"
            " nextval(pg_get_serial_sequence(%s, 'id')) + %s - 1)",
            [table, table, count],
        )
        last = cursor.fetchone()[0]
    return range(last - count + 1, last + 1)


def copy_target(model: type[models.Model], fields: str | Sequence[str]) -> tuple[str, list[Any]]:
    """``table (columns)`` for a ``COPY`` of these fields (model field names or attnames, a
    list or one space-separated string), and the values of the concrete fields left out:
    their model default, one value for all rows, so a field added to a model later does not
    break a loader."""
    opts = model._meta
    names = fields.split() if isinstance(fields, str) else fields
    given = [opts.get_field(name) for name in names]
    extra: list[tuple[models.Field, Any]] = []
    for f in opts.concrete_fields:
        if f in given or f.primary_key:
            continue
        if f.has_default():
            extra.append((f, f.get_default()))
        elif not f.null and f.db_default is models.NOT_PROVIDED:
            raise ValueError(f"{opts.label}.{f.name} needs a value in the demo data")
    columns = [f.column for f in given] + [f.column for f, _ in extra]
    column_list = ", ".join(connection.ops.quote_name(c) for c in columns)
    return f"{connection.ops.quote_name(opts.db_table)} ({column_list})", [v for _, v in extra]


# SC-4: the demo's history arrived as it happened. A row's arrival column, when the demo does
# not give it, takes the time of the first of these fields it gives (else: the load's time).
ARRIVALS = (
    (
        "received_at",
        ("replaced_at", "purchased_at", "occurred_at", "left_at", "posted_at", "sent_at"),
    ),
    ("answer_received_at", ("answered_at",)),
)


def arrived_as_it_happened(
    model: type[models.Model], fields: str | Sequence[str], rows: Iterable[Sequence[Any]]
) -> tuple[list[str], Iterable[Sequence[Any]]]:
    """``fields`` and ``rows`` with the model's arrival columns added (``ARRIVALS``)."""
    names = fields.split() if isinstance(fields, str) else list(fields)
    known = {f.name for f in model._meta.concrete_fields}
    extra = []
    for arrival, happened in ARRIVALS:
        source = next((n for n in happened if n in names), None)
        if arrival in known and arrival not in names and source:
            extra.append((arrival, names.index(source)))
    if not extra:
        return names, rows
    added = [name for name, _ in extra]
    return names + added, ((*row, *(row[i] for _, i in extra)) for row in rows)


def copy_rows(
    model: type[models.Model],
    fields: str | Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    cursor=None,
) -> int:
    """Write rows with ``COPY ... FROM STDIN``: an order of magnitude faster than INSERTs.

    ``fields``: as for ``copy_target``; ``None`` is NULL. ``cursor``: a DB-API cursor of
    another connection, else Django's connection. Rows arrive when they happened (SC-4).
    """
    fields, rows = arrived_as_it_happened(model, fields, rows)
    target, defaults = copy_target(model, fields)
    constants = [_NULL if v is None else v for v in defaults]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    count = 0
    for row in rows:
        writer.writerow([_NULL if v is None else v for v in row] + constants)
        count += 1
    buffer.seek(0)
    copy_from(f"COPY {target} FROM STDIN WITH (FORMAT csv, NULL '{_NULL}')", buffer, cursor)
    return count


def copy_from(sql: str, data: io.StringIO, cursor=None) -> None:
    """Run ``COPY … FROM STDIN`` with ``data``, on ``cursor`` (a DB-API cursor of another
    connection) or else on Django's connection."""
    if cursor is not None:
        cursor.copy_expert(sql, data)
        return
    with connection.cursor() as django_cursor:
        django_cursor.copy_expert(sql, data)


def copy_records(model: type[models.Model], fields: str, records: Iterable[tuple]) -> int:
    """``copy_rows`` for named tuples whose attribute names are the model's field names."""
    return copy_rows(model, fields, map(attrgetter(*fields.split()), records))


# ---------------------------------------------------------------------------------------------
# Promises kept by construction
# ---------------------------------------------------------------------------------------------


class WindowQuota:
    """How much of the items of one group (a seller in a marketplace) may be bad in each window
    a figure is computed over, so that a promised status holds whatever day the demo is loaded.

    The windows are ``[end - length days, end)`` for each day ``end`` in ``ends`` (the snapshot
    days). Every item's day is known before any is judged, so each window's room is known at
    once: ``share`` of its items' count (its last day left out, as a figure computed at ``end``
    may not count those yet). Items are judged in any order: one that does not ``fits`` in
    every window holding it is made good by the caller instead (weight 0, which always fits),
    then ``take`` counts it. So no window ever goes over, whatever the items judged later.
    """

    def __init__(
        self, days: Iterable[date], *, length: int, ends: Iterable[date], share: float
    ) -> None:
        self.length = length
        self.ends = sorted({end.toordinal() for end in ends})
        items = sorted(day.toordinal() for day in days)
        self.room = {
            end: share * (bisect_left(items, end - 1) - bisect_left(items, end - length))
            for end in self.ends
        }

    def _holding(self, day: date) -> list[int]:
        n = day.toordinal()
        return self.ends[bisect_right(self.ends, n) : bisect_right(self.ends, n + self.length)]

    def fits(self, day: date, weight: float = 1.0) -> bool:
        """Whether a bad item of ``weight`` on ``day`` fits in every window holding it."""
        return weight <= 0 or all(self.room[end] >= weight - 1e-9 for end in self._holding(day))

    def take(self, day: date, weight: float = 1.0) -> None:
        if weight > 0:
            for end in self._holding(day):
                self.room[end] -= weight


class Systematic:
    """Draws at a fixed rate by systematic sampling rather than coin flips: over any run of
    consecutive draws, the count of hits is the rate times the run's length, give or take one.
    So a figure over a window of draws (a rating over 4 weeks of answers) stays in its band."""

    def __init__(self, rng: random.Random, rate: float) -> None:
        self.rate = rate
        self.owed = rng.random()

    def draw(self) -> bool:
        self.owed += self.rate
        if self.owed >= 1:
            self.owed -= 1
            return True
        return False


# ---------------------------------------------------------------------------------------------
# Reference data
# ---------------------------------------------------------------------------------------------

# code, name, storefront, currency, language, price factor against USD, order id prefixes
_MARKETPLACES = [
    ("US", "United States", "www.sellercx-market.com", "USD", "en", 1.0, ("111", "113", "114")),
    ("CA", "Canada", "www.sellercx-market.ca", "CAD", "en", 1.38, ("701", "702")),
    ("FR", "France", "www.sellercx-market.fr", "EUR", "fr", 0.95, ("402", "403", "405", "407")),
    ("PL", "Poland", "www.sellercx-market.pl", "PLN", "pl", 4.1, ("406", "408")),
]

_SIZED = frozenset({"Clothing", "Baby", "Pet supplies", "Sports & Outdoors"})
_PERISHABLE = frozenset({"Health", "Beauty", "Pet supplies", "Kitchen", "Baby"})
_TECHNICAL = frozenset({"Electronics", "Automotive", "Tools", "Office"})
_HAZARD = frozenset({"Electronics", "Toys", "Baby", "Health", "Automotive", "Tools"})

PRODUCT = ReasonCode.Category.PRODUCT
DELIVERY = ReasonCode.Category.DELIVERY


class _Reason(NamedTuple):
    code: str
    label: str
    category: str
    weight: int  # how often buyers give it
    only_in: frozenset[str] | None  # the categories where it makes sense; None for all
    comments: dict[str, str]  # marketplace language -> a typical buyer comment


# fmt: off
_REASONS = [
    _Reason("DEFECTIVE", "Item defective or does not work", PRODUCT, 18, None, {
        "en": "Stopped working after two days.",
        "fr": "Ne fonctionne plus après deux jours.",
        "pl": "Przestał działać po dwóch dniach.",
    }),
    _Reason("NOT_AS_DESCRIBED", "Not as described on the listing", PRODUCT, 16, None, {
        "en": "Looks nothing like the photos in the listing.",
        "fr": "Ne ressemble pas du tout aux photos de l'annonce.",
        "pl": "Wygląda zupełnie inaczej niż na zdjęciach w ofercie.",
    }),
    _Reason("WRONG_ITEM", "Wrong item was sent", PRODUCT, 7, None, {
        "en": "I received a different item from the one I ordered.",
        "fr": "J'ai reçu un autre article que celui commandé.",
        "pl": "Otrzymałem inny produkt niż zamówiony.",
    }),
    _Reason("MISSING_PARTS", "Missing parts or accessories", PRODUCT, 6, None, {
        "en": "The box was missing the screws and the manual.",
        "fr": "Il manquait les vis et la notice dans la boîte.",
        "pl": "W pudełku brakowało śrub i instrukcji.",
    }),
    _Reason("POOR_QUALITY", "Poor quality", PRODUCT, 12, None, {
        "en": "Feels cheap, it started to fall apart within a week.",
        "fr": "Qualité médiocre, il a commencé à se défaire en une semaine.",
        "pl": "Słaba jakość, po tygodniu zaczął się rozpadać.",
    }),
    _Reason("SIZE_TOO_SMALL", "Too small", PRODUCT, 8, _SIZED, {
        "en": "Runs at least one size small.",
        "fr": "Taille au moins une taille en dessous.",
        "pl": "Rozmiar zaniżony o co najmniej jeden numer.",
    }),
    _Reason("SIZE_TOO_LARGE", "Too large", PRODUCT, 6, _SIZED, {
        "en": "Much larger than the size chart says.",
        "fr": "Beaucoup plus grand que ce qu'indique le guide des tailles.",
        "pl": "Znacznie większy, niż podaje tabela rozmiarów.",
    }),
    _Reason("STYLE_NOT_AS_EXPECTED", "Style or colour not as expected", PRODUCT, 7, None, {
        "en": "The colour is much darker than shown.",
        "fr": "La couleur est bien plus foncée que sur la photo.",
        "pl": "Kolor jest dużo ciemniejszy niż na zdjęciu.",
    }),
    _Reason("INCOMPATIBLE", "Incompatible with the buyer's device", PRODUCT, 6, _TECHNICAL, {
        "en": "Does not fit my model although the listing says it does.",
        "fr": "Incompatible avec mon modèle malgré la description.",
        "pl": "Nie pasuje do mojego modelu, choć opis twierdzi inaczej.",
    }),
    _Reason("DAMAGED_PRODUCT_PACKAGING", "Product damaged, shipping box intact", PRODUCT, 5, None, {
        "en": "The product was cracked inside an intact box.",
        "fr": "Produit fissuré alors que le carton était intact.",
        "pl": "Produkt pęknięty, choć karton był nienaruszony.",
    }),
    _Reason("SAFETY_CONCERN", "Safety concern", PRODUCT, 1, _HAZARD, {
        "en": "It gets dangerously hot after a few minutes.",
        "fr": "Il chauffe de manière inquiétante au bout de quelques minutes.",
        "pl": "Po kilku minutach niebezpiecznie się nagrzewa.",
    }),
    _Reason("EXPIRED_ITEM", "Item expired or close to expiry", PRODUCT, 2, _PERISHABLE, {
        "en": "The best-before date had already passed on arrival.",
        "fr": "La date de péremption était déjà dépassée à la réception.",
        "pl": "Data ważności minęła już w dniu dostawy.",
    }),
    _Reason("USED_OR_OPENED", "Item arrived used or opened", PRODUCT, 3, None, {
        "en": "Arrived with a broken seal and signs of use.",
        "fr": "Reçu avec l'emballage ouvert et des traces d'utilisation.",
        "pl": "Przyszedł z otwartym opakowaniem i śladami użytkowania.",
    }),
    _Reason("QUANTITY_MISMATCH", "Wrong quantity received", PRODUCT, 2, None, {
        "en": "Ordered a pack of four, received two.",
        "fr": "Commandé un lot de quatre, reçu deux.",
        "pl": "Zamówiłem zestaw czterech sztuk, dostałem dwie.",
    }),
    _Reason("LATE_DELIVERY", "Arrived late", DELIVERY, 40, None, {
        "en": "Arrived a week after the promised date.",
        "fr": "Livré une semaine après la date promise.",
        "pl": "Dotarło tydzień po obiecanym terminie.",
    }),
    _Reason("LOST_IN_TRANSIT", "Lost in transit", DELIVERY, 12, None, {
        "en": "Tracking has not moved for ten days.",
        "fr": "Le suivi n'a pas bougé depuis dix jours.",
        "pl": "Status przesyłki nie zmienił się od dziesięciu dni.",
    }),
    _Reason("CARRIER_DAMAGE", "Damaged by the carrier", DELIVERY, 30, None, {
        "en": "The box was crushed in transit and the item is broken.",
        "fr": "Colis écrasé pendant le transport, article cassé.",
        "pl": "Paczka zgnieciona w transporcie, produkt uszkodzony.",
    }),
    _Reason("UNDELIVERABLE", "Returned to sender as undeliverable", DELIVERY, 8, None, {
        "en": "The parcel was sent back before I could pick it up.",
        "fr": "Le colis a été renvoyé avant que je puisse le retirer.",
        "pl": "Paczka wróciła do nadawcy, zanim zdążyłem ją odebrać.",
    }),
    _Reason("DELIVERED_TO_WRONG_ADDRESS", "Delivered to the wrong address", DELIVERY, 10, None, {
        "en": "Marked as delivered but left at an address I do not know.",
        "fr": "Indiqué comme livré, mais déposé à une adresse inconnue.",
        "pl": "Oznaczone jako doręczone, ale zostawione pod obcym adresem.",
    }),
]

_COMMENT_ENDINGS = {
    "en": ["", "", " Very disappointed.", " Please advise.", " Not what I expected from you."],
    "fr": ["", "", " Très déçu.", " Merci de me répondre.", " Je m'attendais à mieux."],
    "pl": ["", "", " Jestem bardzo rozczarowany.", " Proszę o odpowiedź.", " Szkoda."],
}

# category -> (SKU code, adjectives, nouns, variants): titles read "Brand Adjective Noun, Variant"
# (brand and variant optional); every variant fits every noun of its category.
_CATEGORIES: dict[str, tuple[str, list[str], list[str], list[str]]] = {
    "Kitchen": ("KIT", ["Stainless Steel", "Bamboo", "Nonstick", "Professional", "Compact"], [
        "Chef's Knife", "Cutting Board", "Mixing Bowl Set", "French Press", "Cast Iron Skillet",
        "Frying Pan", "Salad Spinner", "Spice Rack", "Measuring Cup Set", "Electric Kettle",
        "Dish Drying Rack", "Knife Sharpener",
    ], ["Matte Black", "Stainless", "Set of 2", "Large", "Dishwasher Safe", ""]),
    "Electronics": ("ELE", ["Wireless", "Fast-Charging", "Ultra-Slim", "Waterproof", "Smart"], [
        "Earbuds", "Bluetooth Speaker", "USB-C Charger", "Power Bank", "Over-Ear Headphones",
        "HDMI Cable", "Smart Plug", "1080p Webcam", "Portable SSD", "Phone Stand", "Mouse",
        "Mechanical Keyboard",
    ], ["Black", "White", "Midnight Blue", "2 Pack", "Latest Model", ""]),
    "Toys": ("TOY", ["Wooden", "Educational", "Colourful", "Classic", "Montessori"], [
        "Building Blocks Set", "Jigsaw Puzzle", "Plush Bear", "Remote Control Car", "Board Game",
        "Craft Kit", "Stacking Rings", "Train Set", "Kite", "Modelling Clay Set",
    ], ["Ages 3+", "Ages 6+", "Rainbow", "Gift Box", ""]),
    "Sports & Outdoors": ("SPO", ["Lightweight", "Waterproof", "Packable", "Ultralight"], [
        "Hiking Backpack", "2-Person Tent", "Trekking Poles", "Sleeping Bag", "Yoga Mat",
        "Insulated Water Bottle", "Headlamp", "Resistance Bands", "Camping Stove", "Dry Bag",
        "Foam Roller",
    ], ["Forest Green", "Slate Grey", "Burnt Orange", "Black", "Navy", ""]),
    "Beauty": ("BEA", ["Hydrating", "Vegan", "Organic", "Gentle", "Nourishing"], [
        "Facial Cleanser", "Moisturising Cream", "Lip Balm", "Vitamin C Serum", "Body Lotion",
        "Shampoo", "Hand Cream", "Sunscreen SPF 50", "Clay Face Mask",
    ], ["50 ml", "200 ml", "Travel Size", "2 Pack", ""]),
    "Home": ("HOM", ["Cosy", "Handwoven", "Minimalist", "Scandinavian", "Linen"], [
        "Throw Blanket", "Scented Candle", "Table Lamp", "Wall Clock", "Storage Basket",
        "Bath Towel Set", "Picture Frame", "Curtain Panels", "Cushion Cover", "Doormat",
    ], ["Ivory", "Charcoal", "Sage Green", "Set of 2", "Natural", ""]),
    "Garden": ("GAR", ["Heavy-Duty", "Expandable", "Solar", "Weatherproof", "Ergonomic"], [
        "Garden Hose", "Pruning Shears", "Plant Pots", "Watering Can", "Path Lights",
        "Gardening Gloves", "Bird Feeder", "Raised Garden Bed", "Hose Nozzle",
        "Seed Starter Kit",
    ], ["Green", "Terracotta", "Set of 2", "Large", ""]),
    "Pet supplies": ("PET", ["Durable", "Orthopaedic", "Reflective", "Washable", "Automatic"], [
        "Dog Leash", "Cat Scratching Post", "Pet Bed", "Chew Toy", "Litter Mat",
        "Grooming Brush", "Pet Feeder", "Dog Harness", "Pet Water Fountain",
    ], ["Small", "Medium", "Large", "Grey", ""]),
    "Office": ("OFF", ["Ergonomic", "Recycled", "Adjustable", "Premium", "Magnetic"], [
        "Desk Organiser", "Gel Pens", "Dotted Notebook", "Stapler", "Monitor Stand",
        "Sticky Notes", "Desk Lamp", "File Folders", "Whiteboard", "Paper Shredder",
    ], ["Black", "White", "Walnut", "Pack of 3", ""]),
    "Books": ("BOO", ["Illustrated", "Pocket", "Complete", "Beginner's", "Family"], [
        "Cookbook", "Hiking Guide", "Picture Book", "Puzzle Book", "Travel Journal",
        "Colouring Book", "Field Guide to Birds", "Language Workbook",
    ], ["Paperback", "Hardcover", "2nd Edition", "Spiral-Bound"]),
    "Clothing": ("CLO", ["Merino", "Quick-Dry", "Organic Cotton", "Insulated", "Stretch"], [
        "Rain Jacket", "Fleece Pullover", "Hiking Socks", "Running Shorts", "Beanie",
        "Hiking Trousers", "Base Layer Top", "T-Shirt", "Down Vest", "Gloves",
    ], ["Men's", "Women's", "Navy", "Black", "Heather Grey", "3 Pack"]),
    "Baby": ("BAB", ["Soft", "BPA-Free", "Organic", "Hypoallergenic", "Portable"], [
        "Swaddle Blanket", "Bottle Set", "Teething Toy", "Baby Carrier", "Cot Sheet",
        "Changing Bag", "Bath Seat", "Video Baby Monitor", "Bib Set",
    ], ["Mint", "Oatmeal", "Grey", "Blush Pink", ""]),
    "Tools": ("TOO", ["Cordless", "Magnetic", "Heavy-Duty", "Compact", "Professional"], [
        "Drill Driver", "Screwdriver Set", "Tape Measure", "Socket Set", "Utility Knife",
        "Stud Finder", "LED Work Light", "Tool Bag", "Spirit Level", "Claw Hammer",
    ], ["With Carry Case", "Yellow", "Black", "Orange", ""]),
    "Health": ("HEA", ["Digital", "Rechargeable", "Sugar-Free", "Clinically Tested", "Daily"], [
        "Thermometer", "Blood Pressure Monitor", "First Aid Kit", "Pill Organiser",
        "Heating Pad", "Massage Gun", "Vitamin D3 Gummies", "Hand Sanitiser",
        "Pulse Oximeter",
    ], ["Travel Size", "For Home Use", "", ""]),
    "Automotive": ("AUT", ["Universal", "Portable", "Heavy-Duty", "Foldable", "Magnetic"], [
        "Phone Mount", "Tyre Inflator", "Dash Cam", "Jump Starter", "Seat Cover Set",
        "Microfibre Towels", "Car Vacuum", "Windscreen Sunshade", "Boot Organiser",
    ], ["Black", "Grey", "Universal Fit", "Pack of 2", ""]),
}

# USD price range of a product, by category
_PRICES = {
    "Kitchen": (9, 120), "Electronics": (8, 250), "Toys": (7, 80), "Sports & Outdoors": (12, 260),
    "Beauty": (5, 90), "Home": (9, 150), "Garden": (8, 180), "Pet supplies": (6, 110),
    "Office": (4, 160), "Books": (6, 40), "Clothing": (9, 180), "Baby": (7, 200),
    "Tools": (8, 220), "Health": (6, 120), "Automotive": (9, 160),
}
# fmt: on


class _Rates(NamedTuple):
    """Per-order probabilities of each post-order event, and of a late delivery."""

    returns: float
    refunds: float  # refunds that follow no return (partial, goodwill)
    claims: float
    chargebacks: float
    contacts: float
    late: float


_QUALITY = {
    "normal": _Rates(0.045, 0.008, 0.003, 0.0012, 0.022, 0.05),
    # Near the 1% ODR target (PM-1) without crossing it: the "at risk" seller.
    "at_risk": _Rates(0.07, 0.015, 0.0065, 0.0022, 0.04, 0.09),
    # Well over the target: the "failing" seller.
    "failing": _Rates(0.11, 0.03, 0.022, 0.008, 0.075, 0.16),
}


class DemoSeller(NamedTuple):
    slug: str
    name: str
    kind: str
    standing: str
    sku: str
    markets: tuple[tuple[str, float], ...]  # code and share of the seller's orders
    share: float  # of all orders
    generic: int  # unbranded products it lists (at scale 1)
    categories: tuple[str, ...]  # where its unbranded products come from
    owner: str  # the account admin
    quality: str
    fba: float  # share of its offers fulfilled by the marketplace
    years: float  # age of the account


PRO, IND = SellerAccount.Kind.PROFESSIONAL, SellerAccount.Kind.INDIVIDUAL
GOOD, AT_RISK = SellerAccount.Standing.GOOD, SellerAccount.Standing.AT_RISK
DEACTIVATED = SellerAccount.Standing.DEACTIVATED

_DEACTIVATED_DAYS = 120  # the deactivated account sold nothing since then

# fmt: off
SELLERS = [
    DemoSeller("northwind", "Northwind Outfitters", PRO, GOOD, "NW",
            (("US", 0.5), ("CA", 0.15), ("FR", 0.2), ("PL", 0.15)), 0.25, 70,
            ("Sports & Outdoors", "Clothing", "Kitchen", "Home"), "Ava Northwind", "normal",
            0.5, 6.5),
    DemoSeller("bluebird", "Bluebird Home Goods", PRO, GOOD, "BB",
            (("US", 0.75), ("CA", 0.25)), 0.13, 50, ("Home", "Kitchen", "Garden"),
            "Olivia Bennett", "normal", 0.4, 5.0),
    DemoSeller("maison-lumiere", "Maison Lumière SARL", PRO, GOOD, "ML",
            (("FR", 0.8), ("CA", 0.2)), 0.10, 40, ("Home", "Beauty", "Kitchen"),
            "Claire Martin", "normal", 0.35, 4.2),
    DemoSeller("kowalski", "Kowalski Electronics Sp. z o.o.", PRO, GOOD, "KE",
            (("PL", 0.6), ("FR", 0.25), ("US", 0.15)), 0.11, 50, ("Electronics", "Office"),
            "Piotr Kowalski", "normal", 0.3, 3.6),
    DemoSeller("cedar-pine", "Cedar & Pine Trading Co.", PRO, AT_RISK, "CP",
            (("US", 0.6), ("CA", 0.25), ("FR", 0.15)), 0.09, 45, ("Home", "Garden", "Tools"),
            "Daniel Reyes", "failing", 0.2, 2.8),
    DemoSeller("summit-gear", "Summit Gear Supply", PRO, GOOD, "SG",
            (("US", 0.7), ("CA", 0.3)), 0.10, 40, ("Sports & Outdoors", "Health"),
            "Hannah Fischer", "at_risk", 0.45, 3.1),
    DemoSeller("lucky-paws", "Lucky Paws Pet Co.", PRO, GOOD, "LP",
            (("US", 0.6), ("CA", 0.2), ("PL", 0.2)), 0.09, 35, ("Pet supplies",),
            "Marcus Lee", "normal", 0.5, 2.2),
    DemoSeller("greta-nowak", "Greta Nowak", IND, GOOD, "GN",
            (("PL", 0.85), ("FR", 0.15)), 0.02, 35, ("Home", "Toys", "Clothing"),
            "Greta Nowak", "normal", 0.0, 1.8),
    DemoSeller("marie-dubois", "Marie Dubois", IND, GOOD, "MD",
            (("FR", 0.85), ("CA", 0.15)), 0.02, 30, ("Beauty", "Books", "Home"),
            "Marie Dubois", "normal", 0.0, 1.5),
    DemoSeller("quickship", "QuickShip Deals LLC", PRO, DEACTIVATED, "QS",
            (("US", 0.8), ("CA", 0.2)), 0.09, 60, ("Electronics", "Home", "Automotive"),
            "Kevin Tran", "normal", 0.3, 2.5),
]
# fmt: on

# name, owner, categories, the owner holds the Brand Representative role
_BRANDS = [
    ("Northwind", "northwind", ("Sports & Outdoors", "Clothing"), True),
    ("Trailhead Supply", "northwind", ("Sports & Outdoors", "Tools"), True),
    ("Ember & Oak", "northwind", ("Kitchen", "Home"), False),
    ("Bluebird Home", "bluebird", ("Home", "Kitchen"), True),
    ("Nestwell", "bluebird", ("Home", "Baby"), True),
    ("Hearthside", "bluebird", ("Kitchen", "Garden"), True),
    ("Marigold Kids", "bluebird", ("Toys", "Baby"), True),
    ("Lumière", "maison-lumiere", ("Home", "Beauty"), True),
    ("Petit Jardin", "maison-lumiere", ("Garden", "Baby"), True),
    ("Belle Cuisine", "maison-lumiere", ("Kitchen",), True),
    ("Kestrel Audio", "kowalski", ("Electronics",), True),
    ("Voltix", "kowalski", ("Electronics", "Automotive"), True),
    ("Iskra", "kowalski", ("Tools", "Office"), True),
    ("Cedar & Pine", "cedar-pine", ("Home", "Garden"), True),
    ("Timberline", "cedar-pine", ("Tools", "Sports & Outdoors"), True),
    ("Glow & Co", "cedar-pine", ("Beauty", "Health"), False),
    ("Summit", "summit-gear", ("Sports & Outdoors",), True),
    ("Alpenglow", "summit-gear", ("Sports & Outdoors", "Clothing"), True),
    ("Ridgeline", "summit-gear", ("Health", "Sports & Outdoors"), True),
    ("Lucky Paws", "lucky-paws", ("Pet supplies",), True),
    ("Whisker & Wag", "lucky-paws", ("Pet supplies",), True),
    ("Zentro", "quickship", ("Electronics", "Office"), False),
    ("Apex Basics", "quickship", ("Home", "Health"), False),
    ("Polar Bay", "quickship", ("Toys", "Books"), False),
    ("Paperleaf", "marie-dubois", ("Office", "Books"), False),
]
# RV-3: Northwind distributes Alpenglow (owned by Summit Gear) and represents it too.
_EXTRA_REPRESENTATIVES = [("northwind", "Alpenglow")]

_FULL = {access_field(area): Access.EDIT for area in Area}
_NORTHWIND_TEAM = [
    (
        "support@northwind.example",
        "Sam Support",
        {
            **{access_field(area): Access.NONE for area in Area},
            access_field(Area.MESSAGES): Access.EDIT,
            access_field(Area.FEEDBACK): Access.EDIT,
            access_field(Area.PERFORMANCE): Access.VIEW,
        },
        "Northwind support agent: messages and feedback (edit), performance (view)",
    ),
    (
        "analyst@northwind.example",
        "Lena Analyst",
        {
            **{access_field(area): Access.NONE for area in Area},
            access_field(Area.FEEDBACK): Access.VIEW,
            access_field(Area.PERFORMANCE): Access.VIEW,
            access_field(Area.VOC): Access.VIEW,
        },
        "Northwind analyst: feedback, performance and VOC (view only)",
    ),
]


def _owner_email(slug: str) -> str:
    return f"owner@{slug}.example"


# What each seller's quality promises on Account health (the worst status of its metrics in all
# its marketplaces), and what the steps shape their data for.
PROMISED_HEALTH = {"normal": "good", "at_risk": "at_risk", "failing": "failing"}
_HEALTH_WORDS = {"good": "Good", "at_risk": "At risk", "failing": "Failing"}


class DemoLogin(NamedTuple):
    """A login ``make run`` prints. ``seller`` and ``health`` (for an account admin) are what
    the printed text promises about the account: a test holds the loaded demo to them."""

    email: str
    password: str
    about: str
    seller: str | None = None  # the seller account's name
    health: str | None = None  # its Account health: good / at_risk / failing


def _seller_login(s: DemoSeller, role: str = "account admin") -> DemoLogin:
    health = PROMISED_HEALTH[s.quality]
    # Account health never reads good for a deactivated account, whatever its metrics.
    word = "Deactivated" if s.standing == DEACTIVATED else _HEALTH_WORDS[health]
    about = f"{s.name} {role}: account health {word}"
    if health != "good":
        about += " (order defect rate)"
    if s.standing == AT_RISK:
        about += "; standing at risk, so it may not contact reviewers"
    elif s.standing == DEACTIVATED:
        about += f", no sales for {_DEACTIVATED_DAYS // 30} months"
    return DemoLogin(_owner_email(s.slug), DEMO_PASSWORD, about, s.name, health)


DEMO_LOGINS: list[DemoLogin] = [
    DemoLogin(STAFF_EMAIL, DEMO_PASSWORD, "Marketplace staff: the Django admin (/admin/)"),
    _seller_login(SELLERS[0], "account admin, every area"),
    *[DemoLogin(email, DEMO_PASSWORD, text) for email, _, _, text in _NORTHWIND_TEAM],
    *[_seller_login(s) for s in SELLERS[1:]],
]

_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
_DAY = 86_400
_HISTORY_DAYS = 456  # 15 months of orders


def _cumulative(weights: Iterable[float]) -> list[float]:
    return list(accumulate(weights))


def _pick(rng: random.Random, cum: list[float]) -> int:
    """Index drawn with the weights whose running sums are ``cum`` (fast ``choices``)."""
    return bisect(cum, rng.random() * cum[-1])


def _ago(now: datetime, days: float) -> datetime:
    return now - timedelta(seconds=int(days * _DAY))


def _later(moment: datetime, days: float) -> datetime:
    return moment + timedelta(seconds=int(days * _DAY))


def _unique_code(taken: set[str], make: Callable[[], str]) -> str:
    """A code from ``make`` that is not in ``taken`` yet (and now is)."""
    while True:
        code = make()
        if code not in taken:
            taken.add(code)
            return code


# ---------------------------------------------------------------------------------------------
# The core step
# ---------------------------------------------------------------------------------------------


@register(10, "core")
def load_core(ctx: DemoContext, progress: DemoProgress) -> None:
    """Marketplaces, sellers, users, brands, the catalogue, buyers, orders and their events."""
    progress.stage("reference data")
    _reference_data(ctx)
    progress.stage("sellers and users")
    _sellers_and_users(ctx)
    progress.stage("brands and products")
    _brands_and_products(ctx)
    progress.stage("offers")
    _offers(ctx)
    progress.stage("buyers")
    _buyers(ctx)
    progress.stage("orders")
    _orders(ctx, progress)
    progress.stage("returns, refunds, claims")
    _events(ctx, progress)


def _reference_data(ctx: DemoContext) -> None:
    # Upserts: a data migration or an admin may already have created some of these rows.
    markets = Marketplace.objects.bulk_create(
        [
            Marketplace(code=code, name=name, domain=domain, currency=cur, language=lang)
            for code, name, domain, cur, lang, _, _ in _MARKETPLACES
        ],
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=["name", "domain", "currency", "language", "is_active"],
    )
    for m in markets:
        ctx.marketplaces[m.code] = m.pk
        ctx.marketplace_codes[m.pk] = m.code
        ctx.languages[m.pk] = m.language
        ctx.currencies[m.pk] = m.currency

    reasons = ReasonCode.objects.bulk_create(
        [ReasonCode(code=r.code, label=r.label, category=r.category) for r in _REASONS],
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=["label", "category"],
    )
    for r in reasons:
        ctx.reasons[r.code] = r.pk
        (ctx.product_reason_ids if r.category == PRODUCT else ctx.delivery_reason_ids).append(r.pk)

    categories = Category.objects.bulk_create(
        [Category(name=name) for name in _CATEGORIES],
        update_conflicts=True,
        unique_fields=["name"],
        update_fields=["name"],
    )
    ctx.categories = {c.name: c.pk for c in categories}


def _sellers_and_users(ctx: DemoContext) -> None:
    rng, now = ctx.rng, ctx.now
    accounts = SellerAccount.objects.bulk_create(
        [
            SellerAccount(
                name=s.name,
                kind=s.kind,
                standing=s.standing,
                created_at=_ago(now, s.years * 365 + rng.uniform(0, 30)),
            )
            for s in SELLERS
        ]
    )
    links = []
    for s, account in zip(SELLERS, accounts, strict=True):
        ctx.sellers[s.slug] = account.pk
        ctx.seller_quality[account.pk] = s.quality
        ctx.promised_health[account.pk] = PROMISED_HEALTH[s.quality]
        ctx.seller_marketplaces[account.pk] = [ctx.marketplaces[code] for code, _ in s.markets]
        age = (now - account.created_at).days
        for code, _ in s.markets:
            # Every marketplace was joined before the order history starts.
            days = rng.uniform(_HISTORY_DAYS + 30, max(age, _HISTORY_DAYS + 31))
            links.append(
                SellerMarketplace(
                    seller=account, marketplace_id=ctx.marketplaces[code], joined_at=_ago(now, days)
                )
            )
    SellerMarketplace.objects.bulk_create(links)

    password = make_password(DEMO_PASSWORD)  # hashing is slow by design: once for all logins
    staff = User(
        email=STAFF_EMAIL,
        name="Marketplace Operator",
        is_staff=True,
        is_superuser=True,
        date_joined=_ago(now, 2400),
    )
    owner = User(email=NORTHWIND_OWNER, name="Ava Northwind", seller_id=ctx.northwind_id, **_FULL)
    team = [
        User(email=email, name=name, seller_id=ctx.northwind_id, **levels)
        for email, name, levels, _ in _NORTHWIND_TEAM
    ]
    owners = [
        User(email=_owner_email(s.slug), name=s.owner, seller_id=ctx.sellers[s.slug], **_FULL)
        for s in SELLERS[1:]
    ]
    for user in [owner, *team, *owners]:
        user.date_joined = _ago(now, rng.uniform(60, 1500))
    users = [staff, owner, *team, *owners]
    for user in users:
        user.password = password
    ctx.users = {u.email: u.pk for u in User.objects.bulk_create(users)}


def _brands_and_products(ctx: DemoContext) -> None:
    rng, now = ctx.rng, ctx.now
    brands = Brand.objects.bulk_create(
        [
            Brand(
                name=name,
                owner_id=ctx.sellers[owner],
                registered_at=_ago(now, rng.uniform(800, 2000)),
            )
            for name, owner, _, _ in _BRANDS
        ]
    )
    ctx.brands = {b.name: b.pk for b in brands}
    ctx.brand_owners = {b.pk: b.owner_id for b in brands}
    roles = [(owner, name) for name, owner, _, represented in _BRANDS if represented]
    roles += _EXTRA_REPRESENTATIVES
    BrandRepresentative.objects.bulk_create(
        [
            BrandRepresentative(
                seller_id=ctx.sellers[slug],
                brand_id=ctx.brands[name],
                granted_at=_ago(now, rng.uniform(500, 800)),
            )
            for slug, name in roles
        ]
    )
    for slug, name in roles:
        ctx.represented_brands.setdefault(ctx.sellers[slug], []).append(ctx.brands[name])

    # ~70% of products carry a brand; the seller-owned brands are the bulk of the catalogue.
    total = ctx.scaled(1500, minimum=60)
    branded = round(total * 0.7)
    plan: list[tuple[str | None, str]] = []  # (brand, category)
    for i in range(branded):
        name, _, categories, _ = _BRANDS[i % len(_BRANDS)]
        plan.append((name, rng.choice(categories)))
    category_names = list(_CATEGORIES)
    plan += [(None, rng.choice(category_names)) for _ in range(total - branded)]
    rng.shuffle(plan)

    asins: set[str] = set()
    failing_brands = {name for name, owner, _, _ in _BRANDS if owner == "cedar-pine"}
    rows = []
    for pk, (brand, category) in zip(reserve_ids(Product, len(plan)), plan, strict=True):
        asin = _unique_code(asins, lambda: "B0" + "".join(rng.choices(_ALNUM, k=8)))
        _, adjectives, nouns, variants = _CATEGORIES[category]
        variant = rng.choice(variants)
        title = " ".join(filter(None, [brand, rng.choice(adjectives), rng.choice(nouns)]))
        title += f", {variant}" if variant else ""
        brand_id = ctx.brands[brand] if brand else None
        category_id = ctx.categories[category]
        rows.append((pk, asin, title, brand_id, category_id, _ago(now, rng.uniform(500, 1500))))
        ctx.product_ids.append(pk)
        ctx.product_brand[pk] = brand_id
        ctx.product_category[pk] = category_id
        # A few products draw complaints whoever sells them; more of the failing seller's.
        if rng.random() < (0.25 if brand in failing_brands else 0.04):
            ctx.bad_product_ids.add(pk)
    copy_rows(Product, "id asin title brand category created_at", rows)


def _offers(ctx: DemoContext) -> None:
    """Each seller lists its own brands' products, the brands it represents and unbranded
    products of its categories, in each of its marketplaces."""
    rng, now = ctx.rng, ctx.now
    category_of = {pk: name for name, pk in ctx.categories.items()}
    unbranded: dict[str, list[int]] = {}
    by_brand: dict[int, list[int]] = {}
    for pk in ctx.product_ids:
        brand = ctx.product_brand[pk]
        if brand is None:
            unbranded.setdefault(category_of[ctx.product_category[pk]], []).append(pk)
        else:
            by_brand.setdefault(brand, []).append(pk)
    # The base USD price of each product, around which every seller prices it.
    base_price = {}
    for pk in ctx.product_ids:
        low, high = _PRICES[category_of[ctx.product_category[pk]]]
        base_price[pk] = math.exp(rng.uniform(math.log(low), math.log(high)))
    factor = {ctx.marketplaces[m[0]]: m[5] for m in _MARKETPLACES}

    listings = []  # (seller, marketplace, product, SKU, price, channel)
    for s in SELLERS:
        seller_id = ctx.sellers[s.slug]
        brands = {b for b, owner in ctx.brand_owners.items() if owner == seller_id}
        brands |= set(ctx.represented_brands.get(seller_id, []))
        catalogue = [pk for brand in sorted(brands) for pk in by_brand.get(brand, [])]
        pool = [pk for c in s.categories for pk in unbranded.get(c, [])]
        catalogue += rng.sample(pool, min(len(pool), ctx.scaled(s.generic, minimum=3)))
        numbers = {pk: n for n, pk in enumerate(catalogue, start=101)}
        for code, _ in s.markets:
            marketplace_id = ctx.marketplaces[code]
            for pk in [pk for pk in catalogue if rng.random() < 0.8] or catalogue:
                category = category_of[ctx.product_category[pk]]
                sku = f"{s.sku}-{_CATEGORIES[category][0]}-{numbers[pk]:05d}"
                price = base_price[pk] * factor[marketplace_id] * rng.uniform(0.9, 1.1)
                price = Decimal(max(1, round(price))) - Decimal("0.01")  # 24.99
                fba = rng.random() < s.fba
                channel = FulfilmentChannel.MARKETPLACE if fba else FulfilmentChannel.MERCHANT
                listings.append((seller_id, marketplace_id, pk, sku, price, channel))

    for pk, listing in zip(reserve_ids(Offer, len(listings)), listings, strict=True):
        seller_id, marketplace_id, product_id, sku, price, channel = listing
        offer = DemoOffer(
            id=pk,
            seller_id=seller_id,
            marketplace_id=marketplace_id,
            product_id=product_id,
            sku=sku,
            price=price,
            fulfilment_channel=channel,
            status=Offer.Status.ACTIVE,
            closed_at=None,
            closure_reason="",
            deleted_at=None,
            created_at=_ago(now, rng.uniform(_HISTORY_DAYS + 10, 900)),
            category_id=ctx.product_category[product_id],
            brand_id=ctx.product_brand[product_id],
        )
        r = rng.random()
        if r < 0.04:
            # Closed for a high NCX rate only by ``_showcase_offers``: the VOC step backs each
            # of those with the Poor or Very poor status that explains it.
            offer = offer._replace(
                status=Offer.Status.CLOSED,
                closed_at=_ago(now, rng.uniform(3, 200)),
                closure_reason=rng.choice(_CLOSURES),
            )
        elif r < 0.07:
            # VC-10: deleted within the year stays on the dashboard; older ones no longer do.
            days = rng.uniform(5, 330) if rng.random() < 0.7 else rng.uniform(370, 440)
            offer = offer._replace(status=Offer.Status.DELETED, deleted_at=_ago(now, days))
        elif r < 0.12:
            offer = offer._replace(created_at=_ago(now, rng.uniform(1, 60)))  # VC-7: new
        ctx.offers.append(offer)
    _showcase_offers(ctx)
    copy_records(Offer, _OFFER_FIELDS, ctx.offers)


_CLOSURES = [Offer.ClosureReason.SELLER] * 4 + [Offer.ClosureReason.INVENTORY] * 4
_CLOSURES += [Offer.ClosureReason.POLICY]
_OFFER_FIELDS = (
    "id seller_id marketplace_id product_id sku price fulfilment_channel status closed_at"
    " closure_reason deleted_at created_at"
)


def _showcase_offers(ctx: DemoContext) -> None:
    """Northwind, the account shown first, always has what the VOC page must demonstrate:
    offers closed for a high NCX rate (VC-9) and offers deleted recently and long ago (VC-10)."""
    now, rng = ctx.now, ctx.rng
    old = _ago(now, _HISTORY_DAYS)
    mine = [
        i
        for i, o in enumerate(ctx.offers)
        if o.seller_id == ctx.northwind_id
        and o.status == Offer.Status.ACTIVE
        and o.created_at < old
    ]
    mine.sort(key=lambda i: ctx.offers[i].product_id not in ctx.bad_product_ids)  # bad first
    groups = set()  # each in its own peer group, so the VOC step sizes one without the other
    closing = []
    for i in mine:
        group = (ctx.offers[i].category_id, ctx.offers[i].marketplace_id)
        if group not in groups and len(closing) < 2:
            groups.add(group)
            closing.append(i)
    for i in closing:
        ctx.offers[i] = ctx.offers[i]._replace(
            status=Offer.Status.CLOSED,
            closed_at=_ago(now, rng.uniform(10, 60)),
            closure_reason=Offer.ClosureReason.NCX,
        )
        ctx.bad_product_ids.add(ctx.offers[i].product_id)
    rest = [i for i in mine if i not in closing]
    for i, days in zip(rest, (40, 400), strict=False):
        ctx.offers[i] = ctx.offers[i]._replace(
            status=Offer.Status.DELETED, deleted_at=_ago(now, days)
        )


def _buyers(ctx: DemoContext) -> None:
    rng, now = ctx.rng, ctx.now
    shares = {"US": 0.45, "CA": 0.15, "FR": 0.25, "PL": 0.15}
    total = ctx.scaled(20_000, minimum=40)
    plan = [
        (ctx.marketplaces[code], max(10, round(total * share))) for code, share in shares.items()
    ]
    ids = iter(reserve_ids(Buyer, sum(n for _, n in plan)))
    rows = []
    for marketplace_id, count in plan:
        taken: set[str] = set()
        ctx.buyers[marketplace_id] = []
        for _ in range(count):
            pk = next(ids)
            external = _unique_code(taken, lambda: "A" + "".join(rng.choices(_ALNUM, k=13)))
            alias = "Buyer " + "".join(rng.choices(_ALNUM, k=6))
            opted_out = rng.random() < 0.03
            if opted_out:
                ctx.opted_out_buyer_ids.add(pk)
            created = _ago(now, rng.uniform(_HISTORY_DAYS + 1, 3000))
            rows.append((pk, marketplace_id, external, alias, opted_out, created))
            ctx.buyers[marketplace_id].append(pk)
    copy_rows(Buyer, "id marketplace external_id alias opted_out_of_solicitations created_at", rows)


def _day_weights(now: datetime, skip_days: int = 0) -> list[float]:
    """How busy each day (by age in days) is: busier lately, at weekends and before Christmas."""
    weekday = [1.0, 0.96, 0.95, 0.98, 1.04, 1.12, 1.15]
    weights = []
    for age in range(_HISTORY_DAYS):
        day = now - timedelta(days=age)
        w = (1.0 + 0.4 * (1 - age / _HISTORY_DAYS)) * weekday[day.weekday()]
        if (day.month == 11 and day.day >= 20) or (day.month == 12 and day.day <= 20):
            w *= 1.35
        weights.append(0.0 if age < skip_days else w)
    return weights


_ORDER_FIELDS = (
    "id seller_id marketplace_id buyer_id external_id status fulfilment_channel purchased_at"
    " promised_delivery_at delivered_at fully_delivered_at total do_not_solicit"
)


def _orders(ctx: DemoContext, progress: DemoProgress) -> None:
    rng, now = ctx.rng, ctx.now
    rnd = rng.random
    total = ctx.scaled(50_000, minimum=100)
    share_sum = sum(s.share for s in SELLERS)
    everyday = _cumulative(_day_weights(now))
    before_deactivation = _cumulative(_day_weights(now, _DEACTIVATED_DAYS))
    prefixes = {ctx.marketplaces[m[0]]: m[6] for m in _MARKETPLACES}
    taken: dict[int, set[str]] = {pk: set() for pk in ctx.marketplace_codes}

    # Per seller and marketplace: its offers and how popular each is (a long tail).
    pools: dict[tuple[int, int], list[DemoOffer]] = {}
    for offer in ctx.offers:
        pools.setdefault((offer.seller_id, offer.marketplace_id), []).append(offer)
    popularity = {pk: min(rng.paretovariate(1.2), 40.0) for pk in ctx.product_ids}
    weights = {
        key: _cumulative(popularity[o.product_id] * rng.uniform(0.5, 1.5) for o in pool)
        for key, pool in pools.items()
    }

    drafts = []
    for s in progress.track(SELLERS, desc="orders by seller"):
        seller_id = ctx.sellers[s.slug]
        rates = _QUALITY[s.quality]
        days = before_deactivation if s.standing == DEACTIVATED else everyday
        market_ids = [ctx.marketplaces[code] for code, _ in s.markets]
        market_cum = _cumulative(share for _, share in s.markets)
        for _ in range(max(5, round(total * s.share / share_sum))):
            marketplace_id = market_ids[_pick(rng, market_cum)]
            purchased = _ago(now, max(60 / _DAY, _pick(rng, days) + rnd()))
            pool, cum = pools[seller_id, marketplace_id], weights[seller_id, marketplace_id]
            r = rnd()
            wanted = 1 if r < 0.7 else 2 if r < 0.92 else 3
            chosen: list[DemoOffer] = []
            for _ in range(wanted * 4):
                offer = pool[_pick(rng, cum)]
                ended = offer.closed_at or offer.deleted_at
                if offer.created_at > purchased or (ended is not None and ended <= purchased):
                    continue  # not on sale then
                if offer not in chosen:
                    chosen.append(offer)
                if len(chosen) == wanted:
                    break
            if not chosen:
                continue
            lines = tuple(
                DemoLine(o.id, o.product_id, 1 if rnd() < 0.8 else rng.randint(2, 3), o.price)
                for o in chosen
            )
            buyers = ctx.buyers[marketplace_id]
            buyer_id = buyers[int(len(buyers) * rnd() ** 1.6)]  # some buyers come back often
            pre = prefixes[marketplace_id]
            external = _unique_code(
                taken[marketplace_id],
                lambda pre=pre: f"{rng.choice(pre)}-{rnd() * 1e7:07.0f}-{rnd() * 1e7:07.0f}",
            )
            channel = chosen[0].fulfilment_channel
            status, promised, delivered = _delivery(rng, now, purchased, channel, rates)
            fully = None
            if delivered and sum(line.quantity for line in lines) > 1 and rnd() < 0.12:
                fully = _later(delivered, rng.uniform(1, 5))  # FB-11: a second parcel
                fully = fully if fully <= now else None
            drafts.append(
                DemoOrder(
                    id=0,
                    seller_id=seller_id,
                    marketplace_id=marketplace_id,
                    buyer_id=buyer_id,
                    external_id=external,
                    status=status,
                    fulfilment_channel=channel,
                    purchased_at=purchased,
                    promised_delivery_at=promised,
                    delivered_at=delivered,
                    fully_delivered_at=fully,
                    total=sum((line.unit_price * line.quantity for line in lines), Decimal(0)),
                    do_not_solicit=rnd() < 0.004,
                    lines=lines,
                )
            )

    # Ids follow purchase dates, as they would in a live system.
    drafts.sort(key=attrgetter("purchased_at"))
    ctx.order_ids = reserve_ids(Order, len(drafts))
    ctx.orders = [o._replace(id=pk) for pk, o in zip(ctx.order_ids, drafts, strict=True)]
    progress.stage(f"{len(ctx.orders):,} orders")
    copy_records(Order, _ORDER_FIELDS, ctx.orders)
    copy_rows(
        OrderLine,
        "seller order offer quantity unit_price",
        (
            (o.seller_id, o.id, line.offer_id, line.quantity, line.unit_price)
            for o in ctx.orders
            for line in o.lines
        ),
    )


def _delivery(
    rng: random.Random, now: datetime, purchased: datetime, channel: str, rates: _Rates
) -> tuple[str, datetime | None, datetime | None]:
    """Status, promised date and (first) delivery date of an order placed at ``purchased``."""
    if rng.random() < 0.01:
        return Order.Status.CANCELLED, None, None
    fast = channel == FulfilmentChannel.MARKETPLACE
    promise_days = rng.randint(2, 4) if fast else rng.randint(3, 7)
    promised = _later(purchased, promise_days).replace(hour=21, minute=0, second=0)
    if promised < purchased:
        promised += timedelta(days=1)
    if rng.random() < rates.late:
        delivered = _later(promised, rng.uniform(0.5, 4))
    else:
        delivered = _later(purchased, rng.uniform(0.8, max(1.0, promise_days - 0.1)))
    if delivered <= now:
        return Order.Status.DELIVERED, promised, delivered
    if now - purchased > timedelta(hours=18):
        return Order.Status.SHIPPED, promised, None
    return Order.Status.PENDING, promised, None


_EVENT_PREFIXES = {
    Return: "RMA",
    Refund: "RFD",
    AtoZClaim: "AZC",
    Chargeback: "CBK",
    CustomerServiceContact: "CSC",
}


class _Events:
    """The rows of the five post-order event tables, with marketplace-unique external ids."""

    def __init__(self, ctx: DemoContext) -> None:
        self.ctx = ctx
        self.rows: dict[type[models.Model], list[tuple[Any, ...]]] = {}
        self.fields: dict[type[models.Model], list[str]] = {}
        self.taken: dict[tuple[type[models.Model], int], set[str]] = {}
        self.comments = {ctx.reasons[r.code]: r.comments for r in _REASONS}

    def comment(self, order: DemoOrder, reason_id: int | None, chance: float) -> str:
        """A buyer comment in the marketplace's language, for some of the events."""
        rng = self.ctx.rng
        if reason_id is None or rng.random() >= chance:
            return ""
        language = self.ctx.languages[order.marketplace_id]
        texts = self.comments[reason_id]
        endings = _COMMENT_ENDINGS.get(language, _COMMENT_ENDINGS["en"])
        return texts.get(language, texts["en"]) + rng.choice(endings)

    def add(
        self,
        model: type[models.Model],
        order: DemoOrder,
        occurred: datetime,
        comment: str = "",
        **values: Any,
    ) -> None:
        rng = self.ctx.rng
        prefix = _EVENT_PREFIXES[model]
        external = _unique_code(
            self.taken.setdefault((model, order.marketplace_id), set()),
            lambda: f"{prefix}-{rng.randrange(10**10):010d}",
        )
        names = self.fields.setdefault(model, [*_EVENT_FIELDS, *values])[len(_EVENT_FIELDS) :]
        common = (order.seller_id, order.marketplace_id, order.id, external, occurred, comment)
        self.rows.setdefault(model, []).append((*common, *(values[name] for name in names)))

    def write(self) -> None:
        for model, rows in self.rows.items():
            copy_rows(model, self.fields[model], rows)


_EVENT_FIELDS = ["seller", "marketplace", "order", "external_id", "occurred_at", "comment"]


def _events(ctx: DemoContext, progress: DemoProgress) -> None:
    """Returns, refunds, A-to-z claims, chargebacks and customer-service contacts.

    Rates follow each seller's quality; bad products and offers closed for NCX draw
    product-related complaints with one dominant reason, so VOC has something to find."""
    rng, now = ctx.rng, ctx.now
    rnd = rng.random
    events = _Events(ctx)
    category_of = {pk: name for name, pk in ctx.categories.items()}
    reason_weights: dict[str, tuple[list[int], list[float]]] = {}
    for name in _CATEGORIES:
        eligible = [
            r for r in _REASONS if r.category == PRODUCT and (not r.only_in or name in r.only_in)
        ]
        reason_weights[name] = (
            [ctx.reasons[r.code] for r in eligible],
            _cumulative(r.weight for r in eligible),
        )
    delivery = [r for r in _REASONS if r.category == DELIVERY]
    delivery_ids = [ctx.reasons[r.code] for r in delivery]
    delivery_cum = _cumulative(r.weight for r in delivery)
    late_id, lost_id = ctx.reasons["LATE_DELIVERY"], ctx.reasons["LOST_IN_TRANSIT"]
    # Each bad product has the complaint buyers keep making about it (VC-1's "most common").
    signature = {}
    for pk in sorted(ctx.bad_product_ids):
        ids, cum = reason_weights[category_of[ctx.product_category[pk]]]
        signature[pk] = ids[_pick(rng, cum)]
    ncx_closed = {o.id for o in ctx.offers if o.closure_reason == Offer.ClosureReason.NCX}

    def product_reason(line: DemoLine) -> int:
        if line.product_id in signature and rnd() < 0.6:
            return signature[line.product_id]
        ids, cum = reason_weights[category_of[ctx.product_category[line.product_id]]]
        return ids[_pick(rng, cum)]

    def delivery_reason() -> int:
        return delivery_ids[_pick(rng, delivery_cum)]

    def badness(line: DemoLine) -> float:
        if line.offer_id in ncx_closed:
            return 5.0
        return 3.0 if line.product_id in ctx.bad_product_ids else 1.0

    # Claims and chargebacks are order defects (PM-1): drawn by systematic sampling per seller,
    # marketplace and channel rather than by coin flips, so a small seller's ODR is not noise.
    owed: dict[tuple[Any, ...], float] = {}

    def due(model: type[models.Model], order: DemoOrder, chance: float) -> bool:
        key = (model, order.seller_id, order.marketplace_id, order.fulfilment_channel)
        total = owed.get(key, rnd()) + chance
        owed[key] = total - 1 if total >= 1 else total
        return total >= 1

    cent = Decimal("0.01")
    for order in progress.track(ctx.orders, desc="post-order events"):
        rates = _QUALITY[ctx.seller_quality[order.seller_id]]
        if order.status == Order.Status.CANCELLED:
            if rnd() < rates.contacts:
                occurred = min(now, _later(order.purchased_at, rng.uniform(0.05, 2)))
                reason = delivery_reason()
                comment = events.comment(order, reason, 0.3)
                events.add(
                    CustomerServiceContact, order, occurred, comment, offer=None, reason=reason
                )
            continue
        worst = max(order.lines, key=badness)
        bad = badness(worst)
        promised = order.promised_delivery_at
        late = promised is not None and (order.delivered_at or now) > promised
        arrived = order.fully_delivered_at or order.delivered_at
        returned: tuple[DemoLine, int, int, datetime] | None = None

        # Returns: only of what arrived; 80% for product reasons, more for bad products.
        if arrived is not None and rnd() < rates.returns * bad:
            line = worst if bad > 1 else rng.choice(order.lines)
            occurred = _later(arrived, rng.uniform(1, 30))
            if occurred <= now:
                product = rnd() < (0.9 if bad > 1 else 0.8)
                reason = product_reason(line) if product else delivery_reason()
                quantity = rng.randint(1, line.quantity)
                comment = events.comment(order, reason, 0.6)
                events.add(
                    Return,
                    order,
                    occurred,
                    comment,
                    offer=line.offer_id,
                    quantity=quantity,
                    reason=reason,
                )
                returned = (line, quantity, reason, occurred)

        # Refunds: most returns are refunded; a few refunds (partial, goodwill) follow none.
        if returned is not None and rnd() < 0.65:
            line, quantity, reason, after = returned
            occurred = _later(after, rng.uniform(1, 10))
            if occurred <= now:
                events.add(
                    Refund,
                    order,
                    occurred,
                    offer=line.offer_id,
                    amount=line.unit_price * quantity,
                    status=_refund_status(rng, now, occurred),
                    reason=reason,
                )
        elif rnd() < rates.refunds * (1 + (bad - 1) / 2):
            occurred = _later(order.purchased_at, rng.uniform(2, 40))
            if occurred <= now:
                line = rng.choice(order.lines)
                share = Decimal(rng.choice([10, 15, 20, 25, 30, 50])) / 100
                reason, offer_id = None, None
                if rnd() < 0.7:
                    reason = product_reason(line) if rnd() < 0.75 else late_id
                    offer_id = line.offer_id
                events.add(
                    Refund,
                    order,
                    occurred,
                    events.comment(order, reason, 0.2),
                    offer=offer_id,
                    amount=max(cent, (order.total * share).quantize(cent)),
                    status=_refund_status(rng, now, occurred),
                    reason=reason,
                )

        # A-to-z claims: after the promised date, for items not received or not as described.
        if due(AtoZClaim, order, rates.claims * (1.5 if late else 1.0) * (1 + (bad - 1) / 4)):
            occurred = _later(promised or order.purchased_at, rng.uniform(1, 30))
            if occurred <= now:
                r = rnd()
                if r < 0.5 and arrived is None:
                    reason = lost_id
                elif r < 0.5:
                    reason = late_id if late else delivery_reason()
                else:
                    reason = product_reason(worst) if r < 0.9 else None
                events.add(
                    AtoZClaim,
                    order,
                    occurred,
                    events.comment(order, reason, 0.4),
                    amount=order.total,
                    status=_claim_status(rng, now, occurred),
                    reason=reason,
                )

        if due(Chargeback, order, rates.chargebacks):
            occurred = _later(order.purchased_at, rng.uniform(15, 75))
            if occurred <= now:
                status = _chargeback_status(rng, now, occurred)
                events.add(Chargeback, order, occurred, amount=order.total, status=status)

        # Customer-service contacts: "where is my order?" when late, else about the item.
        if rnd() < rates.contacts * (3 if late else 1) * (1 + (bad - 1) / 2):
            occurred = _later(order.purchased_at, rng.uniform(0.1, 20))
            if occurred <= now:
                if late and rnd() < 0.7:
                    reason = late_id
                else:
                    reason = product_reason(worst) if rnd() < 0.55 else delivery_reason()
                events.add(
                    CustomerServiceContact,
                    order,
                    occurred,
                    events.comment(order, reason, 0.6),
                    offer=worst.offer_id if rnd() < 0.85 else None,
                    reason=reason,
                )
    events.write()


def _refund_status(rng: random.Random, now: datetime, occurred: datetime) -> str:
    if now - occurred < timedelta(days=7) and rng.random() < 0.5:
        return Refund.Status.PENDING
    return Refund.Status.DECLINED if rng.random() < 0.03 else Refund.Status.COMPLETED


def _claim_status(rng: random.Random, now: datetime, occurred: datetime) -> str:
    if now - occurred < timedelta(days=20) and rng.random() < 0.7:
        return AtoZClaim.Status.OPEN
    r = rng.random()
    if r < 0.47:
        return AtoZClaim.Status.GRANTED
    if r < 0.78:
        return AtoZClaim.Status.DENIED
    return AtoZClaim.Status.WITHDRAWN if r < 0.97 else AtoZClaim.Status.OPEN


def _chargeback_status(rng: random.Random, now: datetime, occurred: datetime) -> str:
    if now - occurred < timedelta(days=30):
        return Chargeback.Status.OPEN
    return Chargeback.Status.UPHELD if rng.random() < 0.55 else Chargeback.Status.REVERSED


# ---------------------------------------------------------------------------------------------
# Audit log (issue #9): Northwind's activity, derived from what the steps before wrote
# ---------------------------------------------------------------------------------------------


def _audit_entries(ctx: DemoContext) -> Iterator:
    """What the services would have logged had Northwind's team done it through the dashboard:
    adding the team, permission changes, replies, removal requests and decisions, contacts and
    messages. Read back from the tables (ids only), after every app's step has run."""
    from feedback.models import FeedbackReply, RemovalRequest
    from messaging.models import Message
    from reviews.models import CustomerContact

    action = AuditEntry.Action
    rng = random.Random(SEED + 9)  # its own stream: the other steps' data stays the same
    seller = ctx.northwind_id
    emails = {pk: email for email, pk in ctx.users.items()}
    owner = ctx.users[NORTHWIND_OWNER]

    def entry(kind, actor_id, at, object_type, object_id, summary, changes=None):
        return AuditEntry(
            seller_id=seller,
            actor_id=actor_id,
            actor_label=emails.get(actor_id, ""),
            action=kind,
            object_type=object_type,
            object_id=str(object_id),
            summary=summary[:300],
            changes=changes or {},
            ip_address=f"198.51.100.{rng.randint(2, 250)}" if actor_id else None,
            created_at=at,
        )

    for email, _, levels, _ in _NORTHWIND_TEAM:
        member = ctx.users[email]
        joined = User.objects.only("date_joined").get(pk=member).date_joined
        after = {field.removesuffix("_access"): int(level) for field, level in levels.items()}
        yield entry(
            action.USER_CREATED,
            owner,
            joined,
            "sellercx.user",
            member,
            f"Added {email}",
            {"after": after},
        )
        if after.get("feedback") == Access.EDIT:
            yield entry(
                action.USER_PERMISSIONS_CHANGED,
                owner,
                _later(joined, 3),
                "sellercx.user",
                member,
                f"Permissions of {email}: feedback",
                {"before": {"feedback": Access.VIEW}, "after": {"feedback": Access.EDIT}},
            )
    replies = FeedbackReply.objects.filter(seller_id=seller).values_list(
        "feedback_id", "author_id", "created_at", "feedback__order__external_id"
    )
    for feedback_id, author, at, order in replies:
        yield entry(
            action.FEEDBACK_REPLIED,
            author,
            at,
            "feedback.feedback",
            feedback_id,
            f"Public reply to feedback on order {order}",
        )
    removals = RemovalRequest.objects.filter(seller_id=seller).values_list(
        "pk", "requested_by_id", "requested_at", "ground", "status", "decided_by_id", "decided_at"
    )
    for pk, by, at, ground, status, decided_by, decided_at in removals:
        yield entry(
            action.FEEDBACK_REMOVAL_REQUESTED,
            by,
            at,
            "feedback.removalrequest",
            pk,
            f"Removal of feedback requested: {ground}",
            {"after": {"ground": ground}},
        )
        if decided_at is not None:
            yield entry(
                action.FEEDBACK_REMOVAL_DECIDED,
                decided_by,
                decided_at,
                "feedback.removalrequest",
                pk,
                f"Removal request decided: {status}",
                {"before": {"status": "pending"}, "after": {"status": status}},
            )
    contacts = CustomerContact.objects.filter(seller_id=seller).values_list(
        "pk", "sent_by_id", "created_at", "review_id", "reason"
    )
    for pk, by, at, review, reason in contacts:
        yield entry(
            action.CUSTOMER_CONTACTED,
            by,
            at,
            "reviews.customercontact",
            pk,
            f"Buyer of review {review} contacted: {reason}",
            {"after": {"reason": reason}},
        )
    messages = Message.objects.filter(seller_id=seller, direction="seller").values_list(
        "pk", "author_id", "sent_at", "conversation_id"
    )
    for pk, author, at, conversation in messages:
        yield entry(
            action.MESSAGE_SENT,
            author,
            at,
            "messaging.message",
            pk,
            f"Reply in conversation {conversation}",
        )


@register(90, "audit", marker=AuditEntry)
def load_audit(ctx: DemoContext, progress: DemoProgress) -> None:
    progress.stage("audit log")
    AuditEntry.objects.bulk_create(_audit_entries(ctx), batch_size=2000)
