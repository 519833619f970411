"""Demo data for buyer–seller messaging: questions about orders in each marketplace's language,
most answered by the seller, some still awaiting a reply, and buyers answering the brand's
"Contact the customer" (RV-6)."""

from __future__ import annotations

from datetime import timedelta

from sellercx.demo import DemoContext, DemoProgress, copy_rows, register, reserve_ids

from .models import Conversation, Message

CONVERSATION_RATE = 0.03  # share of orders a buyer writes about

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


@register(50, "messaging")
def load_messages(ctx: DemoContext, progress: DemoProgress) -> None:
    from reviews.models import CustomerContact

    rng, now = ctx.rng, ctx.now
    recent = [o for o in ctx.orders if now - o.purchased_at < timedelta(days=120)]
    chosen = [o for o in recent if rng.random() < CONVERSATION_RATE]
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
        answered = rng.random() < 0.8
        answer_at = asked + timedelta(hours=rng.choice((2, 5, 11, 20, 30, 52)))
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
    copy_rows(
        Message,
        "conversation_id seller_id marketplace_id direction external_id body sent_at read_at",
        messages,
    )
