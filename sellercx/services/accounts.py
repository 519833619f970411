"""AC-2, AC-3: the account admin manages the users of the account and their permissions."""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sellercx.errors import Conflict, InvalidInput, NotFound, PermissionDenied, RuleViolation
from sellercx.models import SellerAccount, User
from sellercx.permissions import Access, Area, access_field

from . import audit


def _require_account_admin(acting_user: User) -> None:
    if not acting_user.is_account_admin:
        raise PermissionDenied(_("Only an account admin can manage users and permissions."))


def _lock_account(acting_user: User) -> None:
    """Changes to an account's users run one at a time, in one order: the account row first.
    Two admins lowering each other at once deadlocked (each held the other's row and waited on
    its own for the audit entry), or both succeeded and left the account without an admin. The
    second to get the lock sees the first's change: no longer an admin, it is refused."""
    SellerAccount.objects.select_for_update().filter(pk=acting_user.seller_id).first()
    still_admin = User.objects.filter(
        pk=acting_user.pk, is_active=True, users_access=Access.EDIT
    ).exists()
    if not still_admin:
        raise PermissionDenied(_("Only an account admin can manage users and permissions."))


def _user_of_account(acting_user: User, user_id: int) -> User:
    # AC-1: another account's user is simply not found.
    try:
        return User.objects.select_for_update().get(pk=user_id, seller_id=acting_user.seller_id)
    except User.DoesNotExist:
        raise NotFound(_("No such user in your account.")) from None


def _clean_permissions(permissions: dict) -> dict[str, int]:
    cleaned: dict[str, int] = {}
    for area, level in permissions.items():
        if area not in Area.values:
            raise InvalidInput(_("Unknown permission area: %(area)s") % {"area": area})
        if level not in Access.values:
            raise InvalidInput(_("Unknown access level: %(level)s") % {"level": level})
        cleaned[access_field(area)] = int(level)
    return cleaned


def _levels(user: User) -> dict[str, int]:
    return {area.value: int(getattr(user, access_field(area))) for area in Area}


def _ensure_an_admin_remains(user: User) -> None:
    others = User.objects.filter(
        seller_id=user.seller_id, is_active=True, users_access=Access.EDIT
    ).exclude(pk=user.pk)
    if not others.exists():
        raise RuleViolation(
            _("The account needs at least one active user who can edit User permissions.")
        )


@transaction.atomic
def create_seller_user(
    *, acting_user: User, email: str, name: str, password: str, permissions: dict
) -> User:
    """Add a user to the acting admin's account with the given per-area levels."""
    _require_account_admin(acting_user)
    email = User.objects.normalize_email(email or "").strip().lower()
    if not email:
        raise InvalidInput(_("An e-mail address is required."))
    if User.objects.filter(email=email).exists():
        raise Conflict(_("A user with this e-mail address already exists."))
    user = User(email=email, name=name.strip(), seller_id=acting_user.seller_id)
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise InvalidInput(" ".join(error.messages)) from None
    for field, level in _clean_permissions(permissions).items():
        setattr(user, field, level)
    user.set_password(password)
    user.save()
    audit.record(
        actor=acting_user,
        action=audit.Action.USER_CREATED,
        seller_id=user.seller_id,
        obj=user,
        summary=_("Added %(email)s") % {"email": user.email},
        after=_levels(user),
    )
    return user


@transaction.atomic
def update_user_permissions(*, acting_user: User, user_id: int, permissions: dict) -> User:
    """Set the levels of a user of the same account; the account keeps at least one admin."""
    _require_account_admin(acting_user)
    _lock_account(acting_user)
    user = _user_of_account(acting_user, user_id)
    cleaned = _clean_permissions(permissions)
    before = _levels(user)
    for field, level in cleaned.items():
        setattr(user, field, level)
    if user.users_access != Access.EDIT:
        _ensure_an_admin_remains(user)
    user.save(update_fields=list(cleaned))
    after = _levels(user)
    changed = [area for area in after if after[area] != before[area]]
    if changed:
        audit.record(
            actor=acting_user,
            action=audit.Action.USER_PERMISSIONS_CHANGED,
            seller_id=user.seller_id,
            obj=user,
            summary=_("Permissions of %(email)s: %(areas)s")
            % {"email": user.email, "areas": ", ".join(changed)},
            before={area: before[area] for area in changed},
            after={area: after[area] for area in changed},
        )
    return user


@transaction.atomic
def set_user_active(*, acting_user: User, user_id: int, active: bool) -> User:
    """Deactivate (or reactivate) a user: they can no longer sign in nor use their tokens."""
    _require_account_admin(acting_user)
    _lock_account(acting_user)
    user = _user_of_account(acting_user, user_id)
    if not active:
        if user.pk == acting_user.pk:
            raise RuleViolation(_("You cannot deactivate yourself."))
        if user.users_access == Access.EDIT:
            _ensure_an_admin_remains(user)
    was_active = user.is_active
    user.is_active = active
    user.save(update_fields=["is_active"])
    if was_active != active:
        audit.record(
            actor=acting_user,
            action=audit.Action.USER_REACTIVATED if active else audit.Action.USER_DEACTIVATED,
            seller_id=user.seller_id,
            obj=user,
            summary=(_("Reactivated %(email)s") if active else _("Deactivated %(email)s"))
            % {"email": user.email},
            before={"is_active": was_active},
            after={"is_active": active},
        )
    return user


# What the admin's user form may change that the audit log follows (AC-2 levels, sign-in, staff).
_STAFF_AUDITED = [*(access_field(area) for area in Area), "is_active", "is_staff", "is_superuser"]


def _audited_values(user: User) -> dict:
    values = {field: getattr(user, field) for field in _STAFF_AUDITED}
    return {**values, "seller_id": user.seller_id}


@transaction.atomic
def save_user_as_staff(*, staff: User, user: User) -> User:
    """Marketplace staff add or edit a user in the admin; what changed is logged."""
    if not staff.is_staff:
        raise PermissionDenied(_("Only marketplace staff edit users in the admin."))
    created = user.pk is None
    before = {} if created else _audited_values(User.objects.select_for_update().get(pk=user.pk))
    user.save()
    after = _audited_values(user)
    changed = [field for field in after if before.get(field) != after[field]]
    if created or changed:
        audit.record(
            actor=staff,
            action=audit.Action.USER_CREATED if created else audit.Action.USER_PERMISSIONS_CHANGED,
            seller_id=user.seller_id,
            obj=user,
            summary=(
                _("Added %(email)s (marketplace staff)")
                if created
                else _("%(email)s changed by marketplace staff: %(fields)s")
            )
            % {"email": user.email, "fields": ", ".join(changed)},
            before=None if created else {field: before[field] for field in changed},
            after={field: after[field] for field in (after if created else changed)},
        )
    return user
