"""Demo data for seller feedback: realistic ratings on the demo orders (mostly positive, worse
for the weaker sellers), comments in the marketplace's language, replies, removals, pending and
decided removal requests, and review requests. Written with COPY, in about a second."""

from __future__ import annotations

from datetime import timedelta

from sellercx.demo import (
    DemoContext,
    DemoProgress,
    WindowQuota,
    copy_rows,
    register,
    reserve_ids,
)
from sellercx.models import User

from .checks import Ground, automatic_decision
from .models import Feedback, FeedbackReply, RemovalRequest, Solicitation
from .rules import feedback_window_open

# Share of delivered orders that get feedback, and the star weights (5, 4, 3, 2, 1) by the
# seller's quality.
FEEDBACK_RATE = 0.14
STAR_WEIGHTS = {
    "normal": (77, 16, 4, 1, 2),
    "at_risk": (66, 15, 6, 4, 9),
    "failing": (55, 13, 7, 8, 17),
}

COMMENTS = {
    "en": {
        5: [
            "Great seller, fast shipping!",
            "Item exactly as described. Thank you!",
            "Arrived early and well packed.",
            "Excellent communication, would buy again.",
            "",
        ],
        4: ["Good seller, delivery took a little longer.", "All fine, item as described.", ""],
        3: ["OK. Packaging could be better.", "Took a while to arrive but it's fine."],
        2: ["Arrived late and the box was crushed.", "Seller took days to answer my message."],
        1: [
            "Never received my order and no reply from the seller.",
            "Wrong item sent, still waiting for a refund.",
            "Terrible. Call me back at 555-123-4567 or I file a claim.",
            "The blender stopped working after two days, poor quality motor.",
            "Package arrived damaged, the carrier threw it over the fence.",
        ],
    },
    "fr": {
        5: [
            "Vendeur sérieux, livraison rapide !",
            "Article conforme à la description, merci.",
            "Très bien emballé, je recommande.",
            "",
        ],
        4: ["Bon vendeur, livraison un peu lente.", "Rien à redire, conforme.", ""],
        3: ["Correct, mais l'emballage était léger.", "Délai un peu long."],
        2: ["Colis arrivé en retard et abîmé.", "Le vendeur ne répond pas aux messages."],
        1: [
            "Jamais reçu ma commande, aucune réponse du vendeur.",
            "Mauvais article envoyé, toujours pas remboursé.",
            "Inadmissible ! Écrivez-moi à client.furieux@example.fr",
            "Le produit ne fonctionne pas, qualité médiocre.",
            "Colis livré en retard et endommagé par le transporteur.",
        ],
    },
    "pl": {
        5: [
            "Świetny sprzedawca, szybka wysyłka!",
            "Towar zgodny z opisem, dziękuję.",
            "Bardzo dobrze zapakowane, polecam.",
            "",
        ],
        4: ["Dobry sprzedawca, dostawa trochę trwała.", "Wszystko w porządku.", ""],
        3: ["W porządku, ale opakowanie słabe.", "Długo czekałem na przesyłkę."],
        2: ["Paczka przyszła spóźniona i zgnieciona.", "Sprzedawca nie odpowiada na wiadomości."],
        1: [
            "Nie otrzymałem zamówienia, brak kontaktu ze sprzedawcą.",
            "Przysłano zły produkt, nadal czekam na zwrot pieniędzy.",
            "Skandal! Zadzwońcie: +48 601 234 567",
            "Produkt przestał działać po tygodniu, słaba jakość.",
            "Przesyłka uszkodzona przez kuriera.",
        ],
    },
}

REPLIES = {
    "en": "We're sorry about this. We have written to you to put it right.",
    "fr": "Nous sommes désolés. Nous vous avons écrit pour trouver une solution.",
    "pl": "Przepraszamy. Napisaliśmy do Państwa, aby rozwiązać problem.",
}


def _quotas(ctx: DemoContext, days: dict[tuple[int, int], list]) -> dict[tuple[int, int], list]:
    """Per seller and marketplace, the quotas that keep the promised Account health of the
    negative feedback rate (90 days), the positive share and the average rating (365 days):
    each a ``WindowQuota`` and the weight a rating puts in it."""
    from metrics.definitions import FEEDBACK_WINDOW_DAYS, FEEDBACK_YEAR_DAYS, Metric
    from metrics.demo import SAFETY, edges, snapshot_days

    ends = snapshot_days(ctx)
    quotas = {}
    for (seller_id, marketplace_id), group in days.items():
        edge = edges(ctx.promised_health[seller_id])
        if not edge:
            continue
        negative = float(edge[Metric.NEGATIVE_FEEDBACK]) * SAFETY
        not_positive = (1 - float(edge[Metric.POSITIVE_FEEDBACK])) * SAFETY
        below_five = (5 - float(edge[Metric.AVERAGE_RATING])) * SAFETY
        quotas[seller_id, marketplace_id] = [
            (
                WindowQuota(group, length=FEEDBACK_WINDOW_DAYS, ends=ends, share=negative),
                lambda stars: stars <= 2,
            ),
            (
                WindowQuota(group, length=FEEDBACK_YEAR_DAYS, ends=ends, share=not_positive),
                lambda stars: stars <= 3,
            ),
            (
                WindowQuota(group, length=FEEDBACK_YEAR_DAYS, ends=ends, share=below_five),
                lambda stars: 5 - stars,
            ),
        ]
    return quotas


