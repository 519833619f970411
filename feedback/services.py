"""Every write of seller feedback and the rule it enforces (SPEC §2)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from django.contrib.postgres.aggregates import ArrayAgg
from django.db import IntegrityError, transaction
from django.db.models import Case, CharField, Count, Exists, OuterRef, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce, TruncDate
from django.db.models.lookups import GreaterThan, LessThan
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from messaging.models import Message
from sellercx.errors import Conflict, InvalidInput, NotFound, PermissionDenied, RuleViolation
from sellercx.guidelines import assess_message
from sellercx.models import AtoZClaim, Marketplace, Order, OrderLine, Refund, Return, User
from sellercx.permissions import Access, Area
from sellercx.services import audit
from sellercx.services.ingestion import lock_external_ids

from . import rules
from .checks import Decision, Ground, automatic_decision
from .models import AbusiveWord, Feedback, FeedbackReply, RemovalRequest, Solicitation

MAX_COMMENT = 5000
MAX_REPLY = 2000


def _require(user: User, area: Area = Area.FEEDBACK, level: Access = Access.EDIT) -> None:
    if not user.can(area, level):
        raise PermissionDenied(_("Your user permissions do not allow this."))


def _feedback_of(user: User, feedback_id: int) -> Feedback:
    # AC-1: another account's feedback is not found.
    feedback = (
        Feedback.objects.select_for_update(of=("self",))
        .select_related("order", "marketplace")
        .filter(pk=feedback_id, seller_id=user.seller_id)
        .first()
    )
    if feedback is None:
        raise NotFound(_("No such feedback."))
    return feedback


# ---- buyer side (marketplace-scoped) --------------------------------------------------------


@dataclass
class FeedbackInput:
    external_id: str
    order_id: str
    rating: int
    comment: str = ""
    arrived_on_time: bool | None = None
    item_as_described: bool | None = None
    prompt_service: bool | None = None
    left_at: datetime | None = None  # when the buyer left it; None: now


def _resends(stored: Feedback, data: FeedbackInput) -> bool:
    """API-6: ``data`` is ``stored`` sent again. Without a ``leftAt`` it keeps the stored one:
    a retry is not a change because the clock moved."""
    return (
        stored.order.external_id == data.order_id
        and stored.rating == int(data.rating)
        and stored.comment == data.comment.strip()
        and stored.arrived_on_time == data.arrived_on_time
        and stored.item_as_described == data.item_as_described
        and stored.prompt_service == data.prompt_service
        and data.left_at in (None, stored.left_at)
    )


def _changed_message() -> str:
    return _("This feedback id is stored with other content; feedback cannot be changed.")


def _before_purchase_message(order: Order) -> str:
    return _("Feedback cannot be left before the order's purchase (%(date)s).") % {
        "date": order.purchased_at.isoformat()
    }


def _window_closed_message(order: Order) -> str:
    return _("Feedback can be left until %(days)d days after the order date (%(date)s).") % {
        "days": rules.FEEDBACK_WINDOW_DAYS,
        "date": order.purchased_at.date().isoformat(),
    }


@transaction.atomic
def leave_feedback(*, marketplace: Marketplace, data: FeedbackInput) -> tuple[Feedback, bool]:
    """FB-1 … FB-3, API-8: store a buyer's feedback; returns it and whether it was new.

    Sending the same feedback again is idempotent (API-6); changing it, or a different feedback
    on an order that has one, is a conflict (FB-2). It is left at ``left_at`` (default now): not
    before the order's purchase, and not more than 90 days after it (FB-3).
    """
    if not 1 <= int(data.rating) <= 5:
        raise InvalidInput(_("The rating must be 1 to 5 stars."), details="rating")
    if len(data.comment) > MAX_COMMENT:
        raise InvalidInput(_("The comment is too long."), details="comment")
    # The same feedback sent several times at once: one stores it, the others find it (#20).
    lock_external_ids("feedback", marketplace, [data.external_id])
    existing = (
        Feedback.objects.select_related("order")
        .filter(marketplace=marketplace, external_id=data.external_id)
        .first()
    )
    if existing is not None:
        if not _resends(existing, data):
            raise Conflict(_changed_message(), details="feedbackId")
        return existing, False
    order = (
        Order.objects.select_for_update()
        .filter(marketplace=marketplace, external_id=data.order_id)
        .first()
    )
    if order is None:
        raise NotFound(_("No such order in this marketplace."), details="orderId")
    if Feedback.objects.filter(order=order).exists():
        raise Conflict(_("This order already has feedback (one per order)."), details="orderId")
    left_at = data.left_at or timezone.now()
    if left_at < order.purchased_at:
        raise RuleViolation(_before_purchase_message(order), details="leftAt")
    if not rules.feedback_window_open(purchased_at=order.purchased_at, at=left_at):
        raise RuleViolation(
            _window_closed_message(order), code="FeedbackWindowClosed", details="leftAt"
        )
    try:
        with transaction.atomic():
            feedback = Feedback.objects.create(
                seller_id=order.seller_id,
                marketplace=marketplace,
                order=order,
                buyer_id=order.buyer_id,
                external_id=data.external_id,
                rating=int(data.rating),
                comment=data.comment.strip(),
                arrived_on_time=data.arrived_on_time,
                item_as_described=data.item_as_described,
                prompt_service=data.prompt_service,
                left_at=left_at,
            )
    except IntegrityError:  # a concurrent call stored feedback on this order first
        raise Conflict(
            _("This order already has feedback (one per order)."), details="orderId"
        ) from None
    return feedback, True


@transaction.atomic
def leave_feedback_batch(*, marketplace: Marketplace, rows: list[FeedbackInput]) -> dict:
    """API-6, API-8 for feedback: a batch, all or nothing, in a fixed number of queries.

    Rows that resend stored feedback are skipped (idempotent). With any row refused (unknown
    order 404-like, changed feedback or a second feedback on an order FB-2, ``leftAt`` before
    the purchase or after FB-3's 90 days), nothing is stored and every refused row is reported
    with its own code.
    """
    lock_external_ids("feedback", marketplace, (r.external_id for r in rows))
    known = {
        f.external_id: f
        for f in Feedback.objects.select_related("order").filter(
            marketplace=marketplace, external_id__in=[r.external_id for r in rows]
        )
    }
    orders = {
        o.external_id: o
        for o in Order.objects.filter(
            marketplace=marketplace, external_id__in={r.order_id for r in rows}
        ).annotate(has_feedback=Exists(Feedback.objects.filter(order=OuterRef("pk"))))
    }
    now = timezone.now()
    problems, new, seen_ids, seen_orders = [], [], {}, set()

    def refuse(path: str, code: str, message: str) -> None:
        problems.append({"field": path, "code": code, "message": message})

    for index, row in enumerate(rows):
        path = f"feedback[{index}]"
        stored = known.get(row.external_id) or seen_ids.get(row.external_id)
        if stored is not None:
            if not _resends(stored, row):
                refuse(f"{path}.feedbackId", "Conflict", _changed_message())
            continue
        order = orders.get(row.order_id)
        left_at = row.left_at or now
        if order is None:
            refuse(f"{path}.orderId", "NotFound", _("No such order."))
        elif order.has_feedback or row.order_id in seen_orders:
            refuse(
                f"{path}.orderId", "Conflict", _("This order already has feedback (one per order).")
            )
        elif left_at < order.purchased_at:
            refuse(f"{path}.leftAt", "RuleViolation", _before_purchase_message(order))
        elif not rules.feedback_window_open(purchased_at=order.purchased_at, at=left_at):
            refuse(f"{path}.leftAt", "FeedbackWindowClosed", _window_closed_message(order))
        else:
            seen_orders.add(row.order_id)
            feedback = Feedback(
                seller_id=order.seller_id,
                marketplace=marketplace,
                order=order,
                buyer_id=order.buyer_id,
                external_id=row.external_id,
                rating=row.rating,
                comment=row.comment.strip(),
                arrived_on_time=row.arrived_on_time,
                item_as_described=row.item_as_described,
                prompt_service=row.prompt_service,
                left_at=left_at,
            )
            seen_ids[row.external_id] = feedback
            new.append(feedback)
    if problems:
        raise RuleViolation(
            _("%(n)d row(s) of the batch were refused; nothing was stored.") % {"n": len(problems)},
            details=problems,
        )
    try:
        with transaction.atomic():
            Feedback.objects.bulk_create(new)
    except IntegrityError:
        raise Conflict(_("Another call stored feedback on one of these orders; resend.")) from None
    return {"received": len(rows), "created": len(new), "updated": 0}


@transaction.atomic
def remove_feedback_as_buyer(*, marketplace: Marketplace, external_id: str) -> Feedback:
    """FB-5: within 60 days of leaving it; the row stays, with who and when (soft delete)."""
    feedback = (
        Feedback.objects.select_for_update()
        .filter(marketplace=marketplace, external_id=external_id)
        .first()
    )
    if feedback is None:
        raise NotFound(_("No such feedback in this marketplace."))
    if feedback.removed_at is not None:
        return feedback
    now = timezone.now()
    if not rules.buyer_may_remove(left_at=feedback.left_at, at=now):
        raise RuleViolation(
            _("Feedback can be removed by the buyer within %(days)d days of leaving it.")
            % {"days": rules.BUYER_REMOVAL_DAYS},
            code="RemovalWindowClosed",
        )
    feedback.removed_at, feedback.removed_by = now, Feedback.RemovedBy.BUYER
    feedback.save(update_fields=["removed_at", "removed_by"])
    return feedback


# ---- seller side ----------------------------------------------------------------------------


@transaction.atomic
def reply_to_feedback(*, user: User, feedback_id: int, text: str) -> FeedbackReply:
    """FB-6: one public reply per feedback; not editable; once deleted, never re-posted."""
    _require(user)
    feedback = _feedback_of(user, feedback_id)
    text = (text or "").strip()
    if not text:
        raise InvalidInput(_("Write the reply first."), details="text")
    if len(text) > MAX_REPLY:
        raise InvalidInput(
            _("A reply is at most %(limit_value)d characters.") % {"limit_value": MAX_REPLY},
            details="text",
        )
    if feedback.removed_at is not None:
        raise RuleViolation(_("This feedback was removed; it cannot be replied to."))
    # RV-7: a public reply must not try to influence feedback or reviews.
    assessment = assess_message(text, language=feedback.marketplace.language)
    if not assessment.allowed:
        raise RuleViolation(
            " ".join(str(b.explanation) for b in assessment.breaches if b.verdict == "refused"),
            code="CommunicationGuidelines",
        )
    reply = FeedbackReply.objects.filter(feedback=feedback).first()
    if reply is not None:
        if reply.deleted_at is not None:
            raise RuleViolation(
                _("The reply to this feedback was deleted; a new one cannot be posted."),
                code="ReplyDeleted",
            )
        raise Conflict(_("This feedback already has a reply; it cannot be edited."))
    reply = FeedbackReply.objects.create(
        feedback=feedback,
        seller_id=feedback.seller_id,
        text=text,
        author=user,
        guideline_flags=",".join(b.code for b in assessment.breaches)[:200],
    )
    audit.record(
        actor=user,
        action=audit.Action.FEEDBACK_REPLIED,
        seller_id=feedback.seller_id,
        obj=feedback,
        summary=_("Public reply to feedback on order %(order)s")
        % {"order": feedback.order.external_id},
        after={"text": text},
    )
    return reply


@transaction.atomic
def delete_feedback_reply(*, user: User, feedback_id: int) -> FeedbackReply:
    """FB-6: delete the reply (kept with who/when, so none can be posted again)."""
    _require(user)
    feedback = _feedback_of(user, feedback_id)
    reply = FeedbackReply.objects.filter(feedback=feedback, deleted_at__isnull=True).first()
    if reply is None:
        raise NotFound(_("This feedback has no reply to delete."))
    reply.deleted_at, reply.deleted_by = timezone.now(), user
    reply.save(update_fields=["deleted_at", "deleted_by"])
    audit.record(
        actor=user,
        action=audit.Action.FEEDBACK_REPLY_DELETED,
        seller_id=feedback.seller_id,
        obj=feedback,
        summary=_("Reply to feedback on order %(order)s deleted")
        % {"order": feedback.order.external_id},
        before={"text": reply.text},
    )
    return reply


def _ground_cannot_apply(feedback: Feedback, ground: str) -> str:
    """Why FB-7's ``ground`` could never be granted for this feedback (``applicable_grounds``)."""
    if feedback.rating > 3:
        return _("Removal can be requested only for negative and neutral feedback (1 to 3 stars).")
    if ground == Ground.FULFILMENT and feedback.order.fulfilment_channel != "marketplace":
        return _(
            "Only feedback on an order fulfilled by the marketplace can be removed as a "
            "fulfilment complaint; you fulfilled this order."
        )
    return _("This feedback has no comment, so it cannot break this guideline.")


def _apply_decision(request: RemovalRequest, decision: str, at) -> None:
    feedback = request.feedback
    if decision == Decision.REMOVED and feedback.removed_at is None:
        feedback.removed_at, feedback.removed_by = at, Feedback.RemovedBy.MARKETPLACE
        feedback.save(update_fields=["removed_at", "removed_by"])
    elif decision == Decision.STRUCK_THROUGH and feedback.struck_through_at is None:
        feedback.struck_through_at = at
        feedback.save(update_fields=["struck_through_at"])


@transaction.atomic
def request_feedback_removal(
    *, user: User, feedback_id: int, ground: str, note: str = ""
) -> RemovalRequest:
    """FB-7: ask for removal on a ground. Clear cases are decided at once by the checks;
    the rest wait for marketplace staff. One open request per feedback; after a decline, a new
    request only on another ground."""
    _require(user)
    if ground not in Ground.values:
        raise InvalidInput(_("Choose the ground of the request."), details="ground")
    feedback = _feedback_of(user, feedback_id)
    if not feedback.counts:
        raise RuleViolation(_("This feedback is already removed or struck through."))
    earlier = list(RemovalRequest.objects.filter(feedback=feedback))
    if any(r.status == RemovalRequest.Status.PENDING for r in earlier):
        raise Conflict(_("A removal request for this feedback is already under review."))
    if any(r.ground == ground for r in earlier):
        raise RuleViolation(
            _("A request on this ground was already decided; choose a different ground."),
            code="GroundAlreadyUsed",
        )
    if ground not in feedback.removal_grounds_that_apply:
        raise RuleViolation(_ground_cannot_apply(feedback, ground), code="GroundNotApplicable")
    words = AbusiveWord.objects.filter(language=feedback.marketplace.language).values_list(
        "word", flat=True
    )
    finding = automatic_decision(
        text=feedback.comment,
        ground=ground,
        language=feedback.marketplace.language,
        marketplace_fulfilled=feedback.order.fulfilment_channel == "marketplace",
        abusive_words=list(words),
    )
    now = timezone.now()
    request = RemovalRequest(
        feedback=feedback,
        seller_id=feedback.seller_id,
        ground=ground,
        note=(note or "").strip()[:2000],
        requested_by=user,
        requested_at=now,
    )
    if finding is not None:
        request.status = finding.decision
        request.decided_at = now
        request.automatic = True
        request.decision_reason = str(finding.reason)
        request.evidence = finding.evidence[:200]
        _apply_decision(request, finding.decision, now)
    try:
        with transaction.atomic():
            request.save()
    except IntegrityError:
        raise Conflict(_("A removal request for this feedback is already under review.")) from None
    audit.record(
        actor=user,
        action=audit.Action.FEEDBACK_REMOVAL_REQUESTED,
        seller_id=feedback.seller_id,
        obj=request,
        summary=_("Removal of feedback on order %(order)s requested: %(ground)s")
        % {"order": feedback.order.external_id, "ground": request.get_ground_display()},
        after={"ground": ground, "status": request.status, "automatic": request.automatic},
    )
    if request.automatic:
        audit.record(
            actor=None,
            action=audit.Action.FEEDBACK_REMOVAL_DECIDED,
            seller_id=feedback.seller_id,
            obj=request,
            summary=_("Decided at once by the automatic checks: %(decision)s")
            % {"decision": request.get_status_display()},
            before={"status": RemovalRequest.Status.PENDING},
            after={"status": request.status, "reason": request.decision_reason},
        )
    return request


@transaction.atomic
def decide_removal_requests(
    *, staff: User, request_ids: list[int], decision: str, reason: str = ""
) -> int:
    """FB-7, staff side: decide pending requests in bulk; returns how many were decided."""
    if not staff.is_staff:
        raise PermissionDenied(_("Only marketplace staff decide removal requests."))
    if decision not in Decision.values:
        raise InvalidInput(_("Unknown decision."))
    reason = (reason or "").strip()
    if decision == Decision.DECLINED and not reason:
        raise InvalidInput(_("Say why the request is declined; the seller sees it."))
    if decision == Decision.STRUCK_THROUGH and not reason:
        reason = _("Fulfilled by the marketplace: the comment is struck through.")
    requests = list(
        RemovalRequest.objects.select_for_update(of=("self",))
        .select_related("feedback")
        .filter(pk__in=request_ids, status=RemovalRequest.Status.PENDING)
    )
    now = timezone.now()
    for request in requests:
        request.status, request.decided_at, request.decided_by = decision, now, staff
        request.decision_reason = reason
        _apply_decision(request, decision, now)
    RemovalRequest.objects.bulk_update(
        requests, ["status", "decided_at", "decided_by", "decision_reason"]
    )
    audit.record_many(
        {
            "actor": staff,
            "action": audit.Action.FEEDBACK_REMOVAL_DECIDED,
            "seller_id": request.seller_id,
            "obj": request,
            "summary": _("Removal request decided: %(decision)s")
            % {"decision": request.get_status_display()},
            "before": {"status": RemovalRequest.Status.PENDING},
            "after": {"status": request.status, "reason": str(reason)},
        }
        for request in requests
    )
    return len(requests)


# ---- FB-11 solicitation ---------------------------------------------------------------------


class SkipReason:
    """Why an order cannot get a review request (shown to the seller and in the API)."""

    NOT_DELIVERED = "not_delivered"
    TOO_EARLY = "too_early"
    TOO_LATE = "too_late"
    ALREADY_REQUESTED = "already_requested"
    RETURN_OR_REFUND = "return_or_refund"
    OPEN_CLAIM = "open_claim"
    PROACTIVE_MESSAGE = "proactive_message"
    BUYER_OPTED_OUT = "buyer_opted_out"
    DO_NOT_SOLICIT = "do_not_solicit"
    CANCELLED = "cancelled"

    LABELS = {
        NOT_DELIVERED: gettext_lazy("The order is not delivered yet."),
        TOO_EARLY: gettext_lazy("Too early: requests open 5 days after delivery."),
        TOO_LATE: gettext_lazy("Too late: requests close 30 days after the last delivery."),
        ALREADY_REQUESTED: gettext_lazy("A review was already requested for this order."),
        RETURN_OR_REFUND: gettext_lazy("The order has a return or a refund."),
        OPEN_CLAIM: gettext_lazy("The order has an open A-to-z claim."),
        PROACTIVE_MESSAGE: gettext_lazy(
            "You already sent the buyer a proactive message about this order."
        ),
        BUYER_OPTED_OUT: gettext_lazy("The buyer opted out of review requests."),
        DO_NOT_SOLICIT: gettext_lazy("You marked this order or one of its SKUs “do not solicit”."),
        CANCELLED: gettext_lazy("The order was cancelled."),
    }

    @classmethod
    def label(cls, code: str) -> str:
        return str(cls.LABELS[code])


def _refusal(today: date) -> Case:
    """FB-11, in SQL: the first reason an order cannot get a request on ``today`` (a UTC day),
    or NULL when it can. The reasons are tried in this order, and the first that holds is the
    one the seller is told; the request window is ``rules.solicitation_window`` (from 5 days
    after the first delivery to 30 days after the last, both included)."""
    order = OuterRef("pk")
    first_delivery = TruncDate("delivered_at", tzinfo=UTC)
    last_delivery = TruncDate(Coalesce("fully_delivered_at", "delivered_at"), tzinfo=UTC)
    reasons = [
        (SkipReason.CANCELLED, Q(status=Order.Status.CANCELLED)),
        (SkipReason.ALREADY_REQUESTED, Exists(Solicitation.objects.filter(order=order))),
        (SkipReason.NOT_DELIVERED, Q(delivered_at__isnull=True)),
        (
            SkipReason.TOO_EARLY,
            GreaterThan(first_delivery, today - timedelta(days=rules.SOLICIT_FROM_DAYS)),
        ),
        (
            SkipReason.TOO_LATE,
            LessThan(last_delivery, today - timedelta(days=rules.SOLICIT_UNTIL_DAYS)),
        ),
        (
            SkipReason.DO_NOT_SOLICIT,
            Q(do_not_solicit=True)
            | Exists(OrderLine.objects.filter(order=order, offer__do_not_solicit=True)),
        ),
        (SkipReason.BUYER_OPTED_OUT, Q(buyer__opted_out_of_solicitations=True)),
        (
            SkipReason.RETURN_OR_REFUND,
            Exists(Return.objects.filter(order=order)) | Exists(Refund.objects.filter(order=order)),
        ),
        (
            SkipReason.OPEN_CLAIM,
            Exists(AtoZClaim.objects.filter(order=order, status=AtoZClaim.Status.OPEN)),
        ),
        # One non-critical contact per order: a proactive message excludes a request.
        (
            SkipReason.PROACTIVE_MESSAGE,
            Exists(Message.objects.filter(conversation__order=order, proactive=True)),
        ),
    ]
    return Case(
        *(When(condition, then=Value(code)) for code, condition in reasons),
        default=None,
        output_field=CharField(),
    )


def solicitable_orders(*, today: date | None = None) -> QuerySet[Order]:
    """Orders annotated with ``refusal``: why FB-11 refuses a review request for each on
    ``today`` (by default the current UTC day), or None when one may be sent. Computed by the
    database in the same query, so a page, a filter ("eligible only") or a count by reason
    costs one query whatever the number of orders."""
    today = today or rules.utc_day(timezone.now())
    return Order.objects.select_related("buyer").annotate(refusal=_refusal(today))


def _order_of(user: User, order_id: int) -> Order:
    order = solicitable_orders().filter(pk=order_id, seller_id=user.seller_id).first()
    if order is None:
        raise NotFound(_("No such order."))
    return order


def solicitation_actions(*, user: User, order_id: int) -> tuple[list[str], str | None]:
    """The Solicitations API's first step: the actions available for an order (empty, with
    the reason, when none)."""
    refusal = _order_of(user, order_id).refusal
    return ([] if refusal else [Solicitation.KIND]), refusal


@transaction.atomic
def request_review(*, user: User, order_id: int) -> Solicitation:
    """FB-11: send the fixed-template request for one order, once, inside its window."""
    _require(user)
    # FB-11: the order's row lock, as messaging's proactive messages take it: a request and a
    # message sent at once see each other (one non-critical contact per order).
    Order.objects.select_for_update().filter(pk=order_id, seller_id=user.seller_id).first()
    order = _order_of(user, order_id)
    if order.refusal:
        raise RuleViolation(SkipReason.label(order.refusal), code="SolicitationNotAllowed")
    try:
        with transaction.atomic():
            return Solicitation.objects.create(
                seller_id=order.seller_id, order=order, requested_by=user
            )
    except IntegrityError:
        raise RuleViolation(
            SkipReason.label(SkipReason.ALREADY_REQUESTED), code="SolicitationNotAllowed"
        ) from None


@dataclass
class BulkReport:
    """FB-11, UX-4: what a bulk request did, or in a dry run would do: ``eligible`` orders to
    send to (``sent`` of them sent; 0 in a dry run) and, by reason, how many were skipped."""

    eligible: int = 0
    sent: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    dry_run: bool = False

    @property
    def considered(self) -> int:
        return self.eligible + sum(self.skipped.values())

    @property
    def not_sent(self) -> int:
        return sum(self.skipped.values())

    def lines(self) -> list[tuple[str, int]]:
        """(reason in words, count), the most frequent reason first."""
        ordered = sorted(self.skipped.items(), key=lambda item: (-item[1], item[0]))
        return [(SkipReason.label(code), n) for code, n in ordered]


def _orders_in_range(
    *, user: User, purchased_from: date, purchased_to: date, marketplace_code: str | None
) -> QuerySet[Order]:
    if purchased_to < purchased_from:
        raise InvalidInput(
            _("The end of the range (%(end)s) is before its start (%(start)s).")
            % {"start": purchased_from.isoformat(), "end": purchased_to.isoformat()},
            details="purchasedTo",
        )
    if (purchased_to - purchased_from).days >= rules.BULK_REQUEST_MAX_DAYS:
        raise InvalidInput(
            _("Choose a range of at most %(days)d days.") % {"days": rules.BULK_REQUEST_MAX_DAYS},
            details="purchasedFrom",
        )
    orders = solicitable_orders().filter(
        seller_id=user.seller_id,
        purchased_at__date__gte=purchased_from,
        purchased_at__date__lte=purchased_to,
    )
    if marketplace_code:
        orders = orders.filter(marketplace__code=marketplace_code)
    return orders


def _by_refusal(orders: QuerySet[Order], *, with_ids: bool = False) -> tuple[int, list, dict]:
    """In one statement (one snapshot, so the numbers add up): how many orders may get a
    request (and, ``with_ids``, which), and how many each reason refuses."""
    rows = orders.order_by().values("refusal").annotate(n=Count("pk"))
    if with_ids:
        rows = rows.annotate(ids=ArrayAgg("pk", filter=Q(refusal__isnull=True), default=None))
    eligible, ids, skipped = 0, [], {}
    for row in rows:
        if row["refusal"] is None:
            eligible, ids = row["n"], row.get("ids") or []
        else:
            skipped[row["refusal"]] = row["n"]
    return eligible, ids, skipped


def plan_review_requests_in_bulk(
    *, user: User, purchased_from: date, purchased_to: date, marketplace_code: str | None = None
) -> BulkReport:
    """UX-4, FB-11: what ``request_reviews_in_bulk`` would do now, without sending anything:
    how many orders of the range would get a request and, by reason, how many would not. One
    query. The range is checked as the send checks it."""
    _require(user)
    orders = _orders_in_range(
        user=user,
        purchased_from=purchased_from,
        purchased_to=purchased_to,
        marketplace_code=marketplace_code,
    )
    eligible, _ids, skipped = _by_refusal(orders)
    return BulkReport(eligible=eligible, skipped=skipped, dry_run=True)


@transaction.atomic
def request_reviews_in_bulk(
    *, user: User, purchased_from: date, purchased_to: date, marketplace_code: str | None = None
) -> BulkReport:
    """FB-11: a request for every eligible order purchased in the date range; the report says
    how many were sent and, by reason, why the others were not. Everything is checked again at
    send time, whatever a preview said (``plan_review_requests_in_bulk``). Three queries and one
    insert, whatever the number of orders."""
    _require(user)
    orders = _orders_in_range(
        user=user,
        purchased_from=purchased_from,
        purchased_to=purchased_to,
        marketplace_code=marketplace_code,
    )
    _, candidates, skipped = _by_refusal(orders, with_ids=True)
    # The orders' row locks, as a single request and a proactive message take them (one
    # non-critical contact per order), in one order (no deadlock between two bulk requests);
    # then every reason again, as it stands once nothing else can change them.
    list(
        Order.objects.select_for_update(of=("self",))
        .filter(pk__in=candidates)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    eligible = []
    for pk, seller_id, refusal in (
        solicitable_orders().filter(pk__in=candidates).values_list("pk", "seller_id", "refusal")
    ):
        if refusal:  # sent or contacted meanwhile
            skipped[refusal] = skipped.get(refusal, 0) + 1
        else:
            eligible.append(
                Solicitation(seller_id=seller_id, order_id=pk, requested_by=user, bulk=True)
            )
    Solicitation.objects.bulk_create(eligible)
    sent = len(eligible)
    return BulkReport(eligible=sent, sent=sent, skipped=skipped)
