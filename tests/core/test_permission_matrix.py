"""AC-2: every row of the permission matrix, for every level, on every surface."""

from __future__ import annotations

import pytest

from sellercx.context_processors import navigation_for
from sellercx.permissions import Access, access_field
from tests.conftest import client_with, token_for
from tests.factories import UserFactory
from tests.permissions_matrix import MATRIX
from tests.reviews.factories import represented_brand

pytestmark = pytest.mark.django_db

CASES = [(row, level) for row in MATRIX for level in Access]
API_CASES = [(row, level) for row, level in CASES if row.api]


def user_with(seller, row, level):
    return UserFactory(seller=seller, **{access_field(row.area): level})


@pytest.mark.parametrize(("row", "level"), CASES, ids=lambda v: str(getattr(v, "area", v)))
def test_ac2_page_access_follows_the_level(client, seller, row, level):
    represented_brand(seller, name="Northwind")  # RV-3: the menu's Customer reviews needs one
    member = user_with(seller, row, level)
    client.force_login(member)
    assert client.get(row.page).status_code == (403 if level == Access.NONE else 200)
    visible = {item["url"].partition("?")[0] for item in navigation_for(member)}
    assert (row.page in visible) == (level >= Access.VIEW)
    if row.page_change:
        path, data = row.page_change
        status = client.post(path, data).status_code
        if level < Access.EDIT:
            assert status == 403
        else:
            assert status != 403


@pytest.mark.parametrize(("row", "level"), API_CASES, ids=lambda v: str(getattr(v, "area", v)))
def test_ac2_api_access_follows_the_level(seller, user, row, level):
    client = client_with(token_for(user_with(seller, row, level)))
    assert client.get(row.api).status_code == (403 if level == Access.NONE else 200)
    if row.api_change:
        method, path, body = row.api_change
        path = path.format(admin=user.pk)
        status = getattr(client, method)(path, body, format="json").status_code
        assert (status == 403) == (level < Access.EDIT)
