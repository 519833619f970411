"""AC-2: per-area permissions, each none / view / view and edit.

The areas and levels are plain choices so that models, views, the API and templates all speak
of them the same way. Which level an HTTP method needs is decided here, once.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Area(models.TextChoices):
    FEEDBACK = "feedback", _("Feedback")
    REVIEWS = "reviews", _("Customer reviews: view and edit")
    MESSAGES = "messages", _("Buyer-seller messages")
    PERFORMANCE = "performance", _("Account health")
    VOC = "voc", _("Voice of the Customer")
    USERS = "users", _("User permissions")


class Access(models.IntegerChoices):
    NONE = 0, _("None")
    VIEW = 1, _("View")
    EDIT = 2, _("View and edit")


# Headings of the User permissions page, in the order a seller central shows them (RV-8 puts
# Customer reviews under Advertising).
AREA_HEADINGS: list[tuple[str, list[Area]]] = [
    (_("Performance"), [Area.FEEDBACK, Area.PERFORMANCE, Area.VOC]),
    (_("Customer service"), [Area.MESSAGES]),
    (_("Advertising"), [Area.REVIEWS]),
    (_("Settings"), [Area.USERS]),
]

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def required_access(method: str) -> Access:
    """Reading needs View; anything that changes state needs View and edit."""
    return Access.VIEW if method.upper() in SAFE_METHODS else Access.EDIT


def access_field(area: Area | str) -> str:
    return f"{Area(area).value}_access"
