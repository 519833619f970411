"""The shared core (SPEC §1, §7): marketplaces, seller accounts and their users, brands, the
catalogue, offers, orders and the post-order events every feature reads.

Every row that belongs to a seller carries ``seller_id`` and its hot indexes start with it, so
the data can be filtered, isolated and later distributed by seller.
"""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Now
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .permissions import Access, Area, access_field

MONEY = {"max_digits": 12, "decimal_places": 2}

# The foreign keys of a recompute's output (ratings, snapshots, CX figures): Django still
# cascades and protects on delete, but the database checks no constraint. Every row is written
# by a statement that reads its keys from the very tables they point to, and the check cost a
# quarter of the weekly VOC recompute and of the rating (a trigger and a row lock on the
# referenced offer, seller and marketplace, per row written; #8, docs/performance.md).
DERIVED_KEY = {"db_constraint": False}


class Marketplace(models.Model):
    """A country site. Everything a buyer says belongs to one marketplace (FB-10)."""

    code = models.CharField(_("code"), max_length=2, unique=True, help_text=_("e.g. US, FR"))
    name = models.CharField(_("name"), max_length=80)
    domain = models.CharField(_("storefront domain"), max_length=120)
    currency = models.CharField(_("currency"), max_length=3)
    language = models.CharField(_("language"), max_length=8, help_text=_("e.g. en, fr, pl"))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("marketplace")
        verbose_name_plural = _("marketplaces")
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=r"^[A-Z]{2}$"), name="marketplace_code_is_country"
            ),
            models.CheckConstraint(
                condition=Q(currency__regex=r"^[A-Z]{3}$"), name="marketplace_currency_iso"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.display_name} ({self.code})"

    @property
    def display_name(self) -> str:
        """UX-3: the marketplace's name in the reader's language (its stored name is the
        operator's, in English); a marketplace the catalogue does not know keeps that name."""
        name = COUNTRY_NAMES.get(self.code)
        return str(name) if name is not None else self.name


# UX-3: marketplace names in the reader's language, by ISO country code (the marketplaces an
# operator may open; one more is one line and its translations).
COUNTRY_NAMES = {
    "AE": _("United Arab Emirates"),
    "AU": _("Australia"),
    "BE": _("Belgium"),
    "BR": _("Brazil"),
    "CA": _("Canada"),
    "DE": _("Germany"),
    "EG": _("Egypt"),
    "ES": _("Spain"),
    "FR": _("France"),
    "GB": _("United Kingdom"),
    "IE": _("Ireland"),
    "IN": _("India"),
    "IT": _("Italy"),
    "JP": _("Japan"),
    "MX": _("Mexico"),
    "NL": _("Netherlands"),
    "PL": _("Poland"),
    "SA": _("Saudi Arabia"),
    "SE": _("Sweden"),
    "SG": _("Singapore"),
    "TR": _("Turkey"),
    "UK": _("United Kingdom"),
    "US": _("United States"),
    "ZA": _("South Africa"),
}


class SellerAccount(models.Model):
    class Kind(models.TextChoices):
        INDIVIDUAL = "individual", _("Individual")
        PROFESSIONAL = "professional", _("Professional")

    class Standing(models.TextChoices):
        GOOD = "good", _("Good standing")
        AT_RISK = "at_risk", _("At risk")
        DEACTIVATED = "deactivated", _("Deactivated")

    name = models.CharField(_("business name"), max_length=200)
    kind = models.CharField(_("account type"), max_length=12, choices=Kind.choices)
    standing = models.CharField(
        _("standing"), max_length=12, choices=Standing.choices, default=Standing.GOOD
    )
    marketplaces = models.ManyToManyField(
        Marketplace, through="SellerMarketplace", related_name="sellers", blank=True
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("seller account")
        verbose_name_plural = _("seller accounts")

    def __str__(self) -> str:
        return self.name


class SellerMarketplace(models.Model):
    """The marketplaces a seller account sells in."""

    seller = models.ForeignKey(SellerAccount, on_delete=models.CASCADE)
    marketplace = models.ForeignKey(Marketplace, on_delete=models.PROTECT)
    joined_at = models.DateTimeField(_("selling since"), default=timezone.now)

    class Meta:
        verbose_name = _("marketplace of a seller")
        verbose_name_plural = _("marketplaces of a seller")
        constraints = [
            models.UniqueConstraint(
                fields=["seller", "marketplace"], name="seller_marketplace_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.seller} in {self.marketplace.code}"


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **fields) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **fields) -> User:
        fields.setdefault("is_staff", False)
        fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **fields)

    def create_superuser(self, email: str, password: str | None = None, **fields) -> User:
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **fields)


