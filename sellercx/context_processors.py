"""What every dashboard page needs: the navigation the user may see, and the marketplaces."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import NoReverseMatch, reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from .permissions import Access, Area


# The navigation, in order. An entry with an area is shown only to users who may view it
# (AC-2); an entry whose URL does not exist yet (its app has not landed) is left out; an entry
# with a condition only to accounts it holds for (RV-3: Customer reviews is the brand dashboard).
def _represents_a_brand(user) -> bool:
    from .models import BrandRepresentative

    return BrandRepresentative.objects.filter(seller_id=user.seller_id).exists()


NAVIGATION = [
    (_("Home"), "dashboard:home", None, None),
    (_("Offers"), "dashboard:offers", None, None),
    (_("Orders"), "dashboard:orders", None, None),
    (_("Feedback"), "feedback:manager", Area.FEEDBACK, None),
    (_("Customer reviews"), "reviews:list", Area.REVIEWS, _represents_a_brand),
    (_("Messages"), "messaging:inbox", Area.MESSAGES, None),
    (_("Account health"), "metrics:health", Area.PERFORMANCE, None),
    (_("Voice of the Customer"), "voc:dashboard", Area.VOC, None),
    (_("User permissions"), "dashboard:users", Area.USERS, None),
]


def navigation_for(user, marketplace_code: str | None = None) -> list[dict]:
    """The entries ``user`` may follow; each link names the marketplace the user is looking at
    (UX-2: a shared link shows the same thing)."""
    from .middleware import ALL_MARKETPLACES

    query = "?" + urlencode({"marketplace": marketplace_code or ALL_MARKETPLACES.lower()})
    items = []
    for label, url_name, area, condition in NAVIGATION:
        if area is not None and not user.can(area, Access.VIEW):
            continue
        if condition is not None and not condition(user):
            continue
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            continue
        items.append({"label": label, "url": url + query, "name": url_name, "area": area})
    return items


def dashboard(request) -> dict:
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated or not getattr(user, "seller_id", None):
        return {}
    code = getattr(request, "marketplace_code", None)

    def marketplaces():
        from .selectors import seller_marketplaces

        return list(seller_marketplaces(seller=user.seller_id))

    return {
        "navigation": SimpleLazyObject(lambda: navigation_for(user, code)),
        "seller_marketplaces": SimpleLazyObject(marketplaces),
        "current_marketplace": code,
    }
