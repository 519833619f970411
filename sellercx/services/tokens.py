"""AC-4: API tokens, per user (seller-scoped) or per marketplace integration."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sellercx.errors import InvalidInput, NotFound, PermissionDenied
from sellercx.models import ApiToken, Marketplace, User

from . import audit


@transaction.atomic
def create_api_token(
    *,
    acting_user: User,
    name: str,
    kind: str = ApiToken.Kind.SELLER,
    marketplace: Marketplace | None = None,
) -> tuple[ApiToken, str]:
    """Create a token and return it with its raw value, which is shown once and never stored.

    A seller user creates seller-scoped tokens for themself; only marketplace staff create
    marketplace-scoped ones.
    """
    name = (name or "").strip()
    if not name:
        raise InvalidInput(_("Give the token a name, so you can tell it apart later."))
    if kind == ApiToken.Kind.SELLER:
        if acting_user.seller_id is None:
            raise PermissionDenied(_("Only seller users have seller-scoped tokens."))
        owner, marketplace = acting_user, None
    elif kind == ApiToken.Kind.MARKETPLACE:
        if not acting_user.is_staff:
            raise PermissionDenied(_("Only marketplace staff create integration tokens."))
        if marketplace is None:
            raise InvalidInput(_("Choose the marketplace of the integration."))
        owner = None
    else:
        raise InvalidInput(_("Unknown token kind."))
    raw, prefix, key_hash = ApiToken.generate()
    token = ApiToken.objects.create(
        kind=kind,
        name=name[:80],
        user=owner,
        marketplace=marketplace,
        prefix=prefix,
        key_hash=key_hash,
        created_by=acting_user,
    )
    audit.record(
        actor=acting_user,
        action=audit.Action.TOKEN_CREATED,
        seller_id=acting_user.seller_id if kind == ApiToken.Kind.SELLER else None,
        obj=token,
        summary=_("Token %(name)s (%(prefix)s…)") % {"name": token.name, "prefix": prefix},
    )
    return token, raw


def tokens_manageable_by(user: User):
    """A seller user manages their own tokens; an account admin, every token of the account."""
    tokens = ApiToken.objects.filter(kind=ApiToken.Kind.SELLER)
    if user.is_account_admin:
        return tokens.filter(user__seller_id=user.seller_id)
    return tokens.filter(user=user)


@transaction.atomic
def revoke_api_tokens_as_staff(*, staff: User, token_ids: list[int]) -> int:
    """Marketplace staff revoke any tokens (the admin's action); each revocation is logged."""
    if not staff.is_staff:
        raise PermissionDenied(_("Only marketplace staff revoke other people's tokens."))
    tokens = list(
        ApiToken.objects.select_for_update(of=("self",))
        .select_related("user")
        .filter(pk__in=token_ids, revoked_at__isnull=True)
    )
    now = timezone.now()
    for token in tokens:
        token.revoked_at = now
    ApiToken.objects.bulk_update(tokens, ["revoked_at"])
    audit.record_many(
        {
            "actor": staff,
            "action": audit.Action.TOKEN_REVOKED,
            "seller_id": token.user.seller_id if token.user_id else None,
            "obj": token,
            "summary": _("Token %(name)s (%(prefix)s…) revoked by marketplace staff")
            % {"name": token.name, "prefix": token.prefix},
        }
        for token in tokens
    )
    return len(tokens)


@transaction.atomic
def revoke_api_token(*, acting_user: User, token_id: int) -> ApiToken:
    """Revoke at once: the next call with this token gets 401."""
    try:
        token = tokens_manageable_by(acting_user).select_for_update().get(pk=token_id)
    except ApiToken.DoesNotExist:
        raise NotFound(_("No such token.")) from None
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record(
            actor=acting_user,
            action=audit.Action.TOKEN_REVOKED,
            seller_id=acting_user.seller_id,
            obj=token,
            summary=_("Token %(name)s (%(prefix)s…)")
            % {"name": token.name, "prefix": token.prefix},
        )
    return token
