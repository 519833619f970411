"""API-2: a rule that refuses answers 422 with a code the documentation lists (issue #19: the
API answered ``ReplyDeleted``, a code no document named)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.conf import settings

from feedback.models import FeedbackReply
from tests.factories import OfferFactory, order_of

from .factories import FeedbackFactory

ROOT = Path(settings.BASE_DIR)
DOCUMENTED_APPS = ("feedback", "reviews")


def rule_codes(app: str) -> set[str]:
    """Every code a ``RuleViolation`` of the app's code may carry: the string constants of its
    ``code=`` argument (``code or "ContactNotAllowed"`` counts), and the default."""
    codes = {"RuleViolation"}
    for path in (ROOT / app).glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "RuleViolation":
                for keyword in node.keywords:
                    if keyword.arg == "code":
                        codes |= {
                            c.value
                            for c in ast.walk(keyword.value)
                            if isinstance(c, ast.Constant) and isinstance(c.value, str)
                        }
    return codes


@pytest.mark.parametrize("app", DOCUMENTED_APPS)
def test_api2_every_422_code_is_documented(app):
    documented = (ROOT / "docs" / "api.md").read_text()
    codes = rule_codes(app)
    assert "ReplyDeleted" in rule_codes("feedback")  # the scan finds codes
    assert not [code for code in sorted(codes) if f"`{code}`" not in documented]


def test_api2_the_readme_names_the_specific_codes_and_links_their_list():
    readme = (ROOT / "README.md").read_text()
    assert "422 `RuleViolation` or the refusing rule's own code" in readme
    assert "`ReplyDeleted`" in readme
    assert "docs/api.md#422-the-rule-that-refused" in readme
    assert "## 422: the rule that refused" in (ROOT / "docs" / "api.md").read_text()


@pytest.mark.django_db
def test_fb6_a_reply_after_the_deleted_one_is_422_reply_deleted(api, seller, marketplace):
    feedback = FeedbackFactory(
        order=order_of(OfferFactory(seller=seller, marketplace=marketplace)), rating=1
    )
    url = f"/api/v1/feedback/{feedback.pk}/reply"
    assert api.post(url, {"text": "Sorry"}, format="json").status_code == 201
    assert api.delete(url).status_code == 204
    again = api.post(url, {"text": "Sorry again"}, format="json")
    assert again.status_code == 422
    assert again.json()["errors"][0]["code"] == "ReplyDeleted"
    assert "cannot be posted" in again.json()["errors"][0]["message"]
    assert FeedbackReply.objects.get().text == "Sorry"
