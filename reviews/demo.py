"""Demo data for product reviews: reviews of the demo products in each marketplace's language,
mostly from buyers who ordered them (verified), worse for the products that draw complaints, so
that the brand dashboard shows reviews it can answer and reviews it cannot, for every reason."""

from __future__ import annotations

from datetime import timedelta

from sellercx.demo import DemoContext, DemoProgress, copy_rows, register, reserve_ids

from .models import CustomerContact, Review

REVIEW_RATE = 0.05  # share of order lines that get a product review
UNVERIFIED_RATE = 0.08  # reviews by buyers with no order of the product
STARS = (5, 4, 3, 2, 1)
WEIGHTS = {"normal": (62, 18, 8, 4, 8), "bad": (25, 12, 13, 15, 35)}

TEXTS = {
    "en": {
        5: ("Love it", "Exactly what I needed, great quality for the price."),
        4: ("Very good", "Works well, the finish could be a little better."),
        3: ("It's okay", "Does the job but feels cheaper than in the photos."),
        2: ("Disappointed", "Stopped working properly after two weeks."),
        1: ("Broke quickly", "Poor quality: it broke the first time I used it."),
    },
    "fr": {
        5: ("Parfait", "Exactement ce qu'il me fallait, très bonne qualité pour le prix."),
        4: ("Très bien", "Fonctionne bien, les finitions pourraient être meilleures."),
        3: ("Correct", "Fait le travail mais semble moins solide que sur les photos."),
        2: ("Déçu", "Ne fonctionne plus correctement après deux semaines."),
        1: ("Cassé rapidement", "Mauvaise qualité : cassé dès la première utilisation."),
    },
    "pl": {
        5: ("Świetny", "Dokładnie to, czego potrzebowałem, świetna jakość w tej cenie."),
        4: ("Bardzo dobry", "Działa dobrze, wykończenie mogłoby być lepsze."),
        3: ("W porządku", "Spełnia swoje zadanie, ale wygląda taniej niż na zdjęciach."),
        2: ("Rozczarowanie", "Po dwóch tygodniach przestał dobrze działać."),
        1: ("Szybko się zepsuł", "Słaba jakość: zepsuł się przy pierwszym użyciu."),
    },
}


@register(40, "reviews", marker=Review)
def load_reviews(ctx: DemoContext, progress: DemoProgress) -> None:
    rng, now = ctx.rng, ctx.now
    seen: set[tuple[int, int]] = set()  # RV-1: one review per buyer and product
    rows = []
    for order in progress.track(ctx.orders, desc="reviews"):
        if order.delivered_at is None or order.delivered_at > now:
            continue
        for line in order.lines:
            key = (order.buyer_id, line.product_id)
            if key in seen or rng.random() > REVIEW_RATE:
                continue
            seen.add(key)
            verified = rng.random() > UNVERIFIED_RATE
            quality = "bad" if line.product_id in ctx.bad_product_ids else "normal"
            stars = rng.choices(STARS, weights=WEIGHTS[quality])[0]
            title, text = TEXTS[ctx.languages[order.marketplace_id]][stars]
            posted = min(now, order.delivered_at + timedelta(days=rng.randint(1, 40)))
            rows.append(
                (
                    order.marketplace_id,
                    line.product_id,
                    ctx.product_brand.get(line.product_id),
                    order.buyer_id,
                    f"RV-{order.external_id}-{line.product_id}",
                    stars,
                    title,
                    text,
                    order.id if verified else None,
                    posted,
                    order,
                )
            )
    ids = iter(reserve_ids(Review, len(rows)))
    with_ids = [(next(ids), *row) for row in rows]
    copy_rows(
        Review,
        "id marketplace_id product_id brand_id buyer_id external_id rating title text "
        "verified_order_id posted_at",
        (row[:-1] for row in with_ids),
    )

    # A few negative reviews the brand already answered with "Customer service".
    owner = ctx.users.get("owner@northwind.example")
    contacts = [
        (
            pk,
            order.seller_id,
            order.id,
            "customer_service",
            ctx.languages[order.marketplace_id],
            owner,
            posted + timedelta(days=1),
            "sent",
            posted + timedelta(days=1),
        )
        for pk, _m, _p, _b, _u, _e, stars, _t, _x, verified_order, posted, order in with_ids
        if verified_order
        and stars <= 2
        and order.seller_id == ctx.northwind_id
        and now - order.purchased_at < timedelta(days=300)
        and rng.random() < 0.15
        and posted + timedelta(days=1) <= now  # answered the next day: never from the future
    ]
    copy_rows(
        CustomerContact,
        "review_id seller_id order_id reason language sent_by_id created_at email_status "
        "email_sent_at",
        contacts,
    )
