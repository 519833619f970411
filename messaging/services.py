"""Writes of buyer–seller messaging (SPEC §4)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from sellercx.errors import (
    ApplicationError,
    Conflict,
    InvalidInput,
    NotFound,
    PermissionDenied,
    RuleViolation,
)
from sellercx.guidelines import assess_message
from sellercx.models import Marketplace, Order, SellerMarketplace
from sellercx.permissions import Access, Area
from sellercx.services import audit
from sellercx.services.ingestion import ensure_buyers

from . import selectors
from .models import Conversation, Message, Survey


@dataclass
class BuyerMessageInput:
    external_id: str
    seller_id: int
    buyer_id: str
    body: str
    order_id: str | None = None
    contact_id: int | None = None
    subject: str = ""
    sent_at: datetime | None = None
    attachments: list = field(default_factory=list)


def _once_each(rows: list[BuyerMessageInput]) -> list[BuyerMessageInput]:
    """A message id named twice in one batch: the same message sent twice counts once; two
    different messages under one id are refused, naming the second (it was a 500)."""
    first: dict[str, int] = {}
    kept, problems = [], []
    for index, row in enumerate(rows):
        if row.external_id not in first:
            first[row.external_id] = index
            kept.append(row)
        elif row != rows[first[row.external_id]]:
            problems.append(
                {
                    "field": f"messages[{index}].messageId",
                    "message": _("This id names another message earlier in the batch."),
                }
            )
    if problems:
        raise InvalidInput(
            _("%(n)d row(s) of the batch were refused; nothing was stored.") % {"n": len(problems)},
            details=problems,
        )
    return kept


@transaction.atomic
def ingest_buyer_messages(*, marketplace: Marketplace, rows: list[BuyerMessageInput]) -> dict:
    """MS-1, API-6, RV-6: buyer messages from the storefront, in a fixed number of queries.

    Idempotent on the marketplace's message id. A message answering a brand's "Contact the
    customer" (``contactId``) joins that contact's conversation, linked to its order; others
    join the buyer's conversation with the seller about the same order (or none), created when
    missing. All or nothing.
    """
    from reviews.models import CustomerContact
    from sellercx.services.ingestion import lock_external_ids

    # Each message's row in the batch as sent, to name it in a refusal.
    row_of = {r.external_id: index for index, r in reversed(list(enumerate(rows)))}
    rows = _once_each(rows)
    lock_external_ids("message", marketplace, (r.external_id for r in rows))
    known = set(
        Message.objects.filter(
            marketplace=marketplace, external_id__in=[r.external_id for r in rows]
        ).values_list("external_id", flat=True)
    )
    rows = [r for r in rows if r.external_id not in known]
    sellers = set(
        SellerMarketplace.objects.filter(
            marketplace=marketplace, seller_id__in={r.seller_id for r in rows}
        ).values_list("seller_id", flat=True)
    )
    orders = {
        o.external_id: o
        for o in Order.objects.filter(
            marketplace=marketplace, external_id__in={r.order_id for r in rows if r.order_id}
        )
    }
    contacts = {
        c.pk: c
        for c in CustomerContact.objects.select_related("review__buyer", "review__brand").filter(
            pk__in={r.contact_id for r in rows if r.contact_id},
            review__marketplace=marketplace,
        )
    }
    problems = []
    now = timezone.now()
    for row in rows:
        path = f"messages[{row_of[row.external_id]}]"
        if row.seller_id not in sellers:
            problems.append({"field": f"{path}.sellerId", "message": _("Unknown seller here.")})
        sent_at = row.sent_at or now
        order = orders.get(row.order_id) if row.order_id else None
        if row.order_id and (order is None or order.seller_id != row.seller_id):
            problems.append(
                {"field": f"{path}.orderId", "message": _("No such order of this seller.")}
            )
        elif order is not None and sent_at < order.purchased_at:
            problems.append(
                {
                    "field": f"{path}.sentAt",
                    "code": "RuleViolation",
                    "message": _("This message precedes the order's purchase (%(date)s).")
                    % {"date": order.purchased_at.isoformat()},
                }
            )
        if row.contact_id:
            contact = contacts.get(row.contact_id)
            if (
                contact is None
                or contact.seller_id != row.seller_id
                or contact.review.buyer.external_id != row.buyer_id
            ):
                problems.append(
                    {"field": f"{path}.contactId", "message": _("No such contact with this buyer.")}
                )
            elif sent_at < contact.created_at:
                problems.append(
                    {
                        "field": f"{path}.sentAt",
                        "code": "RuleViolation",
                        "message": _("This message precedes the contact it answers (%(date)s).")
                        % {"date": contact.created_at.isoformat()},
                    }
                )
    if problems:
        raise _refusal(problems)(
            _("%(n)d row(s) of the batch were refused; nothing was stored.") % {"n": len(problems)},
            details=problems,
        )
    if not rows:
        return {"received": len(known), "created": 0, "updated": 0}

    buyers = ensure_buyers(marketplace, {r.buyer_id for r in rows})

    def key(row) -> tuple:
        if row.contact_id:
            return ("contact", row.contact_id)
        order = orders.get(row.order_id) if row.order_id else None
        return ("order", row.seller_id, buyers[row.buyer_id], order.pk if order else None)

    existing: dict[tuple, Conversation] = {}
    for conversation in Conversation.objects.filter(
        marketplace=marketplace,
        seller_id__in={r.seller_id for r in rows},
        buyer_id__in=set(buyers.values()),
    ).order_by("created_at"):
        if conversation.contact_id:
            existing[("contact", conversation.contact_id)] = conversation
        else:
            existing.setdefault(
                ("order", conversation.seller_id, conversation.buyer_id, conversation.order_id),
                conversation,
            )
    missing: dict[tuple, Conversation] = {}
    for row in rows:
        k = key(row)
        if k in existing or k in missing:
            continue
        contact = contacts.get(row.contact_id) if row.contact_id else None
        order = contact.order if contact else orders.get(row.order_id) if row.order_id else None
        subject = row.subject
        if contact and not subject:
            brand = contact.review.brand.name if contact.review.brand_id else ""
            subject = _("Re: %(brand)s about your review") % {"brand": brand}
        missing[k] = Conversation(
            seller_id=row.seller_id,
            marketplace=marketplace,
            buyer_id=buyers[row.buyer_id],
            order=order,
            subject=subject[:200],
            contact=contact,
            created_at=row.sent_at or now,
        )
    Conversation.objects.bulk_create(missing.values())
    existing.update(missing)
    messages = [
        Message(
            conversation=existing[key(row)],
            seller_id=row.seller_id,
            marketplace=marketplace,
            direction=Message.Direction.BUYER,
            external_id=row.external_id,
            body=row.body,
            attachments=row.attachments,
            sent_at=row.sent_at or now,
        )
        for row in rows
    ]
    Message.objects.bulk_create(messages)
    touched = {m.conversation_id for m in messages}
    latest = dict(
        Message.objects.filter(conversation_id__in=touched)
        .values("conversation_id")
        .annotate(last=Max("sent_at"))
        .values_list("conversation_id", "last")
    )
    Conversation.objects.bulk_update(
        [Conversation(pk=pk, last_message_at=at) for pk, at in latest.items()],
        ["last_message_at"],
    )
    return {"received": len(rows) + len(known), "created": len(rows), "updated": 0}


def mark_conversation_read(*, seller_id: int, conversation_id: int) -> int:
    """The seller opened the conversation: its buyer messages are read (MS-4)."""
    return Message.objects.filter(
        conversation_id=conversation_id,
        seller_id=seller_id,
        direction=Message.Direction.BUYER,
        read_at__isnull=True,
    ).update(read_at=timezone.now())


MAX_BODY = 20000
MAX_SUBJECT = 200


def _message_body(body: str | None) -> str:
    body = (body or "").strip()
    if not body:
        raise InvalidInput(_("Write the message first."), details="body")
    if len(body) > MAX_BODY:
        raise InvalidInput(_("The message is too long."), details="body")
    return body


def _within_guidelines(text: str, *, language: str):
    """RV-7: a message that tries to influence reviews is refused; a borderline one is sent,
    flagged for staff (the returned assessment's breaches)."""
    assessment = assess_message(text, language=language)
    if not assessment.allowed:
        raise RuleViolation(
            " ".join(str(b.explanation) for b in assessment.breaches if b.verdict == "refused"),
            code="CommunicationGuidelines",
        )
    return assessment


def _locked_order(*, seller_id: int, order_id: int) -> Order | None:
    """FB-11: the order's row, locked. Every non-critical contact of an order (a proactive
    message, here or in ``reply_to_conversation``; a review request) takes this lock before it
    reads what the order already had, so two sent at once see each other. It is taken before
    any conversation's lock, always in that order."""
    return (
        Order.objects.select_for_update(of=("self",))
        .select_related("marketplace")
        .filter(pk=order_id, seller_id=seller_id)
        .first()
    )


@transaction.atomic
def reply_to_conversation(*, user, conversation_id: int, body: str) -> Message:
    """MS-2: the seller writes in a conversation. A reply to a buyer carries the survey "Did
    this resolve your issue?"; a proactive message (no buyer message yet) carries none, and on
    an order it is FB-11's one non-critical contact (as ``contact_buyer``). RV-7: a message
    that tries to influence reviews is refused, a borderline one flagged."""
    if not user.can(Area.MESSAGES, Access.EDIT):
        raise PermissionDenied(_("Your user permissions do not allow this."))
    found = list(
        Conversation.objects.filter(pk=conversation_id, seller_id=user.seller_id).values_list(
            "order_id", flat=True
        )[:1]
    )
    if not found:
        raise NotFound(_("No such conversation."))
    order = _locked_order(seller_id=user.seller_id, order_id=found[0]) if found[0] else None
    conversation = (
        Conversation.objects.select_for_update(of=("self",))
        .select_related("marketplace")
        .get(pk=conversation_id)
    )
    body = _message_body(body)
    assessment = _within_guidelines(body, language=conversation.marketplace.language)
    replying = conversation.messages.filter(direction=Message.Direction.BUYER).exists()
    if not replying and order is not None:
        state = selectors.buyer_contact_state(seller_id=user.seller_id, order=order)
        if not state["allowed"]:
            raise RuleViolation(state["reason"], code=state["code"])
    message = _send(
        user=user,
        conversation=conversation,
        body=body,
        proactive=not replying,
        assessment=assessment,
    )
    if replying:
        Survey.objects.create(
            message=message,
            conversation=conversation,
            seller_id=conversation.seller_id,
            marketplace_id=conversation.marketplace_id,
        )
    return message


def _send(*, user, conversation: Conversation, body: str, proactive: bool, assessment) -> Message:
    """Write the seller's message (with what the guidelines check flagged for staff, RV-7),
    move the conversation up, log it (the audit trail)."""
    now = timezone.now()
    message = Message.objects.create(
        conversation=conversation,
        proactive=proactive,
        seller_id=conversation.seller_id,
        marketplace_id=conversation.marketplace_id,
        direction=Message.Direction.SELLER,
        body=body,
        sent_at=now,
        author=user,
        guideline_flags=",".join(b.code for b in assessment.breaches)[:200],
    )
    conversation.last_message_at = now
    conversation.save(update_fields=["last_message_at"])
    audit.record(
        actor=user,
        action=audit.Action.MESSAGE_SENT,
        seller_id=conversation.seller_id,
        obj=message,
        summary=(
            _("Proactive message in conversation %(id)s")
            if proactive
            else _("Reply in conversation %(id)s")
        )
        % {"id": conversation.pk},
        after={"body": body},
    )
    return message


@transaction.atomic
def contact_buyer(*, user, order_id: int, subject: str, body: str) -> Message:
    """UX-5, FB-8, FB-11: "Contact the buyer" of an order — a proactive message (MS-2: no
    survey), the order's one non-critical contact.

    It goes in the order's conversation with the buyer, created with ``subject`` when there is
    none yet (an existing one keeps its subject). Refused (``RuleViolation``) with the reason
    ``messaging.selectors.buyer_contact_state`` gives: ``ReplyInConversation`` when the buyer
    already wrote about the order — the seller answers there, and the answer is a reply with
    its survey, not a contact; ``OneContactPerOrder`` after a proactive message or a review
    request. RV-7: the guidelines check reads the subject and the message. Two identical sends
    at once give one conversation and one message: the order's row lock serialises them, and
    the second is refused as a second contact.
    """
    if not user.can(Area.MESSAGES, Access.EDIT):
        raise PermissionDenied(_("Your user permissions do not allow this."))
    order = _locked_order(seller_id=user.seller_id, order_id=order_id)
    if order is None:
        raise NotFound(_("No such order."))
    state = selectors.buyer_contact_state(seller_id=user.seller_id, order=order)
    if not state["allowed"]:
        raise RuleViolation(state["reason"], code=state["code"])
    conversation = state["conversation"]
    subject = (subject or "").strip()
    if conversation is None and not subject:
        raise InvalidInput(_("Write a subject first."), details="subject")
    if len(subject) > MAX_SUBJECT:
        raise InvalidInput(
            _("The subject is too long (at most %(n)d characters).") % {"n": MAX_SUBJECT},
            details="subject",
        )
    body = _message_body(body)
    text = f"{subject}\n{body}" if conversation is None else body
    assessment = _within_guidelines(text, language=order.marketplace.language)
    if conversation is None:
        conversation = Conversation.objects.create(
            seller_id=order.seller_id,
            marketplace_id=order.marketplace_id,
            buyer_id=order.buyer_id,
            order=order,
            subject=subject,
        )
    else:
        conversation = Conversation.objects.select_for_update(of=("self",)).get(pk=conversation.pk)
    return _send(
        user=user, conversation=conversation, body=body, proactive=True, assessment=assessment
    )


@transaction.atomic
def mark_no_response_needed(*, user, message_id: int) -> Message:
    """MS-5, UX-6: a buyer message that needs no answer (a "thank you") stops counting: it
    leaves the awaiting-reply list and is never late (the triggers of migration 0010 refresh
    the conversation). Only an unanswered message can be marked: one the seller already
    answered counts with its answer's time, which marking would otherwise erase."""
    if not user.can(Area.MESSAGES, Access.EDIT):
        raise PermissionDenied(_("Your user permissions do not allow this."))
    conversation_id = (
        Message.objects.filter(
            pk=message_id, seller_id=user.seller_id, direction=Message.Direction.BUYER
        )
        .values_list("conversation_id", flat=True)
        .first()
    )
    if conversation_id is None:
        raise NotFound(_("No such buyer message."))
    # The conversation's lock, as a reply takes it: a reply and a mark at once are in order.
    Conversation.objects.select_for_update(of=("self",)).filter(pk=conversation_id).first()
    message = Message.objects.get(pk=message_id)
    if message.no_response_needed_at is not None:
        return message
    if message.first_reply_at is not None:
        raise RuleViolation(
            _("You already answered this message: it counts with your answer."),
            code="AlreadyAnswered",
        )
    message.no_response_needed_at = timezone.now()
    message.save(update_fields=["no_response_needed_at"])
    return message


def _refusal(problems: list[dict]) -> type[ApplicationError]:
    """The status of a refused batch: 400 when a row is bad input, else 409 when every row
    conflicts with what is stored, else 422 (API-8: a time out of order)."""
    codes = {p.get("code", "InvalidInput") for p in problems}
    if codes & {"InvalidInput", "NotFound"}:
        return InvalidInput
    return Conflict if codes == {"Conflict"} else RuleViolation


@dataclass
class SurveyAnswerInput:
    external_id: str
    survey_id: int
    answer: str
    answered_at: datetime | None = None


@transaction.atomic
def ingest_survey_answers(*, marketplace: Marketplace, rows: list[SurveyAnswerInput]) -> dict:
    """MS-3: each survey is answered once; the same answer id again is idempotent, a second
    answer to an answered survey is a conflict. All or nothing, in a fixed number of queries."""
    surveys = {
        s.pk: s
        for s in Survey.objects.select_for_update(of=("self",))
        .filter(marketplace=marketplace, pk__in={r.survey_id for r in rows})
        .annotate(carried_at=F("message__sent_at"))
    }
    now = timezone.now()
    problems, changed, repeated = [], [], 0
    seen: dict[int, str] = {}
    for index, row in enumerate(rows):
        survey = surveys.get(row.survey_id)
        path = f"answers[{index}]"
        if survey is None:
            problems.append(
                {"field": f"{path}.surveyId", "code": "NotFound", "message": _("No such survey.")}
            )
        elif survey.answer_external_id == row.external_id:
            repeated += 1
        elif survey.answer or seen.get(survey.pk, row.external_id) != row.external_id:
            problems.append(
                {
                    "field": f"{path}.surveyId",
                    "code": "Conflict",
                    "message": _("This survey was already answered (once per survey)."),
                }
            )
        elif (row.answered_at or now) < survey.carried_at:
            problems.append(
                {
                    "field": f"{path}.answeredAt",
                    "code": "RuleViolation",
                    "message": _(
                        "This answer precedes the message that carried the survey (%(date)s)."
                    )
                    % {"date": survey.carried_at.isoformat()},
                }
            )
        else:
            seen[survey.pk] = row.external_id
            survey.answer = row.answer
            survey.answer_external_id = row.external_id
            survey.answered_at = row.answered_at or now
            changed.append(survey)
    if problems:
        raise _refusal(problems)(
            _("%(n)d answer(s) were refused; nothing was stored.") % {"n": len(problems)},
            details=problems,
        )
    Survey.objects.bulk_update(changed, ["answer", "answer_external_id", "answered_at"])
    return {"received": len(rows), "created": len(changed), "updated": 0}


def mark_conversation_unread(*, seller_id: int, conversation_id: int) -> int:
    """MS-4: keep a conversation for later: its latest buyer message is unread again. Another
    account's conversation is NotFound (AC-1), never "marked"."""
    if not Conversation.objects.filter(pk=conversation_id, seller_id=seller_id).exists():
        raise NotFound(_("No such conversation."))
    latest = (
        Message.objects.filter(
            conversation_id=conversation_id, seller_id=seller_id, direction=Message.Direction.BUYER
        )
        .order_by("-sent_at", "-id")
        .values("pk")[:1]
    )
    return Message.objects.filter(pk__in=latest).update(read_at=None)
