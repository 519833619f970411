"""AC-4: ``Authorization: Bearer scx_…`` tokens, looked up by hash, revocable at once."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from sellercx import security
from sellercx.models import ApiToken, Marketplace, hash_token
from sellercx.permissions import Access


class MarketplaceClient:
    """The principal of a marketplace-scoped token: the storefront of one marketplace.

    It is authenticated but is no seller user: it has no seller area at all.
    """

    is_authenticated = True
    is_anonymous = False
    is_active = True
    is_staff = False
    seller_id = None
    pk = None

    def __init__(self, marketplace: Marketplace):
        self.marketplace = marketplace

    def access(self, area) -> Access:
        return Access.NONE

    def can(self, area, level=Access.VIEW) -> bool:
        return False

    def __str__(self) -> str:
        return f"Integration for {self.marketplace.code}"


class ApiTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"
    # Writing last_used_at at most this often keeps reads free of a write per call.
    touch_every = timedelta(minutes=1)

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Malformed Authorization header."))
        try:
            raw = header[1].decode()
        except UnicodeError:
            raise exceptions.AuthenticationFailed(_("Malformed token.")) from None
        # The hash is unique: a slice, not ``first()``, whose ORDER BY costs a plan per call.
        token = next(
            iter(
                ApiToken.objects.select_related("user", "marketplace").filter(
                    key_hash=hash_token(raw), revoked_at__isnull=True
                )[:1]
            ),
            None,
        )
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid or revoked token."))
        if token.kind == ApiToken.Kind.SELLER:
            if not token.user.is_active:
                raise exceptions.AuthenticationFailed(_("The token's user is deactivated."))
            principal = token.user
        else:
            if not token.marketplace.is_active:
                raise exceptions.AuthenticationFailed(_("The token's marketplace is deactivated."))
            principal = MarketplaceClient(token.marketplace)
        security.set_api_token(token)
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > self.touch_every:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return principal, token

    def authenticate_header(self, request) -> str:
        return f'{self.keyword} realm="api"'
