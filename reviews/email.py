"""RV-5: the fixed e-mails of "Contact the customer", in the marketplace's language.

The texts are Django templates translated with gettext (``locale/``); the seller cannot edit
them. Rendering is separate from sending so the page can show exactly what the buyer gets.
"""

from __future__ import annotations

from django.template import Context
from django.template.loader import get_template
from django.utils import translation

from .models import CustomerContact


def render_contact_email(contact: CustomerContact) -> tuple[str, str]:
    """(subject, body) of the contact's e-mail, in its language."""
    review = contact.review
    context = {
        "brand": review.brand.name if review.brand_id else review.product.title,
        "product": review.product.title,
        "order_id": contact.order.external_id,
        "marketplace": review.marketplace,
        "refund": contact.refund,
        "currency": review.marketplace.currency,
    }
    return render_template(contact.reason, contact.language, context)


def render_template(reason: str, language: str, context: dict) -> tuple[str, str]:
    with translation.override(language):
        template = f"reviews/email/{reason}"
        subject = render_text(f"{template}_subject.txt", context).strip()
        body = render_text(f"{template}.txt", context)
    return subject, body


def render_text(name: str, context: dict) -> str:
    """A plain-text template, not HTML-escaped ("Cedar & Pine", never "Cedar &amp; Pine")."""
    return get_template(name).template.render(Context(context, autoescape=False))


def template_previews() -> list[dict]:
    """Every fixed template in every language, with sample values (for marketplace staff)."""
    from decimal import Decimal
    from types import SimpleNamespace

    from django.conf import settings

    sample = {
        "brand": "{brand}",
        "product": "{product}",
        "order_id": "{order}",
        "marketplace": SimpleNamespace(domain="{marketplace domain}"),
        "refund": SimpleNamespace(amount=Decimal("19.99")),
        "currency": "{currency}",
    }
    previews = []
    for reason, label in CustomerContact.Reason.choices:
        for code, language in settings.LANGUAGES:
            subject, body = render_template(reason, code, sample)
            previews.append(
                {"reason": label, "language": language, "subject": subject, "body": body}
            )
    return previews
