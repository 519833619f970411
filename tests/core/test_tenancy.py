"""AC-1: another account's id answers 404 on every page and endpoint that takes an id, with
every HTTP method the route accepts, and nothing changes; tokens reach only their side of the
API (issue #9)."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.forms.models import model_to_dict
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

from sellercx import services
from sellercx.api.permissions import IsMarketplaceIntegration, IsSellerUser
from tests.conftest import client_with, marketplace_token, token_for
from tests.factories import MarketplaceFactory
from tests.tenancy import NOT_SELLER_OWNED_PREFIXES, OWNED

METHODS = ("get", "post", "put", "patch", "delete")

pytestmark = pytest.mark.django_db


def patterns_with_ids(resolver=None, namespace=""):
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from patterns_with_ids(entry, inner)
        elif isinstance(entry, URLPattern) and entry.pattern.converters and entry.name:
            yield f"{namespace}{entry.name}"


def api_patterns(resolver=None, namespace=""):
    """Every named route under /api/v1/ (with or without ids): (name, its view class)."""
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from api_patterns(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            name = f"{namespace}{entry.name}"
            view = getattr(entry.callback, "view_class", None) or getattr(
                entry.callback, "cls", None
            )
            if name.startswith("api:") or name.split(":")[0].endswith("-api"):
                yield name, view


def methods_of(view) -> list[str]:
    allowed = getattr(view, "http_method_names", METHODS)
    return [m for m in METHODS if hasattr(view, m) and m in allowed]


def is_api(name: str) -> bool:
    return name.startswith("api:") or name.split(":")[0].endswith("-api")


def fingerprint(obj) -> tuple:
    """Row counts of every table and the object's own fields: what a refused call must not
    change."""
    counts = tuple(model.objects.count() for model in apps.get_models())
    obj = type(obj).objects.filter(pk=obj.pk).first()
    return counts, model_to_dict(obj) if obj else None


def test_ac1_every_url_with_an_id_has_an_isolation_check():
    names = {n for n in patterns_with_ids() if not n.startswith(NOT_SELLER_OWNED_PREFIXES)}
    missing = names - set(OWNED)
    assert not missing, f"add these to tests/tenancy.py: {sorted(missing)}"


@pytest.mark.parametrize("name", sorted(OWNED))
def test_ac1_another_accounts_id_is_404(name, client, user, stranger, marketplace):
    make, method, body = OWNED[name]
    theirs = make(stranger.seller, marketplace)
    url = reverse(name, args=[theirs.pk])
    if is_api(name):
        response = getattr(client_with(token_for(user)), method)(url, body, format="json")
        assert response.json()["errors"][0]["code"] == "NotFound"
    else:
        client.force_login(user)
        response = getattr(client, method)(url, body or {})
    assert response.status_code == 404


@pytest.mark.parametrize("name", sorted(OWNED))
def test_ac1_every_method_with_another_accounts_id_is_404_and_changes_nothing(
    name, client, user, stranger, marketplace
):
    """Every HTTP method the route accepts, with the documented body for its own method and an
    empty one for the others: 404, a body without their data, and not a row changed."""
    make, method, body = OWNED[name]
    theirs = make(stranger.seller, marketplace)
    url = reverse(name, args=[theirs.pk])
    view = resolve(url).func.view_class
    methods = methods_of(view)
    assert method in methods, f"{name}: {method} is not a method of {view.__name__}"
    api = client_with(token_for(user))
    client.force_login(user)
    before = fingerprint(theirs)
    for verb in methods:
        data = body if verb == method else {}
        if is_api(name):
            response = getattr(api, verb)(url, data, format="json")
            assert response.status_code == 404, (verb, response.content)
            assert response.json() == {
                "errors": [
                    {
                        "code": "NotFound",
                        "message": response.json()["errors"][0]["message"],
                        "details": response.json()["errors"][0]["details"],
                    }
                ]
            }
        else:
            response = getattr(client, verb)(url, data or {})
            assert response.status_code == 404, (verb, response.status_code)
        content = response.content.decode()
        for field in ("external_id", "comment", "body", "title", "sku", "email"):
            value = getattr(theirs, field, None)
            if isinstance(value, str) and len(value) > 3:
                assert value not in content, f"{name} {verb} leaks {field}"
    assert fingerprint(theirs) == before, f"{name}: a refused call changed something"


# ---- which token reaches which side of the API ---------------------------------------------


def _url_with_own_ids(name: str, user, marketplace) -> str:
    """The route with an id of the caller's own data (so that only the token kind can refuse)."""
    if name in OWNED:
        return reverse(name, args=[OWNED[name][0](user.seller, marketplace).pk])
    if name == "feedback-api:buyer-remove":
        return reverse(name, args=["F-unknown"])
    return reverse(name)


