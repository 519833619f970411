"""Demo data for buyer–seller messaging: questions about orders in each marketplace's language,
most answered by the seller, some still awaiting a reply, and buyers answering the brand's
"Contact the customer" (RV-6)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import NamedTuple

from sellercx import periods, recompute
from sellercx.demo import (
    DemoContext,
    DemoProgress,
    Systematic,
    WindowQuota,
    copy_rows,
    register,
    reserve_ids,
)

from .models import Conversation, Message, Survey

CONVERSATION_RATE = 0.08  # share of recent orders a buyer writes about
BUSY_RATE = 0.4

QUESTIONS = {
    "en": ("Where is my order?", "Hi, my parcel has not arrived yet. Can you check?"),
    "fr": (
        "Où est ma commande ?",
        "Bonjour, mon colis n'est pas encore arrivé. Pouvez-vous vérifier ?",
    ),
    "pl": (
        "Gdzie jest moje zamówienie?",
        "Dzień dobry, paczka jeszcze nie dotarła. Czy możecie sprawdzić?",
    ),
}
ANSWERS = {
    "en": "Sorry for the wait: it left our warehouse yesterday, here is the tracking number.",
    "fr": "Désolé pour l'attente : il a quitté notre entrepôt hier, voici le numéro de suivi.",
    "pl": "Przepraszamy za opóźnienie: paczka wyszła wczoraj z magazynu, oto numer przesyłki.",
}
CONTACT_REPLIES = {
    "en": "Yes, you can message me. The lid cracked on the second day.",
    "fr": "Oui, vous pouvez m'écrire. Le couvercle s'est fendu le deuxième jour.",
    "pl": "Tak, proszę o kontakt. Pokrywka pękła drugiego dnia.",
}
CONTACT_ANSWERS = {
    "en": "Thank you for writing back. We are sending a replacement lid today, free of charge.",
    "fr": "Merci de votre réponse. Nous vous envoyons un couvercle de rechange aujourd'hui, "
    "sans frais.",
    "pl": "Dziękujemy za odpowiedź. Jeszcze dziś wyślemy bezpłatnie nową pokrywkę.",
}
# MS-5 habits by seller quality: (share of buyer messages answered, reply delays in hours). A
# good seller answers nearly all within 24 hours (the 90% target); an at-risk one is late now
# and then; a failing one often. Unanswered messages stay in the inbox, awaiting a reply.
REPLY_HABITS = {
    "normal": (0.985, (1, 2, 3, 4, 5, 8, 11, 16, 20, 23)),
    "at_risk": (0.99, (2, 3, 5, 8, 11, 13, 14, 16, 18, 19, 20, 21, 22, 23, 23, 30)),
    "failing": (0.8, (2, 5, 11, 20, 30, 52)),
}


# How long an unanswered buyer message may still wait in the demo inbox (UX-6: the inbox shows
# the longest-waiting first, so a message left for months would be all a newcomer sees).
STILL_WAITING = timedelta(days=5)


# CS-6 bands by seller quality: the share of buyers who answer "yes" (a rating of 9.0 keeps it
# up, 7.4 needs improvement, 4.5 needs attention).
YES_SHARE = {"normal": 0.9, "at_risk": 0.74, "failing": 0.45}


def _response_quotas(ctx: DemoContext, questions: list) -> dict:
    """Per seller and marketplace, the quota of late replies (MS-5: not within 24 hours) that
    keeps the promised Account health of the contact response time over 90 days."""
    from metrics.definitions import RESPONSE_WINDOW_DAYS, Metric
    from metrics.demo import SAFETY, edges, snapshot_days

    days: dict[tuple[int, int], list] = {}
    for question in questions:
        days.setdefault((question.seller_id, question.marketplace_id), []).append(
            question.asked.date()
        )
    ends = snapshot_days(ctx)
    quotas = {}
    for (seller_id, marketplace_id), group in days.items():
        edge = edges(ctx.promised_health[seller_id]).get(Metric.RESPONSE_TIME)
        if edge is not None:
            share = (1 - float(edge)) * SAFETY
            quotas[seller_id, marketplace_id] = WindowQuota(
                group, length=RESPONSE_WINDOW_DAYS, ends=ends, share=share
            )
    return quotas


class _Question(NamedTuple):
    """A conversation's first buyer message: about an order, or the buyer's answer to the
    brand's "Contact the customer" (``contact_id``)."""

    asked: datetime
    seller_id: int
    marketplace_id: int
    buyer_id: int
    order_id: int | None
    subject: str
    text: str
    contact_id: int | None