@register(30, "feedback", marker=Feedback)
def load_feedback(ctx: DemoContext, progress: DemoProgress) -> None:
    rng, now = ctx.rng, ctx.now
    delivered = [o for o in ctx.orders if o.delivered_at is not None and o.delivered_at < now]
    chosen = []  # (order, left at)
    for order in delivered:
        if rng.random() >= FEEDBACK_RATE:
            continue
        left_at = order.delivered_at + timedelta(days=rng.randint(0, 20), hours=rng.randint(0, 23))
        if left_at <= now and feedback_window_open(purchased_at=order.purchased_at, at=left_at):
            chosen.append((order, left_at))
    days: dict[tuple[int, int], list] = {}
    for order, left_at in chosen:
        days.setdefault((order.seller_id, order.marketplace_id), []).append(left_at.date())
    quotas = _quotas(ctx, days)
    ids = iter(reserve_ids(Feedback, len(chosen)))
    feedback_rows, negatives = [], []
    for order, left_at in progress.track(chosen, desc="feedback"):
        quality = ctx.seller_quality.get(order.seller_id, "normal")
        stars = rng.choices((5, 4, 3, 2, 1), weights=STAR_WEIGHTS[quality])[0]
        # A rating the promised Account health has no room for is a 5 instead.
        group = quotas.get((order.seller_id, order.marketplace_id), [])
        if not all(quota.fits(left_at.date(), weight(stars)) for quota, weight in group):
            stars = 5
        for quota, weight in group:
            quota.take(left_at.date(), weight(stars))
        language = ctx.languages[order.marketplace_id]
        comment = rng.choice(COMMENTS[language][stars])
        late = order.promised_delivery_at and order.delivered_at > order.promised_delivery_at
        removed = stars <= 2 and rng.random() < 0.08 and (now - left_at).days > 3
        pk = next(ids)
        feedback_rows.append(
            (
                pk,
                order.seller_id,
                order.marketplace_id,
                order.id,
                order.buyer_id,
                f"FB-{order.external_id}",
                stars,
                comment,
                not late and stars >= 3,
                stars >= 3,
                stars >= 4,
                left_at,
                # FB-5: removed by the buyer some days later, never after now
                left_at + timedelta(days=rng.randint(1, min(20, (now - left_at).days)))
                if removed
                else None,
                "buyer" if removed else "",
                None,
            )
        )
        if stars <= 2 and not removed:
            negatives.append((pk, order, left_at, language, comment))
    copy_rows(
        Feedback,
        "id seller_id marketplace_id order_id buyer_id external_id rating comment "
        "arrived_on_time item_as_described prompt_service left_at removed_at removed_by "
        "struck_through_at",
        feedback_rows,
    )

    replies, removals, decided = [], [], []
    # Each account's own admin replies and asks for removals (never another account's user).
    owners = dict(User.objects.filter(email__startswith="owner@").values_list("seller_id", "pk"))
    staff = ctx.users.get("staff@sellercx.example")
    for pk, order, left_at, language, comment in negatives:
        roll = rng.random()
        owner = owners.get(order.seller_id)
        if roll < 0.35:
            # The next day, or by now for today's feedback: never a reply from the future.
            replied_at = min(left_at + timedelta(days=1), now)
            replies.append((pk, order.seller_id, REPLIES[language], owner, replied_at))
        requested = left_at + timedelta(days=rng.randint(1, 6))
        if roll <= 0.7 or requested > now:
            continue
        fba = order.fulfilment_channel == "marketplace"
        ground = Ground.FULFILMENT if fba else Ground.ABUSIVE
        # The same checks as a real request: clear cases are decided at once.
        finding = automatic_decision(
            text=comment,
            ground=ground,
            language=language,
            marketplace_fulfilled=fba,
            abusive_words=(),
        )
        if finding is not None:
            status, at, by, automatic = finding.decision, requested, None, True
            reason, evidence = str(finding.reason), finding.evidence[:200]
        elif (now - requested).days <= 30:  # the recent ones still wait, some overdue
            status, at, by, automatic, reason, evidence = "pending", None, None, False, "", ""
        else:
            status, at, by, automatic = "declined", requested + timedelta(days=2), staff, False
            reason = "The comment is about the seller's service and follows the guidelines."
            evidence = ""
        if status in ("removed", "struck_through"):
            decided.append((pk, status, at))
        removals.append(
            (
                pk,
                order.seller_id,
                ground,
                "",
                owner,
                requested,
                status,
                at,
                by,
                automatic,
                reason,
                evidence,
            )
        )
    copy_rows(FeedbackReply, "feedback_id seller_id text author_id created_at", replies)
    copy_rows(
        RemovalRequest,
        "feedback_id seller_id ground note requested_by_id requested_at status decided_at "
        "decided_by_id automatic decision_reason evidence",
        removals,
    )
    Feedback.objects.bulk_update(
        [
            Feedback(pk=pk, removed_at=at, removed_by="marketplace", struck_through_at=None)
            if status == "removed"
            else Feedback(pk=pk, removed_at=None, removed_by="", struck_through_at=at)
            for pk, status, at in decided
        ],
        ["removed_at", "removed_by", "struck_through_at"],
    )

    # FB-11: the Northwind team asked for reviews on part of its delivered orders.
    northwind = ctx.northwind_id
    requests = [
        (o.seller_id, o.id, owner, o.delivered_at + timedelta(days=rng.randint(5, 12)), False)
        for o in delivered
        if o.seller_id == northwind
        and rng.random() < 0.4
        and o.delivered_at + timedelta(days=12) < now
    ]
    copy_rows(Solicitation, "seller_id order_id requested_by_id sent_at bulk", requests)
