"""UX-5: the order page is the hub of an order — everything the account knows about one order,
in one place, each part shown only to users who may view its area (AC-2).

The core (lines, dates and post-order events) comes from ``selectors.order_detail``; the parts
that belong to the feature apps (seller feedback and the review request, product reviews, the
conversations and "Contact the buyer") are read here, each in a fixed number of queries, so the
page costs the same for one line and one message as for many. The feature apps build on the
core (their views import ``sellercx.views``, which imports this module), so this module imports
them inside its functions, never at import time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery
from django.urls import reverse

from . import selectors
from .models import Order, OrderLine, User
from .permissions import Access, Area

if TYPE_CHECKING:
    from feedback.models import Feedback
    from reviews.models import Review

# How many of a conversation's messages the order page shows (the latest ones).
RECENT_MESSAGES = 3


@dataclass(frozen=True)
class ReviewRequestStatus:
    """FB-11 for one order: sent (when), or why not, or allowed (and until when)."""

    sent_at: datetime | None
    refusal: str | None
    reason: str
    window: tuple[date, date] | None

    @property
    def allowed(self) -> bool:
        return self.sent_at is None and self.refusal is None


@dataclass
class OrderHub:
    order: Order
    events: list
    # What the user may see (AC-2): each section of the page is shown only when its area is.
    link_offers: bool = False
    show_feedback: bool = False
    show_reviews: bool = False
    show_messages: bool = False
    # And may do.
    can_request_review: bool = False
    can_contact: bool = False
    feedback: Feedback | None = None
    feedback_url: str = ""
    review_request: ReviewRequestStatus | None = None
    reviews: list[Review] = field(default_factory=list)
    conversations: list = field(default_factory=list)
    contact_state: dict | None = None


def order_hub(*, user: User, order_id: int) -> OrderHub:
    """UX-5: one order of the user's account with every part the user may see, or NotFound
    (AC-1: another account's order). A constant number of queries whatever the order holds."""
    seller_id = user.seller_id
    order = selectors.order_detail(seller_id=seller_id, order_id=order_id)
    hub = OrderHub(
        order=order,
        events=selectors.order_events(order),
        link_offers=user.can(Area.VOC),
        show_feedback=user.can(Area.FEEDBACK),
        show_reviews=user.can(Area.REVIEWS),
        show_messages=user.can(Area.MESSAGES),
        can_request_review=user.can(Area.FEEDBACK, Access.EDIT),
        can_contact=user.can(Area.MESSAGES, Access.EDIT),
    )
    if hub.show_feedback:
        hub.feedback = order_feedback(seller_id=seller_id, order=order)
        hub.feedback_url = feedback_manager_url(hub.feedback) if hub.feedback else ""
        hub.review_request = review_request_status(order=order)
    if hub.show_reviews:
        hub.reviews = list(order_reviews(order=order))
    if hub.show_messages:
        from messaging.selectors import buyer_contact_state

        hub.conversations = order_conversations(seller_id=seller_id, order=order)
        hub.contact_state = buyer_contact_state(seller_id=seller_id, order=order)
    return hub


def order_feedback(*, seller_id: int, order: Order) -> Feedback | None:
    """The seller feedback left on the order (FB-2: at most one), removed or not, with its
    reply and removal requests (newest first), or None. Two queries at most."""
    from feedback.models import Feedback, RemovalRequest

    return (
        Feedback.objects.filter(seller_id=seller_id, order=order)
        .select_related("reply", "marketplace")
        .prefetch_related(
            Prefetch(
                "removals", RemovalRequest.objects.order_by("-requested_at"), to_attr="removal_list"
            )
        )
        .first()
    )


def feedback_manager_url(feedback: Feedback) -> str:
    """The feedback manager's page that lists ``feedback`` (FB-8: its marketplace, newest
    first, by page), anchored on its row: one count of the feedback listed before it."""
    from feedback.models import Feedback
    from feedback.views import FeedbackManagerView

    before = (
        Feedback.objects.filter(
            seller_id=feedback.seller_id, marketplace_id=feedback.marketplace_id
        )
        .filter(Q(left_at__gt=feedback.left_at) | Q(left_at=feedback.left_at, pk__gt=feedback.pk))
        .count()
    )
    query = {"marketplace": feedback.marketplace.code}
    page = before // FeedbackManagerView.paginate_by + 1
    if page > 1:
        query["page"] = page
    return f"{reverse('feedback:manager')}?{urlencode(query)}#feedback-{feedback.pk}"


def review_request_status(*, order: Order) -> ReviewRequestStatus:
    """FB-11 for the order page, read as ``feedback.services.request_review`` decides it (the
    same ``refusal`` of ``solicitable_orders``): sent on which day, or the reason it cannot be,
    or allowed and until when. One query."""
    from feedback import rules
    from feedback.models import Solicitation
    from feedback.services import SkipReason, solicitable_orders

    annotated = (
        solicitable_orders()
        .filter(pk=order.pk, seller_id=order.seller_id)
        .annotate(
            solicited_at=Subquery(
                Solicitation.objects.filter(order=OuterRef("pk")).values("sent_at")[:1]
            )
        )
        .values("refusal", "solicited_at")
        .get()
    )
    refusal = annotated["refusal"]
    window = rules.solicitation_window(
        delivered_at=order.delivered_at, fully_delivered_at=order.fully_delivered_at
    )
    return ReviewRequestStatus(
        sent_at=annotated["solicited_at"],
        refusal=refusal,
        reason=SkipReason.label(refusal) if refusal else "",
        window=window,
    )


def order_reviews(*, order: Order) -> QuerySet[Review]:
    """RV-2: the product reviews whose verified purchase is this order, newest first, with
    the product and the brand's "Contact the customer" if any. One query."""
    from reviews.models import Review

    return (
        Review.objects.filter(verified_order=order)
        .select_related("product", "contact")
        .order_by("-posted_at", "-id")
    )


def order_conversations(*, seller_id: int, order: Order) -> list:
    """MS-1: the account's conversations about the order, latest first, each with its last
    ``RECENT_MESSAGES`` messages, oldest first, in ``recent_messages``. Two queries: the
    messages are a window over every conversation at once, not a query per conversation."""
    from messaging.models import Conversation, Message

    latest = Message.objects.order_by("-sent_at", "-id")[:RECENT_MESSAGES]
    conversations = list(
        Conversation.objects.filter(seller_id=seller_id, order=order)
        .prefetch_related(Prefetch("messages", latest, to_attr="latest_messages"))
        .order_by("-last_message_at", "-id")
    )
    for conversation in conversations:
        conversation.recent_messages = conversation.latest_messages[::-1]
    return conversations


def lines_with_offers() -> Prefetch:
    """An order list's lines with their offers, for the rows of the page only (one query)."""
    return Prefetch("lines", OrderLine.objects.select_related("offer__product").order_by("id"))
