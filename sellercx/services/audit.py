"""Issue #9: the audit log. Services call :func:`record` inside their own transaction, so an
entry exists exactly when the change it describes was committed."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models

from sellercx.models import AuditEntry
from sellercx.security import audit_context

Action = AuditEntry.Action


def _actor(actor) -> tuple[int | None, str]:
    """A seller user or staff member; a marketplace integration (no pk) is only its token."""
    if actor is None or getattr(actor, "pk", None) is None:
        return None, str(actor or "")[:254]
    return actor.pk, (getattr(actor, "email", "") or str(actor))[:254]


def _entry(
    *,
    actor,
    action: str,
    seller_id: int | None,
    obj: models.Model | None = None,
    summary: str = "",
    before: dict | None = None,
    after: dict | None = None,
) -> AuditEntry:
    context = audit_context()
    actor_id, actor_label = _actor(actor)
    changes = {}
    if before is not None:
        changes["before"] = before
    if after is not None:
        changes["after"] = after
    return AuditEntry(
        seller_id=seller_id,
        actor_id=actor_id,
        actor_label=actor_label,
        token_id=context.token_id,
        token_name=context.token_name,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        summary=str(summary)[:300],
        changes=changes,
        ip_address=context.ip,
    )


def record(**kwargs) -> AuditEntry:
    """Write one entry: ``actor``, ``action``, ``seller_id``, and optionally ``obj``,
    ``summary`` and the ``before``/``after`` values of what changed."""
    entry = _entry(**kwargs)
    entry.save()
    return entry


def record_many(entries: Iterable[dict]) -> int:
    """Several entries in one statement (bulk decisions)."""
    rows = [_entry(**kwargs) for kwargs in entries]
    AuditEntry.objects.bulk_create(rows)
    return len(rows)
