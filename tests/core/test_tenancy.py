"""AC-1: another account's id answers 404 on every page and endpoint that takes an id."""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.conftest import client_with, token_for
from tests.tenancy import NOT_SELLER_OWNED_PREFIXES, OWNED

pytestmark = pytest.mark.django_db


def patterns_with_ids(resolver=None, namespace=""):
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from patterns_with_ids(entry, inner)
        elif isinstance(entry, URLPattern) and entry.pattern.converters and entry.name:
            yield f"{namespace}{entry.name}"


def test_ac1_every_url_with_an_id_has_an_isolation_check():
    names = {n for n in patterns_with_ids() if not n.startswith(NOT_SELLER_OWNED_PREFIXES)}
    missing = names - set(OWNED)
    assert not missing, f"add these to tests/tenancy.py: {sorted(missing)}"


@pytest.mark.parametrize("name", sorted(OWNED))
def test_ac1_another_accounts_id_is_404(name, client, user, stranger, marketplace):
    make, method, body = OWNED[name]
    theirs = make(stranger.seller, marketplace)
    url = reverse(name, args=[theirs.pk])
    if name.startswith("api:") or name.split(":")[0].endswith("-api"):
        response = getattr(client_with(token_for(user)), method)(url, body, format="json")
        assert response.json()["errors"][0]["code"] == "NotFound"
    else:
        client.force_login(user)
        response = getattr(client, method)(url, body or {})
    assert response.status_code == 404