def _access_field(area: Area) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        Area(area).label, choices=Access.choices, default=Access.NONE
    )


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in. Seller users belong to exactly one seller account and carry one
    access level per area (AC-2); marketplace staff have no account and use the admin."""

    email = models.EmailField(_("e-mail address"), unique=True)
    name = models.CharField(_("name"), max_length=150, blank=True)
    seller = models.ForeignKey(
        SellerAccount,
        verbose_name=_("seller account"),
        on_delete=models.CASCADE,
        related_name="users",
        null=True,
        blank=True,
    )
    is_staff = models.BooleanField(
        _("marketplace staff"),
        default=False,
        help_text=_("Operator staff: may sign in to the admin."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    last_marketplace = models.CharField(
        _("last marketplace"),
        max_length=3,
        blank=True,
        default="",
        editable=False,
        help_text=_("The marketplace the user chose last (a code, or ALL): where they land."),
    )

    feedback_access = _access_field(Area.FEEDBACK)
    reviews_access = _access_field(Area.REVIEWS)
    messages_access = _access_field(Area.MESSAGES)
    performance_access = _access_field(Area.PERFORMANCE)
    voc_access = _access_field(Area.VOC)
    users_access = _access_field(Area.USERS)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        ordering = ["email"]
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=Q(is_staff=True) | Q(seller__isnull=False),
                name="user_is_staff_or_belongs_to_seller",
            ),
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{access_field(area)}__lte": Access.EDIT}),
                    name=f"user_{area.value}_access_level",
                )
                for area in Area
            ],
        ]

    def __str__(self) -> str:
        return self.name or self.email

    def get_full_name(self) -> str:
        return self.name or self.email

    def get_short_name(self) -> str:
        return self.name.split(" ")[0] if self.name else self.email

    def access(self, area: Area | str) -> Access:
        """The level this user has in an area; no seller account means no seller area."""
        if self.seller_id is None or not self.is_active:
            return Access.NONE
        return Access(getattr(self, access_field(area)))

    def can(self, area: Area | str, level: Access = Access.VIEW) -> bool:
        return self.access(area) >= level

    @property
    def is_account_admin(self) -> bool:
        """AC-3: the account admin is whoever may edit User permissions."""
        return self.can(Area.USERS, Access.EDIT)


class Brand(models.Model):
    """A brand in the brand registry, owned by one seller account."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    owner = models.ForeignKey(
        SellerAccount, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="brands"
    )
    registered_at = models.DateTimeField(_("registered"), default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("brand")
        verbose_name_plural = _("brands")

    def __str__(self) -> str:
        return self.name


class BrandRepresentative(models.Model):
    """The Brand Representative role of a seller account for one brand (RV-3, RV-4c)."""

    seller = models.ForeignKey(SellerAccount, on_delete=models.CASCADE, related_name="brand_roles")
    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="representatives")
    granted_at = models.DateTimeField(_("granted"), default=timezone.now)

    class Meta:
        verbose_name = _("brand representative")
        verbose_name_plural = _("brand representatives")
        constraints = [
            models.UniqueConstraint(fields=["seller", "brand"], name="brand_representative_unique")
        ]

    def __str__(self) -> str:
        return f"{self.seller} represents {self.brand}"


