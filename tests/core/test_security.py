"""Issue #9, web security: the CSP header, sign-in lockout (django-axes), tokens stored hashed,
CSRF on every dashboard form, and the production settings for cookies, HSTS and framing."""

from __future__ import annotations

import re

import pytest
from axes.models import AccessAttempt
from django.apps import apps
from django.db import connection
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from sellercx.models import ApiToken, hash_token
from tests.conftest import token_for
from tests.tenancy import OWNED

pytestmark = pytest.mark.django_db

PASSWORD = "pass-word-123"


# ---- CSP ---------------------------------------------------------------------------------------


def _policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def test_csp_header_forbids_inline_script_and_style_on_a_page(client, user):
    client.force_login(user)
    response = client.get(reverse("dashboard:home"))
    assert response.status_code == 200
    policy = _policy(response)
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    assert "unsafe" not in response["Content-Security-Policy"]


@pytest.mark.parametrize("path", ["/login/", "/admin/login/", "/api/docs/"])
def test_csp_header_on_login_admin_and_api_docs(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert _policy(response)["script-src"] == ["'self'"]
    assert "unsafe" not in response["Content-Security-Policy"]


def test_api_docs_page_loads_its_init_script_from_a_url_not_inline(client):
    page = client.get("/api/docs/").content.decode()
    assert "<style" not in page
    for chunk in page.split("<script")[1:]:
        assert chunk.lstrip().startswith("src="), "inline <script> on the API docs page"
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")


def test_base_template_turns_off_htmx_inline_indicator_styles(client, user):
    client.force_login(user)
    page = client.get(reverse("dashboard:home")).content.decode()
    assert '<meta name="htmx-config" content=\'{"includeIndicatorStyles": false}\'>' in page


# ---- login lockout (django-axes) ---------------------------------------------------------------


def _sign_in(client, email, password, path="/login/"):
    return client.post(path, {"username": email, "password": password})


@override_settings(AXES_FAILURE_LIMIT=3)
def test_lockout_after_n_failures_then_even_the_right_password_is_refused(client, user):
    for _ in range(2):
        response = _sign_in(client, user.email, "wrong")
        assert response.status_code == 200  # the form again, with its error
    response = _sign_in(client, user.email, "wrong")
    assert response.status_code == 429
    page = response.content.decode()
    assert "Too many sign-in attempts" in page
    assert "failed 3 times" in page
    response = _sign_in(client, user.email, PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


@override_settings(AXES_FAILURE_LIMIT=3)
def test_lockout_counts_per_username_and_ip(client, user, stranger):
    for _ in range(3):
        _sign_in(client, user.email.upper(), "wrong")  # case does not dodge the count
    assert _sign_in(client, user.email, PASSWORD).status_code == 429
    # Another address from the same IP, and the same address from another IP, still sign in.
    assert _sign_in(client, stranger.email, PASSWORD).status_code == 302
    other_ip = Client(REMOTE_ADDR="203.0.113.9")
    assert _sign_in(other_ip, user.email, PASSWORD).status_code == 302


@override_settings(AXES_FAILURE_LIMIT=3)
def test_admin_login_is_locked_out_too(client, staff):
    for _ in range(3):
        _sign_in(client, staff.email, "wrong", path="/admin/login/")
    response = _sign_in(client, staff.email, PASSWORD, path="/admin/login/")
    assert response.status_code == 429
    assert "Too many sign-in attempts" in response.content.decode()


@override_settings(AXES_FAILURE_LIMIT=3)
def test_staff_reset_in_the_admin_unlocks(client, user, staff):
    for _ in range(3):
        _sign_in(client, user.email, "wrong")
    attempt = AccessAttempt.objects.get(username=user.email)
    admin = Client()
    admin.force_login(staff)
    changelist = admin.get(reverse("admin:axes_accessattempt_changelist"))
    assert changelist.status_code == 200 and user.email in changelist.content.decode()
    response = admin.post(
        reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()
    assert _sign_in(client, user.email, PASSWORD).status_code == 302


@override_settings(AXES_FAILURE_LIMIT=3)
def test_a_successful_sign_in_resets_the_count(client, user):
    for _ in range(2):
        _sign_in(client, user.email, "wrong")
    assert _sign_in(client, user.email, PASSWORD).status_code == 302
    client.post("/logout/")
    for _ in range(2):
        _sign_in(client, user.email, "wrong")
    assert _sign_in(client, user.email, PASSWORD).status_code == 302


@override_settings(AXES_FAILURE_LIMIT=3)
def test_lockout_page_is_translated(client, user):
    for _ in range(3):
        _sign_in(client, user.email, "wrong")
    response = client.post(
        "/login/", {"username": user.email, "password": PASSWORD}, HTTP_ACCEPT_LANGUAGE="fr"
    )
    assert response.status_code == 429
    assert "Too many sign-in attempts" not in response.content.decode()


# ---- tokens stored hashed ----------------------------------------------------------------------


def test_raw_token_is_nowhere_in_the_database_row(user):
    raw = token_for(user)
    token = ApiToken.objects.get()
    assert token.key_hash == hash_token(raw) and raw not in token.key_hash
    assert raw.startswith(token.prefix) and len(token.prefix) < len(raw) // 3
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {ApiToken._meta.db_table} WHERE id = %s", [token.pk])
        row = cursor.fetchone()
    assert not any(raw in str(value) for value in row)
    secret_part = raw[len(token.prefix) :]
    assert not any(secret_part[:16] in str(value) for value in row)


def test_admin_shows_only_the_token_prefix(client, user, staff):
    raw = token_for(user)
    token = ApiToken.objects.get()
    client.force_login(staff)
    for url in (
        reverse("admin:sellercx_apitoken_changelist"),
        reverse("admin:sellercx_apitoken_change", args=[token.pk]),
    ):
        page = client.get(url).content.decode()
        assert token.prefix in page
        assert raw not in page and token.key_hash not in page


# ---- CSRF on every form ------------------------------------------------------------------------

NOT_FORMS = ("admin:", "api:", "schema", "api-docs")


def _dashboard_patterns(resolver=None, namespace=""):
    """(name, number of path arguments) of every named non-API, non-admin URL pattern."""
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _dashboard_patterns(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            name = f"{namespace}{entry.name}"
            api = name.split(":")[0].endswith("-api")
            if not name.startswith(NOT_FORMS) and not api:
                yield name, len(entry.pattern.converters)


def _row_counts() -> dict[str, int]:
    labels = ("sellercx", "feedback", "reviews", "messaging", "metrics", "voc", "axes")
    return {
        model._meta.label: model.objects.count()
        for label in labels
        for model in apps.get_app_config(label).get_models()
    }


def test_every_dashboard_post_without_the_csrf_token_is_403_and_stores_nothing(user, marketplace):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    urls = []
    for name, arity in sorted(set(_dashboard_patterns())):
        if arity:
            assert name in OWNED, f"{name} takes an id: add it to tests/tenancy.py"
            make = OWNED[name][0]
            urls.append(reverse(name, args=[make(user.seller, marketplace).pk]))
        else:
            urls.append(reverse(name))
    assert len(urls) > 15
    before = _row_counts()
    for url in urls:
        body = {
            "text": "Sorry",
            "body": "Hello",
            "action": "deactivate",
            "ground": "abusive",
            "reason": "courtesy_refund",
            "name": "t",
            "username": user.email,
            "password": PASSWORD,
        }
        response = client.post(url, body)
        assert response.status_code == 403, url
        assert b"CSRF" in response.content, url
    assert _row_counts() == before


def test_api_with_a_session_needs_the_csrf_token_but_a_bearer_token_does_not(user, stranger):
    from tests.conftest import client_with
    from tests.factories import UserFactory

    member = UserFactory(seller=user.seller)
    url = reverse("api:user-permissions", args=[member.pk])
    session = Client(enforce_csrf_checks=True)
    session.force_login(user)
    response = session.patch(url, {"feedback": 0}, content_type="application/json")
    assert response.status_code == 403
    member.refresh_from_db()
    assert member.feedback_access == 2
    bearer = client_with(token_for(user))
    assert bearer.patch(url, {"feedback": 0}, format="json").status_code == 200


# ---- production settings -----------------------------------------------------------------------


def test_check_deploy_settings_are_in_production(monkeypatch):
    """Secure cookies, HSTS, clickjacking and CSP in the production settings module."""
    import importlib
    import sys

    monkeypatch.setenv("SECRET_KEY", "x" * 60)
    monkeypatch.setenv("DATABASE_URL", "postgres://u@localhost:5432/sellercx")
    monkeypatch.setenv("REDIS_URL", "redis://localhost:6379/0")
    monkeypatch.setenv("ALLOWED_HOSTS", "sellercx.example.com")
    sys.modules.pop("sellercx.settings.production", None)
    production = importlib.import_module("sellercx.settings.production")
    try:
        assert production.SESSION_COOKIE_SECURE is True
        assert production.CSRF_COOKIE_SECURE is True
        assert production.SESSION_COOKIE_HTTPONLY is True
        assert production.SECURE_HSTS_SECONDS >= 60 * 60 * 24 * 365
        assert production.SECURE_HSTS_INCLUDE_SUBDOMAINS is True
        assert production.SECURE_SSL_REDIRECT is True
        assert production.X_FRAME_OPTIONS == "DENY"
        assert production.SECURE_CONTENT_TYPE_NOSNIFF is True
        assert "django.middleware.clickjacking.XFrameOptionsMiddleware" in production.MIDDLEWARE
        assert "csp.middleware.CSPMiddleware" in production.MIDDLEWARE
        assert production.MIDDLEWARE[-1] == "axes.middleware.AxesMiddleware"
        assert production.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"
        directives = production.CONTENT_SECURITY_POLICY["DIRECTIVES"]
        assert directives["frame-ancestors"] == ["'none'"]
        assert directives["script-src"] == ["'self'"]
    finally:
        sys.modules.pop("sellercx.settings.production", None)


# ---- no inline script or style in our templates (the browser test proves it page by page) ----

INLINE = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*application/(?:ld\+)?json)[^>]*>|\son[a-z]+\s*=|\sstyle\s*=|<style",
    re.IGNORECASE,
)

COMMENT = re.compile(r"{#.*?#}|{% comment %}.*?{% endcomment %}", re.DOTALL)


def test_no_template_or_admin_html_has_inline_script_style_or_handlers():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    templates = [
        path
        for path in root.glob("**/templates/**/*.html")
        if not {".venv", "node_modules", "staticfiles"} & set(path.parts)
    ]
    offenders = [
        f"{path.relative_to(root)}: {match.group(0)}"
        for path in templates
        for match in INLINE.finditer(COMMENT.sub("", path.read_text()))
    ]
    offenders += [
        f"{path.relative_to(root)}: style="
        for path in root.glob("*/admin.py")
        if 'style="' in path.read_text()
    ]
    assert not offenders, offenders
