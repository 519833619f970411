"""#20: two account admins lowering each other's permissions at the same moment. It was a
deadlock (500, 8 of 10) — and, when it got through, could leave the account with no admin."""

from __future__ import annotations

import pytest

from sellercx.errors import PermissionDenied
from sellercx.models import User
from sellercx.permissions import Access, Area
from sellercx.services import accounts
from tests.concurrency import run_at_once
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.mark.parametrize("round_", range(5))
def test_ac3_two_admins_lowering_each_other_at_once_leave_one_admin(seller, round_):
    ava = UserFactory(seller=seller, email=f"ava{round_}@northwind.example")
    ben = UserFactory(seller=seller, email=f"ben{round_}@northwind.example")
    calls = [(ava, ben), (ben, ava)]

    def lower():
        acting, target = calls.pop()
        accounts.update_user_permissions(
            acting_user=acting, user_id=target.pk, permissions={Area.USERS: Access.VIEW}
        )

    errors = run_at_once(lower, times=2)
    # One wins; the other, no longer an admin once it gets its turn, is refused: never a
    # deadlock or a database error, never an account without an admin.
    assert [type(error) for error in errors] == [PermissionDenied]
    admins = User.objects.filter(seller=seller, users_access=Access.EDIT, is_active=True)
    assert admins.count() == 1


def test_ac3_two_admins_deactivating_each_other_at_once_leave_one_admin(seller):
    ava = UserFactory(seller=seller, email="ava@northwind.example")
    ben = UserFactory(seller=seller, email="ben@northwind.example")
    calls = [(ava, ben), (ben, ava)]

    def deactivate():
        acting, target = calls.pop()
        accounts.set_user_active(acting_user=acting, user_id=target.pk, active=False)

    errors = run_at_once(deactivate, times=2)
    assert [type(error) for error in errors] == [PermissionDenied]
    assert User.objects.filter(seller=seller, is_active=True).count() == 1
