"""``manage.py seed_demo``: the demo marketplace loads once, consistently, and rebuilds on
``--reset``. A small ``--scale`` keeps it fast; the rules checked do not depend on volume."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from sellercx.demo import DEMO_LOGINS, DEMO_PASSWORD, NORTHWIND_OWNER, STAFF_EMAIL
from sellercx.models import (
    AtoZClaim,
    Buyer,
    Chargeback,
    CustomerServiceContact,
    Marketplace,
    Offer,
    Order,
    OrderLine,
    Product,
    Refund,
    Return,
    SellerAccount,
    User,
)
from sellercx.permissions import Access, Area, access_field

pytestmark = pytest.mark.django_db

EVENTS = [Return, Refund, AtoZClaim, Chargeback, CustomerServiceContact]
COUNTED = [SellerAccount, User, Buyer, Product, Offer, Order, OrderLine, *EVENTS]


def seed(*args: str) -> str:
    out = io.StringIO()
    call_command("seed_demo", "--quiet", "--scale", "0.02", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED}


@pytest.fixture
def demo() -> None:
    seed()


def levels(user: User) -> dict[Area, Access]:
    return {area: Access(getattr(user, access_field(area))) for area in Area}


def test_marketplaces(demo):
    assert dict(Marketplace.objects.values_list("code", "currency")) == {
        "US": "USD",
        "CA": "CAD",
        "FR": "EUR",
        "PL": "PLN",
    }


def test_demo_logins_exist_with_the_demo_password(demo):
    for login in DEMO_LOGINS:
        user = User.objects.get(email=login.email)
        assert login.password == DEMO_PASSWORD
        assert user.check_password(DEMO_PASSWORD), login.email


def test_staff_user_is_a_superuser_without_seller(demo):
    staff = User.objects.get(email=STAFF_EMAIL)
    assert staff.is_staff and staff.is_superuser and staff.seller_id is None


def test_ac2_northwind_users_have_their_permission_levels(demo):
    owner = User.objects.get(email=NORTHWIND_OWNER)
    support = User.objects.get(email="support@northwind.example")
    analyst = User.objects.get(email="analyst@northwind.example")
    assert owner.seller.name == "Northwind Outfitters"
    assert owner.name == "Ava Northwind"
    assert support.seller_id == analyst.seller_id == owner.seller_id
    assert levels(owner) == dict.fromkeys(Area, Access.EDIT)
    assert owner.is_account_admin
    assert levels(support) == {
        Area.FEEDBACK: Access.EDIT,
        Area.REVIEWS: Access.NONE,
        Area.MESSAGES: Access.EDIT,
        Area.PERFORMANCE: Access.VIEW,
        Area.VOC: Access.NONE,
        Area.USERS: Access.NONE,
    }
    assert levels(analyst) == {
        Area.FEEDBACK: Access.VIEW,
        Area.REVIEWS: Access.NONE,
        Area.MESSAGES: Access.NONE,
        Area.PERFORMANCE: Access.VIEW,
        Area.VOC: Access.VIEW,
        Area.USERS: Access.NONE,
    }


def test_every_other_seller_has_one_admin_with_every_permission(demo):
    for seller in SellerAccount.objects.exclude(name="Northwind Outfitters"):
        (admin,) = seller.users.all()
        assert levels(admin) == dict.fromkeys(Area, Access.EDIT), seller.name


def test_northwind_sells_everywhere_and_is_the_biggest_seller(demo):
    northwind = SellerAccount.objects.get(name="Northwind Outfitters")
    assert set(northwind.marketplaces.values_list("code", flat=True)) == {"US", "CA", "FR", "PL"}
    biggest = Order.objects.values("seller").annotate(n=Count("id")).order_by("-n").first()
    assert biggest["seller"] == northwind.pk
    standings = set(SellerAccount.objects.values_list("standing", flat=True))
    assert standings == {"good", "at_risk", "deactivated"}


def test_every_order_has_lines_that_add_up_to_its_total(demo):
    orders = Order.objects.annotate(
        n=Count("lines"), line_total=Sum(F("lines__quantity") * F("lines__unit_price"))
    )
    assert orders.exists()
    assert not orders.filter(n=0).exists()
    assert not orders.exclude(total=F("line_total")).exists()


def test_lines_sell_offers_of_the_order_seller_and_marketplace(demo):
    lines = OrderLine.objects.all()
    assert not lines.exclude(seller_id=F("order__seller_id")).exists()
    assert not lines.exclude(offer__seller_id=F("order__seller_id")).exists()
    assert not lines.exclude(offer__marketplace_id=F("order__marketplace_id")).exists()
    assert not lines.exclude(unit_price=F("offer__price")).exists()


@pytest.mark.parametrize("model", EVENTS, ids=lambda m: m.__name__)
def test_events_belong_to_their_order_seller_and_marketplace(demo, model):
    events = model.objects.all()
    assert not events.exclude(seller_id=F("order__seller_id")).exists()
    assert not events.exclude(marketplace_id=F("order__marketplace_id")).exists()
    assert not events.filter(occurred_at__lt=F("order__purchased_at")).exists()
    assert not events.filter(occurred_at__gt=timezone.now()).exists()


def times_out_of_order() -> dict[str, int]:
    """API-8 over everything stored: each kind of time that cannot be, with how many rows have
    it (none, for data a storefront could have sent through the API)."""
    from feedback.models import Feedback
    from feedback.rules import feedback_window_open
    from messaging.models import Message, Survey
    from reviews.models import CustomerContact, Review

    now = timezone.now()
    order = Order.objects.all()
    checks = {
        "order promised before its purchase": order.filter(
            promised_delivery_at__lt=F("purchased_at")
        ),
        "order delivered before its purchase": order.filter(delivered_at__lt=F("purchased_at")),
        "order's last delivery before its first": order.filter(
            fully_delivered_at__lt=F("delivered_at")
        ),
        "order's last delivery without a first": order.filter(
            fully_delivered_at__isnull=False, delivered_at__isnull=True
        ),
        "order bought or delivered in the future": order.filter(
            Q(purchased_at__gt=now) | Q(delivered_at__gt=now) | Q(fully_delivered_at__gt=now)
        ),
        "feedback before its order's purchase": Feedback.objects.filter(
            left_at__lt=F("order__purchased_at")
        ),
        "feedback in the future": Feedback.objects.filter(left_at__gt=now),
        "survey answer before the message that carried it": Survey.objects.filter(
            answered_at__lt=F("message__sent_at")
        ),
        "survey answer in the future": Survey.objects.filter(answered_at__gt=now),
        "buyer message before its order's purchase": Message.objects.filter(
            direction="buyer", sent_at__lt=F("conversation__order__purchased_at")
        ),
        "buyer message before the contact it answers": Message.objects.filter(
            direction="buyer", sent_at__lt=F("conversation__contact__created_at")
        ),
        "message in the future": Message.objects.filter(sent_at__gt=now),
        "review in the future": Review.objects.filter(posted_at__gt=now),
        "brand contact in the future": CustomerContact.objects.filter(created_at__gt=now),
    }
    for model in EVENTS:
        name = model._meta.verbose_name
        checks[f"{name} before its order's purchase"] = model.objects.filter(
            occurred_at__lt=F("order__purchased_at")
        )
        checks[f"{name} in the future"] = model.objects.filter(occurred_at__gt=now)
    found = {label: rows.count() for label, rows in checks.items()}
    found["feedback after FB-3's 90 days"] = sum(
        not feedback_window_open(purchased_at=purchased_at, at=left_at)
        for left_at, purchased_at in Feedback.objects.values_list("left_at", "order__purchased_at")
    )
    return {label: count for label, count in found.items() if count}


def test_api8_the_demo_keeps_every_time_in_order(demo):
    assert times_out_of_order() == {}


def test_events_happen(demo):
    # At this scale every kind of event but the rarest is certain to occur.
    assert Return.objects.exists() and Refund.objects.exists()
    assert CustomerServiceContact.objects.exists() and AtoZClaim.objects.exists()


def test_second_run_changes_nothing(demo):
    before = counts()
    assert "already loaded" in seed()
    assert counts() == before


def test_reset_rebuilds(demo):
    SellerAccount.objects.create(name="Not part of the demo", kind="professional")
    out = seed("--reset")
    assert "Demo data loaded" in out
    assert not SellerAccount.objects.filter(name="Not part of the demo").exists()
    assert User.objects.filter(email=NORTHWIND_OWNER).exists()
    assert set(Marketplace.objects.values_list("code", flat=True)) == {"US", "CA", "FR", "PL"}
    assert Order.objects.count() >= 100


def test_a_demo_loaded_before_a_new_step_says_how_to_rebuild(capsys):
    from feedback.models import Feedback

    call_command("seed_demo", "--quiet", "--scale", "0.02")
    Feedback.objects.all().delete()
    call_command("seed_demo", "--quiet")
    assert "predates: feedback" in capsys.readouterr().out


def test_demo_has_an_activity_log_for_northwind(demo):
    from feedback.models import FeedbackReply
    from sellercx.models import AuditEntry

    northwind = User.objects.get(email=NORTHWIND_OWNER).seller_id
    entries = AuditEntry.objects.filter(seller_id=northwind)
    actions = set(entries.values_list("action", flat=True))
    assert {"user.created", "user.permissions", "message.sent"} <= actions
    # At this scale a seller in good health may have no negative feedback to reply to; at full
    # scale it has (tests/core/test_demo_promises.py).
    replied = FeedbackReply.objects.filter(seller_id=northwind).exists()
    assert ("feedback.replied" in actions) == replied
    assert not entries.filter(created_at__gt=timezone.now()).exists()
    assert (
        not entries.filter(actor__isnull=False)
        .exclude(actor__seller_id=northwind)
        .exclude(action="feedback.removal_decided")
        .exists()
    )
    # Northwind's replies to buyers are its support agent's, not "Automatic".
    assert not entries.filter(action="message.sent", actor__isnull=True).exists()


def test_replies_and_removal_requests_are_by_the_accounts_own_admin_and_never_ahead(demo):
    """A reply is written by a user of the feedback's account, never by another account's, and
    never dated after the demo was loaded (today's feedback was replied to from the future)."""
    from django.utils import timezone

    from feedback.models import FeedbackReply, RemovalRequest

    now = timezone.now()
    replies = FeedbackReply.objects.select_related("author", "feedback")
    assert replies.exists()
    for reply in replies:
        assert reply.author.seller_id == reply.feedback.seller_id
        assert reply.feedback.left_at <= reply.created_at <= now
    for removal in RemovalRequest.objects.select_related("requested_by", "feedback"):
        assert removal.requested_by.seller_id == removal.feedback.seller_id