def test_every_api_route_says_which_token_it_is_for():
    """A new endpoint must take a seller's token or a marketplace's, never either or none."""
    for name, view in api_patterns():
        permissions = getattr(view, "permission_classes", [])
        seller = any(issubclass(p, IsSellerUser) for p in permissions)
        storefront = any(issubclass(p, IsMarketplaceIntegration) for p in permissions)
        assert seller != storefront, f"{name}: declare HasAreaAccess or IsMarketplaceIntegration"


def _routes(kind):
    for name, view in sorted(api_patterns(), key=lambda pair: pair[0]):
        storefront = any(
            issubclass(p, IsMarketplaceIntegration) for p in getattr(view, "permission_classes", [])
        )
        if storefront == (kind == "storefront"):
            for verb in methods_of(view):
                yield name, verb


@pytest.mark.parametrize(("name", "verb"), list(_routes("seller")))
def test_a_marketplace_token_cannot_call_any_seller_route(name, verb, user, marketplace, staff):
    url = _url_with_own_ids(name, user, marketplace)
    client = client_with(marketplace_token(marketplace, staff))
    response = getattr(client, verb)(url, {}, format="json")
    assert response.status_code == 403, (url, response.content)
    assert response.json()["errors"][0]["code"] == "Unauthorized"


@pytest.mark.parametrize(("name", "verb"), list(_routes("storefront")))
def test_a_seller_token_cannot_call_any_storefront_route(name, verb, user, marketplace):
    url = _url_with_own_ids(name, user, marketplace)
    response = getattr(client_with(token_for(user)), verb)(url, {}, format="json")
    assert response.status_code == 403, (url, response.content)
    assert response.json()["errors"][0]["code"] == "Unauthorized"


def test_a_revoked_token_fails_on_the_very_next_request(user):
    token, raw = services.create_api_token(acting_user=user, name="to revoke")
    client = client_with(raw)
    assert client.get("/api/v1/orders").status_code == 200
    assert client.get("/api/v1/orders").status_code == 200  # last_used_at is fresh now
    services.revoke_api_token(acting_user=user, token_id=token.pk)
    response = client.get("/api/v1/orders")
    assert response.status_code == 401
    assert response.json()["errors"][0]["code"] == "Unauthenticated"


def test_a_token_revoked_on_the_dashboard_fails_at_once(client, user):
    token, raw = services.create_api_token(acting_user=user, name="to revoke")
    api = client_with(raw)
    assert api.get("/api/v1/offers").status_code == 200
    client.force_login(user)
    client.post(reverse("dashboard:tokens"), {"revoke": token.pk})
    assert api.get("/api/v1/offers").status_code == 401


def test_a_revoked_marketplace_token_fails_at_once(marketplace, staff):
    raw = marketplace_token(marketplace, staff)
    client = client_with(raw)
    assert client.get("/api/v1/marketplace/outbox").status_code == 200
    from django.utils import timezone

    from sellercx.models import ApiToken, hash_token

    # Marketplace staff revoke integration tokens in the admin: it sets revoked_at.
    ApiToken.objects.filter(key_hash=hash_token(raw)).update(revoked_at=timezone.now())
    assert client.get("/api/v1/marketplace/outbox").status_code == 401


def test_a_deactivated_users_token_fails_at_once(user, seller):
    from tests.factories import UserFactory

    colleague = UserFactory(seller=seller, email="colleague@northwind.example")
    client = client_with(token_for(colleague))
    assert client.get("/api/v1/orders").status_code == 200
    services.set_user_active(acting_user=user, user_id=colleague.pk, active=False)
    response = client.get("/api/v1/orders")
    assert response.status_code == 401
    assert response.json()["errors"][0]["code"] == "Unauthenticated"


def test_a_deactivated_marketplaces_token_fails(staff):
    closed = MarketplaceFactory(code="PL", is_active=True)
    client = client_with(marketplace_token(closed, staff))
    assert client.get("/api/v1/marketplace/outbox").status_code == 200
    closed.is_active = False
    closed.save(update_fields=["is_active"])
    assert client.get("/api/v1/marketplace/outbox").status_code == 401


@pytest.mark.parametrize(
    "header",
    ["Bearer", "Bearer a b", "Bearer scx_not-a-real-token", "Bearer \u00e9", "Basic dXNlcjpwdw=="],
)
def test_malformed_or_unknown_tokens_are_401_in_the_envelope(header):
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    response = client.get("/api/v1/orders")
    assert response.status_code in (401, 403)
    assert response.json()["errors"][0]["code"] in ("Unauthenticated", "Unauthorized")