class Buyer(models.Model):
    """A buyer, pseudonymous and per marketplace: sellers never see a real name or address."""

    marketplace = models.ForeignKey(Marketplace, on_delete=models.PROTECT)
    external_id = models.CharField(_("marketplace buyer id"), max_length=64)
    alias = models.CharField(_("display name"), max_length=64)
    opted_out_of_solicitations = models.BooleanField(_("opted out of solicitations"), default=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("buyer")
        verbose_name_plural = _("buyers")
        constraints = [
            models.UniqueConstraint(
                fields=["marketplace", "external_id"], name="buyer_external_id_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.alias} ({self.marketplace.code})"


class Category(models.Model):
    """A browse category; similar offers (VC-5) share a category and a marketplace."""

    name = models.CharField(_("name"), max_length=120, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self) -> str:
        return self.name


class Product(models.Model):
    asin = models.CharField(_("ASIN"), max_length=10, unique=True)
    title = models.CharField(_("title"), max_length=300)
    brand = models.ForeignKey(
        Brand, on_delete=models.PROTECT, related_name="products", null=True, blank=True
    )
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="products")
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["asin"]
        verbose_name = _("product")
        verbose_name_plural = _("products")
        constraints = [
            models.CheckConstraint(condition=Q(asin__regex=r"^[A-Z0-9]{10}$"), name="product_asin")
        ]

    def __str__(self) -> str:
        return f"{self.asin} {self.title}"


class FulfilmentChannel(models.TextChoices):
    MERCHANT = "merchant", _("Merchant fulfilled")
    MARKETPLACE = "marketplace", _("Fulfilled by the marketplace")


class Offer(models.Model):
    """A seller's listing of a product in one marketplace."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        CLOSED = "closed", _("Closed")
        DELETED = "deleted", _("Listing deleted")

    class ClosureReason(models.TextChoices):
        NCX = "ncx", _("High negative customer experience rate")
        SELLER = "seller", _("Closed by the seller")
        POLICY = "policy", _("Policy violation")
        INVENTORY = "inventory", _("Out of stock")

    seller = models.ForeignKey(SellerAccount, on_delete=models.CASCADE, related_name="offers")
    marketplace = models.ForeignKey(Marketplace, on_delete=models.PROTECT)
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="offers")
    # VC-5: the product's category, copied by database triggers (migration 0009) whatever
    # writes the offer or changes the product, so a peer group's offers (category ×
    # marketplace) are one index range instead of a scan of every offer and product (#8).
    category = models.ForeignKey(
        "Category",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        editable=False,
        db_index=False,
    )
    sku = models.CharField(_("SKU"), max_length=40)
    price = models.DecimalField(_("price"), **MONEY)
    fulfilment_channel = models.CharField(
        _("fulfilment"), max_length=12, choices=FulfilmentChannel.choices
    )
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.ACTIVE
    )
    do_not_solicit = models.BooleanField(
        _("do not solicit"),
        default=False,
        help_text=_("FB-11: bulk review requests skip orders of this SKU."),
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closure_reason = models.CharField(
        _("closure reason"), max_length=12, choices=ClosureReason.choices, blank=True
    )
    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        constraints = [
            models.UniqueConstraint(
                fields=["seller", "marketplace", "sku"], name="offer_sku_unique_per_seller"
            ),
            models.CheckConstraint(condition=Q(price__gte=0), name="offer_price_not_negative"),
            models.CheckConstraint(
                condition=~Q(status="closed") | Q(closed_at__isnull=False, closure_reason__gt=""),
                name="offer_closed_has_date_and_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status="deleted") | Q(deleted_at__isnull=False),
                name="offer_deleted_has_date",
            ),
        ]
        indexes = [
            models.Index(
                fields=["seller", "marketplace", "status"], name="offer_seller_mkt_status"
            ),
            models.Index(fields=["marketplace", "product"], name="offer_mkt_product"),
            # The API pages the seller's offers newest first by cursor (VC-1, #8).
            models.Index(fields=["seller", "-id"], name="offer_seller_newest_first"),
            models.Index(
                fields=["marketplace", "category"],
                include=["id", "seller", "product", "deleted_at"],
                name="offer_peer_group",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sku} ({self.marketplace_id})"


class Order(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SHIPPED = "shipped", _("Shipped")
        DELIVERED = "delivered", _("Delivered")
        CANCELLED = "cancelled", _("Cancelled")

    # Seller and marketplace: no index of their own, the composite indexes below lead with
    # them; every index is written for every order ingested (#8).
    seller = models.ForeignKey(
        SellerAccount,
        verbose_name=_("seller of record"),
        on_delete=models.CASCADE,
        related_name="orders",
        db_index=False,
    )
    marketplace = models.ForeignKey(Marketplace, on_delete=models.PROTECT, db_index=False)
    buyer = models.ForeignKey(Buyer, on_delete=models.PROTECT, related_name="orders")
    external_id = models.CharField(_("order id"), max_length=64)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    fulfilment_channel = models.CharField(
        _("fulfilment"), max_length=12, choices=FulfilmentChannel.choices
    )
    purchased_at = models.DateTimeField(_("purchase date"))
    promised_delivery_at = models.DateTimeField(_("promised delivery"), null=True, blank=True)
    # FB-11: an order delivered in parts has a first and a last delivery.
    delivered_at = models.DateTimeField(_("delivered (first part)"), null=True, blank=True)
    fully_delivered_at = models.DateTimeField(_("delivered (last part)"), null=True, blank=True)
    total = models.DecimalField(_("order total"), **MONEY)
    do_not_solicit = models.BooleanField(_("do not solicit"), default=False)
    # SC-4: when the order first reached SellerCX, whatever its purchase date (a storefront
    # may deliver late or backfill); a resend keeps it. A recompute of a period counts only
    # what had arrived by its start.
    received_at = models.DateTimeField(_("received"), db_default=Now(), editable=False)

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        constraints = [
            models.UniqueConstraint(
                fields=["marketplace", "external_id"], name="order_external_id_unique"
            ),
            models.CheckConstraint(condition=Q(total__gte=0), name="order_total_not_negative"),
            models.CheckConstraint(
                condition=Q(delivered_at__isnull=True) | Q(delivered_at__gte=F("purchased_at")),
                name="order_delivered_after_purchase",
            ),
            models.CheckConstraint(
                condition=Q(fully_delivered_at__isnull=True)
                | Q(delivered_at__isnull=False, fully_delivered_at__gte=F("delivered_at")),
                name="order_last_delivery_after_first",
            ),
        ]
        indexes = [
            models.Index(
                fields=["seller", "marketplace", "-purchased_at"], name="order_seller_mkt_date"
            ),
            # The orders list of the whole account (API, all marketplaces), newest first; its
            # INCLUDE columns let the metrics recompute read a seller's orders of a window from
            # the index alone, with no random heap read per order (PM-1, #8).
            models.Index(
                fields=["seller", "-purchased_at", "-id"],
                include=["marketplace", "fulfilment_channel", "status", "received_at"],
                name="order_seller_date_cover",
            ),
        ]

    def __str__(self) -> str:
        return self.external_id


class OrderLine(models.Model):
    # Seller and order: indexed by ``order_line_seller_offer_cover``, ``order_line_unique_offer``.
    seller = models.ForeignKey(SellerAccount, on_delete=models.CASCADE, db_index=False)
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines", db_index=False)
    # Indexed by ``order_line_offer_window`` (it starts with the offer).
    offer = models.ForeignKey(
        Offer, on_delete=models.PROTECT, related_name="order_lines", db_index=False
    )
    quantity = models.PositiveIntegerField(_("quantity"))
    unit_price = models.DecimalField(_("unit price"), **MONEY)
    # VC-2: the order's purchase date, copied by database triggers (migration 0005) whatever
    # writes the lines or changes the order, so an offer's orders of a window are one index
    # range instead of a lookup of every order the offer ever had.
    purchased_at = models.DateTimeField(_("purchased"), null=True, blank=True, editable=False)
    # VC-2: whether the order is cancelled (such orders never count), copied by the same
    # triggers (migration 0013), so the recompute needs no lookup of the order either (#8).
    order_cancelled = models.BooleanField(_("order cancelled"), db_default=False, editable=False)
    # VC-3: one bit for each source of negative experiences (``voc.recomputes.SOURCE_BITS``)
    # with a row on this line's order, set by database triggers (voc 0006) whatever writes the
    # line or the source, so the VOC recompute looks a source up only for the orders that have
    # rows in it, from the index it reads the lines from (#8). A bit says "look", never what
    # counts: a row that stops counting (or goes) may leave its bit set.
    experience_sources = models.PositiveSmallIntegerField(
        _("experience sources"), db_default=0, editable=False
    )
    # SC-4: the order's ``received_at``, copied by the triggers of migration 0005 (0017), so
    # the VOC recompute reads it with the line (a resent order's lines are written again: their
    # own arrival would be the resend's).
    received_at = models.DateTimeField(_("order received"), db_default=Now(), editable=False)

    class Meta:
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        constraints = [
            models.UniqueConstraint(fields=["order", "offer"], name="order_line_unique_offer"),
            models.CheckConstraint(condition=Q(quantity__gte=1), name="order_line_quantity"),
            models.CheckConstraint(condition=Q(unit_price__gte=0), name="order_line_price"),
        ]
        indexes = [
            # Covering: an offer's orders (VOC comments, VC-3) from the index alone (#8).
            models.Index(
                fields=["seller", "offer"], include=["order"], name="order_line_seller_offer_cover"
            ),
            models.Index(
                fields=["offer", "purchased_at"],
                include=["order", "experience_sources", "order_cancelled", "received_at"],
                name="order_line_offer_window",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.offer_id}"

    @property
    def amount(self):
        return self.unit_price * self.quantity


class ReasonCode(models.Model):
    """Why a buyer returned, asked for a refund or contacted the seller. VC-4: each code is
    either product/offer-related (counts toward NCX) or delivery-related (does not)."""

    class Category(models.TextChoices):
        PRODUCT = "product", _("Product or offer")
        DELIVERY = "delivery", _("Delivery")

    code = models.CharField(_("code"), max_length=40, unique=True)
    label = models.CharField(_("label"), max_length=120)
    category = models.CharField(_("category"), max_length=10, choices=Category.choices)

    class Meta:
        ordering = ["code"]
        verbose_name = _("reason code")
        verbose_name_plural = _("reason codes")
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=r"^[A-Z][A-Z0-9_]*$"), name="reason_code"
            )
        ]

    def __str__(self) -> str:
        return self.label


class OrderEvent(models.Model):
    """What happens to an order after it is placed. Stored once per marketplace id (API-6)."""

    seller = models.ForeignKey(SellerAccount, on_delete=models.CASCADE, related_name="+")
    marketplace = models.ForeignKey(Marketplace, on_delete=models.PROTECT, related_name="+")
    # Indexed by each kind's own index on the order (``Meta.indexes``): the VOC sources' hold
    # what the recompute reads of them.
    order = models.ForeignKey(
        Order, on_delete=models.CASCADE, related_name="%(class)ss", db_index=False
    )
    external_id = models.CharField(_("marketplace id"), max_length=64)
    occurred_at = models.DateTimeField(_("date"))
    comment = models.TextField(_("buyer comment"), blank=True)
    # SC-4: when the event first reached SellerCX, whatever its date (a storefront may deliver
    # late or backfill); a resend keeps it. A recompute of a period counts only what had
    # arrived by its start.
    received_at = models.DateTimeField(_("received"), db_default=Now(), editable=False)

    class Meta:
        abstract = True
        constraints = [
            models.UniqueConstraint(
                fields=["marketplace", "external_id"], name="%(class)s_external_id_unique"
            )
        ]
        indexes = [
            models.Index(fields=["seller", "marketplace", "occurred_at"], name="%(class)s_seller"),
            models.Index(fields=["order"], name="%(class)s_order"),
        ]

    def __str__(self) -> str:
        return self.external_id


def experience_indexes(prefix: str) -> list[models.Index]:
    """The indexes of a source of negative experiences (VC-3): by order, with what the VOC
    recompute reads of it, so each window order is looked up in the index alone, not in the
    table (#8); it takes the place of the plain index on the order."""
    return [
        OrderEvent.Meta.indexes[0],
        models.Index(
            fields=["order"],
            include=["offer", "reason", "occurred_at", "received_at"],
            name=f"{prefix}_order_cover",
        ),
    ]


class Return(OrderEvent):
    offer = models.ForeignKey(Offer, on_delete=models.PROTECT, related_name="returns")
    quantity = models.PositiveIntegerField(_("quantity"), default=1)
    reason = models.ForeignKey(ReasonCode, on_delete=models.PROTECT, related_name="+")

    class Meta(OrderEvent.Meta):
        verbose_name = _("return")
        verbose_name_plural = _("returns")
        constraints = [
            *OrderEvent.Meta.constraints,
            models.CheckConstraint(condition=Q(quantity__gte=1), name="return_quantity"),
        ]
        indexes = experience_indexes("return")


class Refund(OrderEvent):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending the buyer's acceptance")
        COMPLETED = "completed", _("Completed")
        DECLINED = "declined", _("Declined by the buyer")

    class Origin(models.TextChoices):
        """Whose id ``external_id`` is (API-6): the marketplace's, or one SellerCX made (a
        courtesy refund, RV-5). Each has its own ids, so neither can collide with or overwrite
        the other."""

        MARKETPLACE = "marketplace", _("Marketplace")
        SELLERCX = "sellercx", _("SellerCX")

    offer = models.ForeignKey(
        Offer, on_delete=models.PROTECT, related_name="refunds", null=True, blank=True
    )
    amount = models.DecimalField(_("amount"), **MONEY)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.COMPLETED
    )
    reason = models.ForeignKey(
        ReasonCode, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    origin = models.CharField(
        _("created by"), max_length=12, choices=Origin.choices, default=Origin.MARKETPLACE
    )

    class Meta(OrderEvent.Meta):
        verbose_name = _("refund")
        verbose_name_plural = _("refunds")
        constraints = [
            models.UniqueConstraint(
                fields=["marketplace", "origin", "external_id"], name="refund_external_id_unique"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="refund_amount_positive"),
        ]
        indexes = experience_indexes("refund")


class AtoZClaim(OrderEvent):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        GRANTED = "granted", _("Granted")
        DENIED = "denied", _("Denied")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    amount = models.DecimalField(_("amount"), **MONEY)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    reason = models.ForeignKey(
        ReasonCode, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta(OrderEvent.Meta):
        verbose_name = _("A-to-z claim")
        verbose_name_plural = _("A-to-z claims")
        constraints = [
            *OrderEvent.Meta.constraints,
            models.CheckConstraint(condition=Q(amount__gte=0), name="claim_amount_not_negative"),
        ]


class Chargeback(OrderEvent):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        UPHELD = "upheld", _("Upheld for the buyer")
        REVERSED = "reversed", _("Reversed in the seller's favour")

    amount = models.DecimalField(_("amount"), **MONEY)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )

    class Meta(OrderEvent.Meta):
        verbose_name = _("chargeback")
        verbose_name_plural = _("chargebacks")
        constraints = [
            *OrderEvent.Meta.constraints,
            models.CheckConstraint(condition=Q(amount__gte=0), name="chargeback_amount"),
        ]


class CustomerServiceContact(OrderEvent):
    """A buyer contacting customer service about an order, with why (VC-3)."""

    offer = models.ForeignKey(
        Offer, on_delete=models.PROTECT, related_name="contacts", null=True, blank=True
    )
    reason = models.ForeignKey(ReasonCode, on_delete=models.PROTECT, related_name="+")

    class Meta(OrderEvent.Meta):
        verbose_name = _("customer-service contact")
        verbose_name_plural = _("customer-service contacts")
        indexes = experience_indexes("contact")


def hash_token(raw: str) -> str:
    """Tokens are 256-bit random strings: a plain SHA-256 is enough to store them safely."""
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """AC-4: a revocable API token, stored hashed and shown once.

    *Seller* tokens act as one user and carry that user's permissions; *marketplace* tokens
    belong to one marketplace's storefront integration and may only ingest.
    """

    class Kind(models.TextChoices):
        SELLER = "seller", _("Seller-scoped")
        MARKETPLACE = "marketplace", _("Marketplace-scoped")

    PREFIX = "scx_"

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=80)
    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="api_tokens", null=True, blank=True
    )
    marketplace = models.ForeignKey(
        Marketplace, on_delete=models.CASCADE, related_name="api_tokens", null=True, blank=True
    )
    prefix = models.CharField(_("starts with"), max_length=12, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, related_name="+", null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="seller", user__isnull=False, marketplace__isnull=True)
                | Q(kind="marketplace", user__isnull=True, marketplace__isnull=False),
                name="api_token_scope_matches_kind",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @classmethod
    def generate(cls) -> tuple[str, str, str]:
        """A new raw token, its display prefix and its hash."""
        raw = cls.PREFIX + secrets.token_urlsafe(32)
        return raw, raw[:12], hash_token(raw)


class PolicySetting(models.Model):
    """A number the spec marks *(default)*, as edited by marketplace staff (see policy.py)."""

    key = models.CharField(_("setting"), max_length=80, unique=True)
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=4)
    unit = models.CharField(_("unit"), max_length=12, blank=True)
    description = models.CharField(_("what it is"), max_length=300, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["key"]
        verbose_name = _("policy setting")
        verbose_name_plural = _("policy settings")

    def __str__(self) -> str:
        return f"{self.key} = {self.value.normalize()} {self.unit}".strip()


class AuditEntry(models.Model):
    """Who did what, when, from where (issue #9): permission changes, tokens, replies, contacts
    and removal decisions. Written by the services in the same transaction as the change, so
    an action that fails leaves no entry; never edited afterwards."""

    class Action(models.TextChoices):
        USER_CREATED = "user.created", _("User added")
        USER_PERMISSIONS_CHANGED = "user.permissions", _("User permissions changed")
        USER_DEACTIVATED = "user.deactivated", _("User deactivated")
        USER_REACTIVATED = "user.reactivated", _("User reactivated")
        TOKEN_CREATED = "token.created", _("API token created")
        TOKEN_REVOKED = "token.revoked", _("API token revoked")
        FEEDBACK_REPLIED = "feedback.replied", _("Feedback replied to")
        FEEDBACK_REPLY_DELETED = "feedback.reply_deleted", _("Feedback reply deleted")
        FEEDBACK_REMOVAL_REQUESTED = "feedback.removal_requested", _("Feedback removal requested")
        FEEDBACK_REMOVAL_DECIDED = "feedback.removal_decided", _("Feedback removal decided")
        MESSAGE_SENT = "message.sent", _("Message sent to a buyer")
        CUSTOMER_CONTACTED = "review.contacted", _("Customer contacted about a review")
        REMOVAL_ORDER_CREATED = "voc.removal_order", _("Removal order created")
        OFFER_RELISTED = "voc.relisted", _("Offer relisted")

    seller = models.ForeignKey(
        SellerAccount,
        verbose_name=_("seller account"),
        on_delete=models.CASCADE,
        related_name="+",
        null=True,
        blank=True,
    )
    actor = models.ForeignKey(
        User,
        verbose_name=_("who"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
    )
    # Kept as written: the log still says who after the user is renamed or deleted.
    actor_label = models.CharField(_("who (as recorded)"), max_length=254, blank=True)
    token_id = models.PositiveBigIntegerField(_("API token id"), null=True, blank=True)
    token_name = models.CharField(_("API token name"), max_length=80, blank=True)
    action = models.CharField(_("action"), max_length=40, choices=Action.choices)
    object_type = models.CharField(_("object type"), max_length=60, blank=True)
    object_id = models.CharField(_("object id"), max_length=40, blank=True)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log")
        indexes = [
            models.Index(fields=["seller", "-created_at", "-id"], name="audit_seller_created_idx"),
        ]

    def __str__(self) -> str:
        when = f"{self.created_at:%Y-%m-%d %H:%M}"
        return f"{self.get_action_display()} · {self.actor_label} · {when}"


class RecomputeJob(models.Model):
    """One chunk of one recompute for one period, as a row (issue #9: faults).

    Written before the chunk is enqueued, so a recompute asked for while the broker (Redis) is
    down is not lost: the row stays ``pending`` and the sweep beat runs every minute enqueues
    it once Redis is back. The chunk task records its attempts, and the last error when it
    finally fails, here: marketplace staff see both in the admin.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending (not yet queued)")
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        RETRYING = "retrying", _("Waiting for a retry")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    name = models.CharField(_("recompute"), max_length=40)
    period = models.DateField(_("period"))
    chunk = models.JSONField(_("chunk"), default=dict)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    rows = models.PositiveIntegerField(_("rows written"), null=True, blank=True)
    error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    queued_at = models.DateTimeField(_("queued at"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("recompute job")
        verbose_name_plural = _("recompute jobs")
        indexes = [models.Index(fields=["status", "created_at"], name="recomputejob_status_idx")]

    def __str__(self) -> str:
        return f"{self.name} {self.period} #{self.pk} ({self.status})"