def _questions(ctx: DemoContext) -> list[_Question]:
    from reviews.models import CustomerContact

    rng, now = ctx.rng, ctx.now
    recent = [o for o in ctx.orders if now - o.purchased_at < timedelta(days=200)]
    # The showcase sellers (Northwind, the one at risk, the failing one) get enough messages
    # for a customer-service rating in each band; the others too few (CS-5).
    busy = {ctx.northwind_id, ctx.at_risk_seller_id, ctx.failing_seller_id}
    questions = []
    for o in recent:
        rate = (
            0.9  # the failing seller: smaller, but with many unhappy buyers
            if o.seller_id == ctx.failing_seller_id
            else BUSY_RATE
            if o.seller_id in busy
            else CONVERSATION_RATE
        )
        if rng.random() >= rate:
            continue
        asked = o.purchased_at + timedelta(days=rng.randint(2, 10), hours=rng.randint(0, 23))
        if asked <= now:
            subject, text = QUESTIONS[ctx.languages[o.marketplace_id]]
            questions.append(
                _Question(
                    asked,
                    o.seller_id,
                    o.marketplace_id,
                    o.buyer_id,
                    o.id,
                    subject,
                    text,
                    contact_id=None,
                )
            )
    contacts = CustomerContact.objects.values_list(
        "id",
        "seller_id",
        "review__marketplace_id",
        "review__buyer_id",
        "order_id",
        "created_at",
        "review__brand__name",
    ).order_by("pk")
    for contact_id, seller_id, marketplace_id, buyer_id, order_id, at, brand in contacts:
        replied = at + timedelta(hours=rng.randint(3, 48))
        if replied <= now:
            subject = f"Re: {brand or ''} about your review".replace("  ", " ")
            text = CONTACT_REPLIES[ctx.languages[marketplace_id]]
            questions.append(
                _Question(
                    replied,
                    seller_id,
                    marketplace_id,
                    buyer_id,
                    order_id,
                    subject,
                    text,
                    contact_id,
                )
            )
    questions.sort(key=lambda q: (q.asked, q.seller_id, q.buyer_id))
    return questions


