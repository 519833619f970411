"""What every dashboard page needs: the navigation the user may see, and the marketplaces."""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from .permissions import Access, Area

# The navigation, in order. An entry with an area is shown only to users who may view it
# (AC-2); an entry whose URL does not exist yet (its app has not landed) is left out.
NAVIGATION = [
    (_("Home"), "dashboard:home", None),
    (_("Offers"), "dashboard:offers", None),
    (_("Orders"), "dashboard:orders", None),
    (_("Feedback"), "feedback:manager", Area.FEEDBACK),
    (_("Customer reviews"), "reviews:list", Area.REVIEWS),
    (_("Messages"), "messaging:inbox", Area.MESSAGES),
    (_("Account health"), "metrics:health", Area.PERFORMANCE),
    (_("Voice of the Customer"), "voc:dashboard", Area.VOC),
    (_("User permissions"), "dashboard:users", Area.USERS),
]


def navigation_for(user) -> list[dict]:
    items = []
    for label, url_name, area in NAVIGATION:
        if area is not None and not user.can(area, Access.VIEW):
            continue
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            continue
        items.append({"label": label, "url": url, "name": url_name, "area": area})
    return items


def dashboard(request) -> dict:
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated or not getattr(user, "seller_id", None):
        return {}

    def marketplaces():
        from .selectors import seller_marketplaces

        return list(seller_marketplaces(seller=user.seller_id))

    return {
        "navigation": SimpleLazyObject(lambda: navigation_for(user)),
        "seller_marketplaces": SimpleLazyObject(marketplaces),
        "current_marketplace": getattr(request, "marketplace_code", None),
    }
