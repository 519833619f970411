"""The suite passes in any order (issue #18): rules for the tests themselves."""

from __future__ import annotations

import re
from pathlib import Path

TESTS = Path(__file__).resolve().parent.parent
TRANSACTIONAL = re.compile(r"django_db\(([^)]*transaction=True[^)]*)\)")
FIXTURE = re.compile(r"def \w+\(([^)]*\btransactional_db\b[^)]*)\)")


def without(pattern: re.Pattern, needed: str) -> list[str]:
    """Where a match of ``pattern`` in the tests lacks ``needed`` in its arguments."""
    return [
        f"{path.relative_to(TESTS)}: {match[0]}"
        for path in TESTS.rglob("*.py")
        for match in pattern.finditer(path.read_text())
        if needed not in match[1]
    ]


def test_every_transactional_test_restores_the_serialized_database():
    """A transactional test without ``serialized_rollback`` flushes the database and lets
    post_migrate write the content types again; a ``serialized_rollback`` test right after it
    then restores them a second time and errors (duplicate ``django_content_type``)."""
    bare = without(TRANSACTIONAL, "serialized_rollback=True")
    assert not bare, bare


def test_every_transactional_fixture_restores_the_serialized_database_too():
    """The same for a fixture that asks for ``transactional_db``: it asks for
    ``django_db_serialized_rollback`` as well (the serve fixture flushed without it)."""
    bare = without(FIXTURE, "django_db_serialized_rollback")
    assert not bare, bare