@register(50, "messaging", marker=Conversation)
def load_messages(ctx: DemoContext, progress: DemoProgress) -> None:
    rng, now = ctx.rng, ctx.now
    questions = _questions(ctx)
    quotas = _response_quotas(ctx, questions)
    ids = iter(reserve_ids(Conversation, len(questions)))
    conversations, messages = [], []
    for q in progress.track(questions, desc="conversations"):
        language = ctx.languages[q.marketplace_id]
        share, delays = REPLY_HABITS[ctx.seller_quality.get(q.seller_id, "normal")]
        # The buyers who answered the brand's contact wait in the inbox, unless the promise of
        # the seller's response time needs them answered.
        answered = q.contact_id is None and rng.random() < share
        answer_at = q.asked + timedelta(hours=rng.choice(delays))
        answered = answered and answer_at < now
        late = not answered or answer_at - q.asked > timedelta(hours=24)
        quota = quotas.get((q.seller_id, q.marketplace_id))
        if quota is not None and not quota.fits(q.asked.date(), late):
            # The promised Account health has no room for one more late reply: on time.
            answer_at = q.asked + timedelta(hours=rng.choice([d for d in delays if d < 24]))
            answered, late = answer_at < now, False
        if not answered and q.asked < now - STILL_WAITING:
            # A seller answers in the end: only this week's messages still wait in the inbox;
            # an older one was answered late (late either way for MS-5: the quota holds).
            answer_at = q.asked + timedelta(hours=rng.randint(26, 72))
            answered = answer_at < now
        if quota is not None:
            quota.take(q.asked.date(), late)
        pk = next(ids)
        last = answer_at if answered else q.asked
        conversations.append(
            (
                pk,
                q.seller_id,
                q.marketplace_id,
                q.buyer_id,
                q.order_id,
                q.subject,
                q.contact_id,
                q.asked,
                last,
            )
        )
        messages.append(
            (
                pk,
                q.seller_id,
                q.marketplace_id,
                "buyer",
                f"MSG-{pk}-1",
                q.text,
                q.asked,
                answer_at if answered else None,
            )
        )
        if answered:
            messages.append(
                (
                    pk,
                    q.seller_id,
                    q.marketplace_id,
                    "seller",
                    "",
                    (ANSWERS if q.contact_id is None else CONTACT_ANSWERS)[language],
                    answer_at,
                    None,
                )
            )
    copy_rows(
        Conversation,
        "id seller_id marketplace_id buyer_id order_id subject contact_id created_at "
        "last_message_at",
        conversations,
    )
    message_ids = iter(reserve_ids(Message, len(messages)))
    messages = [(next(message_ids), *row) for row in messages]
    copy_rows(
        Message,
        "id conversation_id seller_id marketplace_id direction external_id body sent_at read_at",
        messages,
    )
    # Northwind's replies are its support agent's (the activity log shows who wrote them).
    Message.objects.filter(seller_id=ctx.northwind_id, direction="seller").update(
        author_id=ctx.users["support@northwind.example"]
    )

    # MS-2, MS-3: every seller reply carries the survey; about half the buyers answer, and the
    # weaker sellers get more "no". Then CS-9: 26 weeks of ratings, computed set-based.
    # "No" is drawn systematically per seller and marketplace, in the order the answers
    # arrive, so every 4 weeks of answers hold the seller's share of them give or take one:
    # with CS-5's 40 answers, each rating stays in its band (CS-6) whatever the day.
    replies = []
    for pk, conversation_id, seller_id, marketplace_id, direction, _e, _b, sent_at, _r in messages:
        if direction != "seller":
            continue
        answered_at = sent_at + timedelta(hours=rng.randint(1, 72))
        answered = rng.random() < 0.7 and answered_at < now
        replies.append((answered_at, pk, conversation_id, seller_id, marketplace_id, answered))
    replies.sort()
    no_draws: dict[tuple[int, int], Systematic] = {}
    surveys = []
    for answered_at, pk, conversation_id, seller_id, marketplace_id, answered in replies:
        value = ""
        if answered:
            quality = ctx.seller_quality.get(seller_id, "normal")
            draw = no_draws.setdefault(
                (seller_id, marketplace_id), Systematic(rng, 1 - YES_SHARE[quality])
            )
            value = "no" if draw.draw() else "yes"
        surveys.append(
            (
                pk,
                conversation_id,
                seller_id,
                marketplace_id,
                value,
                f"ANS-{pk}" if answered else "",
                answered_at if answered else None,
            )
        )
    copy_rows(
        Survey,
        "message_id conversation_id seller_id marketplace_id answer answer_external_id answered_at",
        surveys,
    )
    progress.stage("customer-service ratings, 26 weeks")
    job = recompute.get("cs-rating")
    sellers = list(ctx.sellers.values())
    for week in periods.periods_back(periods.current_period("weekly", now.date()), 26, "weekly"):
        job.fn(period=week, seller_ids=sellers)
