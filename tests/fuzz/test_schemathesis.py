"""API fuzzing (issue #9): every operation of the OpenAPI schema, with a seller token and with a
marketplace token, through the WSGI app.

Checks: no 5xx, the status code is documented, the body matches the documented schema, and
every 4xx is the ``{"errors": [...]}`` envelope. Bounded: a few examples per operation, a fixed
seed (derandomized), no shrinking; positive and negative (schema-violating) inputs.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from sellercx.wsgi import application
from tests.conftest import marketplace_token, token_for
from tests.factories import MarketplaceFactory, SellerAccountFactory, UserFactory
from tests.tenancy import (
    _buyer_message,
    _closed_fba_offer,
    _conversation,
    _feedback,
    _offer,
    _order,
    _review,
)

pytestmark = pytest.mark.django_db

schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)

EXAMPLES = 10


def error_envelope(ctx, response, case):
    """API-2: every 4xx body is ``{"errors": [{code, message, details}, …]}``."""
    if not 400 <= response.status_code < 500:
        return None
    body = response.json()
    assert isinstance(body, dict) and set(body) == {"errors"}, f"not the envelope: {body!r}"
    assert body["errors"], "an empty list of errors"
    for item in body["errors"]:
        assert set(item) == {"code", "message", "details"}, f"bad error item: {item!r}"
        assert item["code"] and item["message"], f"an error without code or message: {item!r}"
    return None


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    error_envelope,
]


@pytest.fixture
def world(settings):
    """A seller with one of everything, so that the fuzzer's ids resolve now and then."""
    settings.SELLERCX_API_RATES = {"default": [1e6, 1e6], "ingest": [1e6, 1e6]}
    # As Django's test client does: requests must not close the test's connection.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    marketplace = MarketplaceFactory(code="FR")
    seller = SellerAccountFactory(name="Northwind", marketplaces=[marketplace])
    admin = UserFactory(seller=seller, email="admin@northwind.example")
    colleague = UserFactory(seller=seller, email="colleague@northwind.example")
    feedback = _feedback(seller, marketplace)
    ids = {
        "feedback": feedback.pk,
        "conversations": _conversation(seller, marketplace).pk,
        "messages": _buyer_message(seller, marketplace).pk,
        "orders": _order(seller, marketplace).pk,
        "offers": _offer(seller, marketplace).pk,
        "voc": _closed_fba_offer(seller, marketplace).pk,
        "users": colleague.pk,
        "reviews": _review(seller, marketplace).pk,
    }
    yield {
        "seller": token_for(admin),
        "marketplace": marketplace_token(marketplace),
        "ids": ids,
        "feedback_id": feedback.external_id,
    }
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def known_ids(case, world) -> None:
    """Half of the generated ids (the even ones) become ids that exist in the caller's data."""
    params = case.path_parameters or {}
    if isinstance(params.get("id"), int) and params["id"] % 2 == 0:
        first = case.operation.path.removeprefix("/api/v1/").split("/")[0]
        if first in world["ids"]:
            params["id"] = world["ids"][first]
    if isinstance(params.get("feedback_id"), str) and len(params["feedback_id"]) % 2 == 0:
        params["feedback_id"] = world["feedback_id"]


def own_token(case) -> str:
    """The kind of token an operation is for: the storefront's under /marketplace/."""
    return "marketplace" if case.operation.path.startswith("/api/v1/marketplace/") else "seller"


BOUNDS = {
    "derandomize": True,
    "deadline": None,
    "phases": [Phase.explicit, Phase.generate],
    "suppress_health_check": list(HealthCheck),
}


@schema.parametrize()
@settings(max_examples=EXAMPLES, **BOUNDS)
def test_api_fuzz_with_its_own_token(case, world):
    """Positive and negative inputs with the token the operation is for."""
    known_ids(case, world)
    case.call_and_validate(
        headers={"Authorization": f"Bearer {world[own_token(case)]}"}, checks=CHECKS
    )


@schema.parametrize()
@settings(max_examples=3, **BOUNDS)
def test_api_fuzz_with_the_other_token(case, world):
    """A seller token on the storefront's operations and a marketplace token on the seller's:
    always 403 in the envelope, whatever the input (404 when the path does not match a
    route, 400 for a NUL in the path or query, refused before anything else)."""
    known_ids(case, world)
    other = "seller" if own_token(case) == "marketplace" else "marketplace"
    response = case.call_and_validate(
        headers={"Authorization": f"Bearer {world[other]}"}, checks=CHECKS
    )
    if response.status_code == 400:  # refused before authentication: a NUL in path or query
        assert "NUL" in response.json()["errors"][0]["message"], response.text
    else:
        assert response.status_code in (403, 404), response.text
