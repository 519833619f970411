"""Everything in the shared core that changes state and enforces a rule.

Plain functions with keyword-only arguments, one transaction each, raising a domain error from
``sellercx.errors`` when a rule is broken.
"""

from .accounts import (
    create_seller_user,
    save_user_as_staff,
    set_user_active,
    update_user_permissions,
)
from .ingestion import INGESTERS, ingest
from .schedules import register_schedules
from .tokens import create_api_token, revoke_api_token, revoke_api_tokens_as_staff

__all__ = [
    "INGESTERS",
    "create_api_token",
    "create_seller_user",
    "ingest",
    "register_schedules",
    "revoke_api_token",
    "revoke_api_tokens_as_staff",
    "save_user_as_staff",
    "set_user_active",
    "update_user_permissions",
]
