"""Demo data for buyer–seller messaging: questions about orders in each marketplace's language,
most answered by the seller, some still awaiting a reply, and buyers answering the brand's
"Contact the customer" (RV-6)."""

from __future__ import annotations

from datetime import timedelta

from sellercx import periods, recompute
from sellercx.demo import DemoContext, DemoProgress, copy_rows, register, reserve_ids

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
# MS-5 habits by seller quality: (share of buyer messages answered, reply delays in hours). A
# good seller answers nearly all within 24 hours (the 90% target); an at-risk one is late now
# and then; a failing one often. Unanswered messages stay in the inbox, awaiting a reply.
REPLY_HABITS = {
    "normal": (0.985, (1, 2, 3, 4, 5, 8, 11, 16, 20, 23)),
    "at_risk": (0.99, (2, 3, 5, 8, 11, 13, 14, 16, 18, 19, 20, 21, 22, 23, 23, 30)),
    "failing": (0.8, (2, 5, 11, 20, 30, 52)),
}


@register(50, "messaging", marker=Conversation)
def load_messages(ctx: DemoContext, progress: DemoProgress) -> None:
    from reviews.models import CustomerContact

    rng, now = ctx.rng, ctx.now
    recent = [o for o in ctx.orders if now - o.purchased_at < timedelta(days=200)]
    # The showcase sellers (Northwind, the one at risk, the failing one) get enough messages
    # for a customer-service rating in each band; the others too few (CS-5).
    busy = {ctx.northwind_id, ctx.at_risk_seller_id, ctx.failing_seller_id}
    chosen = [
        o
        for o in recent
        if rng.random()
        < (
            0.9
            if o.seller_id == ctx.failing_seller_id  # smaller, but with many unhappy buyers
            else BUSY_RATE
            if o.seller_id in busy
            else CONVERSATION_RATE
        )
    ]
    contacts = list(
        CustomerContact.objects.select_related("review__brand").values_list(
            "id",
            "seller_id",
            "review__marketplace_id",
            "review__buyer_id",
            "order_id",
            "created_at",
            "review__brand__name",
        )
    )
    ids = iter(reserve_ids(Conversation, len(chosen) + len(contacts)))
    conversations, messages = [], []
    for order in progress.track(chosen, desc="conversations"):
        language = ctx.languages[order.marketplace_id]
        subject, question = QUESTIONS[language]
        asked = order.purchased_at + timedelta(days=rng.randint(2, 10), hours=rng.randint(0, 23))
        if asked > now:
            continue
        share, delays = REPLY_HABITS[ctx.seller_quality.get(order.seller_id, "normal")]
        answered = rng.random() < share
        answer_at = asked + timedelta(hours=rng.choice(delays))
        answered = answered and answer_at < now
        pk = next(ids)
        last = answer_at if answered else asked
        conversations.append(
            (
                pk,
                order.seller_id,
                order.marketplace_id,
                order.buyer_id,
                order.id,
                subject,
                None,
                asked,
                last,
            )
        )
        messages.append(
            (
                pk,
                order.seller_id,
                order.marketplace_id,
                "buyer",
                f"MSG-{pk}-1",
                question,
                asked,
                answer_at if answered else None,
            )
        )
        if answered:
            messages.append(
                (
                    pk,
                    order.seller_id,
                    order.marketplace_id,
                    "seller",
                    "",
                    ANSWERS[language],
                    answer_at,
                    None,
                )
            )
    for contact_id, seller_id, marketplace_id, buyer_id, order_id, at, brand in contacts:
        language = ctx.languages[marketplace_id]
        replied = at + timedelta(hours=rng.randint(3, 48))
        if replied > now:
            continue
        pk = next(ids)
        conversations.append(
            (
                pk,
                seller_id,
                marketplace_id,
                buyer_id,
                order_id,
                f"Re: {brand or ''} about your review".replace("  ", " "),
                contact_id,
                replied,
                replied,
            )
        )
        messages.append(
            (
                pk,
                seller_id,
                marketplace_id,
                "buyer",
                f"MSG-{pk}-1",
                CONTACT_REPLIES[language],
                replied,
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
    yes_share = {"normal": 0.9, "at_risk": 0.74, "failing": 0.45}
    surveys = []
    for pk, conversation_id, seller_id, marketplace_id, direction, _e, _b, sent_at, _r in messages:
        if direction != "seller":
            continue
        answered_at = sent_at + timedelta(hours=rng.randint(1, 72))
        answered = rng.random() < 0.7 and answered_at < now
        value = (
            "yes" if rng.random() < yes_share[ctx.seller_quality.get(seller_id, "normal")] else "no"
        )
        surveys.append(
            (
                pk,
                conversation_id,
                seller_id,
                marketplace_id,
                value if answered else "",
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
