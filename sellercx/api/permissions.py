"""Who may call what (AC-2, AC-4). Views declare an ``area``; the method decides the level."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission

from sellercx.permissions import required_access

from .authentication import MarketplaceClient


class IsSellerUser(BasePermission):
    """A signed-in seller user (session or seller-scoped token); integrations are refused."""

    message = _("This operation needs a seller user's token.")

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and getattr(user, "seller_id", None))


class HasAreaAccess(IsSellerUser):
    """The seller user holds the view's ``area`` at the level the HTTP method needs."""

    message = _("Your user permissions do not allow this.")

    def has_permission(self, request, view) -> bool:
        if not super().has_permission(request, view):
            return False
        area = getattr(view, "area", None)
        return area is None or request.user.can(area, required_access(request.method))


class IsMarketplaceIntegration(BasePermission):
    """A marketplace-scoped token: the storefront side, ingestion only."""

    message = _("This operation needs a marketplace integration token.")

    def has_permission(self, request, view) -> bool:
        return isinstance(request.user, MarketplaceClient)


class IsAccountAdmin(IsSellerUser):
    """AC-3: the account admin (View and edit on User permissions), even for reading."""

    message = _("Only an account admin can do this.")

    def has_permission(self, request, view) -> bool:
        return super().has_permission(request, view) and request.user.is_account_admin
