"""The suite passes in any order (issue #18): rules for the tests themselves."""

from __future__ import annotations

import re
from pathlib import Path

TESTS = Path(__file__).resolve().parent.parent
TRANSACTIONAL = re.compile(r"django_db\(([^)]*transaction=True[^)]*)\)")


def test_every_transactional_test_restores_the_serialized_database():
    """A transactional test without ``serialized_rollback`` flushes the database and lets
    post_migrate write the content types again; a ``serialized_rollback`` test right after it
    then restores them a second time and errors (duplicate ``django_content_type``)."""
    bare = [
        f"{path.relative_to(TESTS)}: {match[0]}"
        for path in TESTS.rglob("*.py")
        for match in TRANSACTIONAL.finditer(path.read_text())
        if "serialized_rollback=True" not in match[1]
    ]
    assert not bare, bare


FIXTURE = re.compile(r"def \w+\(([^)]*\btransactional_db\b[^)]*)\)")


def test_every_transactional_fixture_restores_the_serialized_database_too():
    """The same for a fixture that asks for ``transactional_db``: it asks for
    ``django_db_serialized_rollback`` as well (the serve fixture flushed without it)."""
    bare = [
        f"{path.relative_to(TESTS)}: {match[0]}"
        for path in TESTS.rglob("*.py")
        for match in FIXTURE.finditer(path.read_text())
        if "django_db_serialized_rollback" not in match[1]
    ]
    assert not bare, bare
