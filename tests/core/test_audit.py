"""Issue #9: the audit log. Each audited action writes one entry (who, when, what, from where)
in the same transaction; an action that fails writes none. Visible in the admin, on the
Activity log page for account admins, and at /api/v1/auditLog."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from feedback import services as feedback_services
from messaging import services as messaging_services
from messaging.models import Conversation
from reviews import services as review_services
from sellercx import services
from sellercx.errors import ApplicationError
from sellercx.models import ApiToken, AuditEntry, Offer
from sellercx.permissions import Access, Area
from tests.conftest import client_with, marketplace_token, token_for
from tests.factories import BuyerFactory, OfferFactory, UserFactory, order_of
from tests.feedback.factories import FeedbackFactory
from tests.querycount import assert_constant_queries
from voc import services as voc_services

pytestmark = pytest.mark.django_db

Action = AuditEntry.Action
NOW = datetime(2026, 11, 30, 9, 15, tzinfo=UTC)


def only_entry(**filters) -> AuditEntry:
    entries = list(AuditEntry.objects.filter(**filters))
    assert len(entries) == 1, entries
    return entries[0]


def no_entries_for(action) -> bool:
    return not AuditEntry.objects.filter(action=action).exists()


@pytest.fixture
def member(seller):
    """Not an account admin: View on Feedback and on User permissions."""
    return UserFactory(
        seller=seller, email="member@northwind.example", feedback_access=1, users_access=1
    )


@pytest.fixture
def feedback(seller, marketplace):
    offer = OfferFactory(seller=seller, marketplace=marketplace)
    return FeedbackFactory(order=order_of(offer, external_id="402-7"), rating=1, comment="Meh")


# ---- permission changes ------------------------------------------------------------------------


def test_user_added_records_who_when_and_the_levels(user, seller):
    with time_machine.travel(NOW, tick=False):
        added = services.create_seller_user(
            acting_user=user,
            email="new@northwind.example",
            name="New",
            password="a-long-pass-phrase-9",
            permissions={"feedback": 1},
        )
    entry = only_entry(action=Action.USER_CREATED)
    assert (entry.actor, entry.actor_label, entry.seller_id) == (user, user.email, seller.pk)
    assert (entry.object_type, entry.object_id) == ("sellercx.user", str(added.pk))
    assert entry.created_at == NOW
    assert entry.changes["after"]["feedback"] == 1
    assert "new@northwind.example" in entry.summary


def test_user_added_failing_writes_nothing(user, member):
    with pytest.raises(ApplicationError):
        services.create_seller_user(
            acting_user=user, email=member.email, name="", password="x", permissions={}
        )
    assert not AuditEntry.objects.exists()


def test_permission_change_from_the_dashboard_records_before_after_and_ip(client, user, member):
    client.force_login(user)
    url = reverse("dashboard:user", args=[member.pk])
    data = {f"{area.value}": int(member.access(area)) for area in Area}
    data["feedback"] = Access.EDIT
    response = client.post(url, data, REMOTE_ADDR="198.51.100.7")
    assert response.status_code == 302
    entry = only_entry(action=Action.USER_PERMISSIONS_CHANGED)
    assert entry.actor == user and entry.object_id == str(member.pk)
    assert entry.changes == {"before": {"feedback": 1}, "after": {"feedback": 2}}
    assert entry.ip_address == "198.51.100.7"
    assert entry.token_id is None


def test_permission_change_refused_writes_nothing(user):
    # The last account admin cannot give up User permissions.
    with pytest.raises(ApplicationError):
        services.update_user_permissions(
            acting_user=user, user_id=user.pk, permissions={"users": Access.VIEW}
        )
    assert not AuditEntry.objects.exists()


def test_permission_change_by_api_token_names_the_token(user, member):
    raw = token_for(user)
    token = ApiToken.objects.get(kind="seller")
    response = client_with(raw).patch(
        reverse("api:user-permissions", args=[member.pk]), {"feedback": 2}, format="json"
    )
    assert response.status_code == 200
    entry = only_entry(action=Action.USER_PERMISSIONS_CHANGED)
    assert entry.actor == user
    assert (entry.token_id, entry.token_name) == (token.pk, token.name)


def test_deactivate_and_reactivate(user, member):
    services.set_user_active(acting_user=user, user_id=member.pk, active=False)
    services.set_user_active(acting_user=user, user_id=member.pk, active=True)
    off = only_entry(action=Action.USER_DEACTIVATED)
    on = only_entry(action=Action.USER_REACTIVATED)
    assert off.changes == {"before": {"is_active": True}, "after": {"is_active": False}}
    assert on.changes["after"] == {"is_active": True}


def test_deactivating_yourself_is_refused_and_not_logged(user):
    with pytest.raises(ApplicationError):
        services.set_user_active(acting_user=user, user_id=user.pk, active=False)
    assert not AuditEntry.objects.exists()


def test_tokens_created_and_revoked(user, staff, marketplace):
    token, raw = services.create_api_token(acting_user=user, name="ERP")
    services.revoke_api_token(acting_user=user, token_id=token.pk)
    created = only_entry(action=Action.TOKEN_CREATED)
    assert created.seller_id == user.seller_id and token.prefix in created.summary
    assert raw not in created.summary and raw not in str(created.changes)
    assert only_entry(action=Action.TOKEN_REVOKED).object_id == str(token.pk)


def test_staff_revoking_tokens_in_the_admin_is_logged(client, user, staff):
    token, _ = services.create_api_token(acting_user=user, name="ERP")
    client.force_login(staff)
    client.post(
        reverse("admin:sellercx_apitoken_changelist"),
        {"action": "revoke", "_selected_action": [token.pk]},
    )
    token.refresh_from_db()
    assert token.revoked_at is not None
    entry = only_entry(action=Action.TOKEN_REVOKED)
    assert entry.actor == staff and entry.seller_id == user.seller_id


# ---- replies -----------------------------------------------------------------------------------


def test_feedback_reply_and_its_deletion(user, feedback):
    feedback_services.reply_to_feedback(user=user, feedback_id=feedback.pk, text="Sorry!")
    feedback_services.delete_feedback_reply(user=user, feedback_id=feedback.pk)
    replied = only_entry(action=Action.FEEDBACK_REPLIED)
    assert replied.changes == {"after": {"text": "Sorry!"}} and "402-7" in replied.summary
    assert only_entry(action=Action.FEEDBACK_REPLY_DELETED).changes["before"]["text"] == "Sorry!"


def test_feedback_reply_through_the_api_records_the_token(user, feedback):
    raw = token_for(user)
    response = client_with(raw).post(
        reverse("feedback-api:reply", args=[feedback.pk]), {"text": "Sorry"}, format="json"
    )
    assert response.status_code == 201
    entry = only_entry(action=Action.FEEDBACK_REPLIED)
    assert entry.token_name == "test" and entry.ip_address == "127.0.0.1"


def test_feedback_reply_refused_writes_nothing(user, member, feedback):
    with pytest.raises(ApplicationError):
        feedback_services.reply_to_feedback(user=user, feedback_id=feedback.pk, text="  ")
    with pytest.raises(ApplicationError):  # View only
        feedback_services.reply_to_feedback(user=member, feedback_id=feedback.pk, text="Hi")
    assert not AuditEntry.objects.exists()


def test_message_reply(user, seller, marketplace):
    conversation = Conversation.objects.create(
        seller=seller, marketplace=marketplace, buyer=BuyerFactory(marketplace=marketplace)
    )
    message = messaging_services.reply_to_conversation(
        user=user, conversation_id=conversation.pk, body="Your parcel left today."
    )
    entry = only_entry(action=Action.MESSAGE_SENT)
    assert entry.object_id == str(message.pk) and entry.seller_id == seller.pk
    with pytest.raises(ApplicationError):
        messaging_services.reply_to_conversation(
            user=user, conversation_id=conversation.pk, body=""
        )
    assert AuditEntry.objects.count() == 1


# ---- removal decisions -------------------------------------------------------------------------


def test_removal_requested_then_decided_by_staff(user, staff, feedback):
    request = feedback_services.request_feedback_removal(
        user=user, feedback_id=feedback.pk, ground="abusive"
    )
    assert request.status == "pending"
    requested = only_entry(action=Action.FEEDBACK_REMOVAL_REQUESTED)
    assert requested.actor == user and requested.changes["after"]["ground"] == "abusive"
    feedback_services.decide_removal_requests(
        staff=staff, request_ids=[request.pk], decision="declined", reason="Not abusive."
    )
    decided = only_entry(action=Action.FEEDBACK_REMOVAL_DECIDED)
    assert decided.actor == staff and decided.seller_id == feedback.seller_id
    assert decided.changes == {
        "before": {"status": "pending"},
        "after": {"status": "declined", "reason": "Not abusive."},
    }


def test_removal_decided_at_once_by_the_checks_has_no_actor(user, seller, marketplace):
    offer = OfferFactory(seller=seller, marketplace=marketplace)
    feedback = FeedbackFactory(
        order=order_of(offer), rating=1, comment="Terrible, call me at +33 6 12 34 56 78"
    )
    feedback_services.request_feedback_removal(user=user, feedback_id=feedback.pk, ground="abusive")
    decided = only_entry(action=Action.FEEDBACK_REMOVAL_DECIDED)
    assert decided.actor is None and decided.changes["after"]["status"] == "removed"


def test_removal_decision_refused_writes_nothing(user, staff, feedback):
    request = feedback_services.request_feedback_removal(
        user=user, feedback_id=feedback.pk, ground="abusive"
    )
    with pytest.raises(ApplicationError):  # a decline needs a reason
        feedback_services.decide_removal_requests(
            staff=staff, request_ids=[request.pk], decision="declined"
        )
    with pytest.raises(ApplicationError):  # only staff decide
        feedback_services.decide_removal_requests(
            staff=user, request_ids=[request.pk], decision="removed"
        )
    assert no_entries_for(Action.FEEDBACK_REMOVAL_DECIDED)


# ---- contacts ----------------------------------------------------------------------------------


def test_contact_the_customer_once(user, seller, marketplace, django_capture_on_commit_callbacks):
    from tests.reviews.factories import bought_review, represented_brand

    review = bought_review(seller, marketplace, represented_brand(seller))
    with django_capture_on_commit_callbacks(execute=True):
        contact = review_services.contact_customer(
            user=user, review_id=review.pk, reason="courtesy_refund"
        )
    entry = only_entry(action=Action.CUSTOMER_CONTACTED)
    assert entry.object_id == str(contact.pk) and entry.changes["after"]["refund"]
    with pytest.raises(ApplicationError):
        review_services.contact_customer(user=user, review_id=review.pk, reason="customer_service")
    assert AuditEntry.objects.count() == 1


# ---- Voice of the Customer ---------------------------------------------------------------------


def test_voc_relist_and_removal_order(user, seller, marketplace):
    offer = OfferFactory(
        seller=seller,
        marketplace=marketplace,
        fulfilment_channel="marketplace",
        status=Offer.Status.CLOSED,
        closure_reason=Offer.ClosureReason.NCX,
        closed_at=NOW,
    )
    with pytest.raises(ApplicationError):
        voc_services.relist_offer(user=user, offer_id=offer.pk, price="20", note=" ")
    assert not AuditEntry.objects.exists()
    voc_services.relist_offer(user=user, offer_id=offer.pk, price="21.50", note="New photos")
    relisted = only_entry(action=Action.OFFER_RELISTED)
    assert relisted.changes["after"] == {"status": "active", "price": "21.50"}
    voc_services.create_removal_order(user=user, offer_id=offer.pk, kind="disposal", quantity=3)
    assert only_entry(action=Action.REMOVAL_ORDER_CREATED).changes["after"]["quantity"] == 3


# ---- where it is seen --------------------------------------------------------------------------


def _entries_for(seller_user, n=1):
    for i in range(n):
        services.create_api_token(acting_user=seller_user, name=f"t{i}")


def test_admin_lists_filters_and_never_edits(client, staff, user):
    _entries_for(user, 2)
    client.force_login(staff)
    url = reverse("admin:sellercx_auditentry_changelist")
    page = client.get(url)
    assert page.status_code == 200 and user.email in page.content.decode()
    assert client.get(url, {"action__exact": "token.created"}).status_code == 200
    assert client.get(url, {"q": user.email}).status_code == 200
    entry = AuditEntry.objects.first()
    assert client.get(reverse("admin:sellercx_auditentry_add")).status_code == 403
    change = client.get(reverse("admin:sellercx_auditentry_change", args=[entry.pk]))
    assert change.status_code == 200 and 'name="summary"' not in change.content.decode()
    delete = reverse("admin:sellercx_auditentry_delete", args=[entry.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403


def test_activity_page_for_account_admins_only_and_only_their_account(
    client, user, member, stranger
):
    _entries_for(user)
    _entries_for(stranger)
    client.force_login(user)
    page = client.get(reverse("dashboard:activity"))
    assert page.status_code == 200
    assert len(page.context["page"].object_list) == 1
    assert "admin@contoso.example" not in page.content.decode()
    client.force_login(member)  # View on User permissions is not enough
    member.users_access = Access.VIEW
    member.save()
    assert client.get(reverse("dashboard:activity")).status_code == 403


def test_activity_page_filters(client, user, member):
    _entries_for(user)
    services.set_user_active(acting_user=user, user_id=member.pk, active=False)
    client.force_login(user)
    url = reverse("dashboard:activity")
    page = client.get(url, {"action": "user.deactivated"})
    assert [e.action for e in page.context["page"]] == ["user.deactivated"]
    page = client.get(url, {"since": "2000-01-01", "until": "2000-01-02"})
    assert len(page.context["page"].object_list) == 0
    page = client.get(url, {"actor": user.pk, "q": "member@"})
    assert [e.action for e in page.context["page"]] == ["user.deactivated"]


def test_activity_page_runs_constant_queries(client, user):
    client.force_login(user)
    url = reverse("dashboard:activity")

    def fetch():
        assert client.get(url).status_code == 200

    assert_constant_queries(lambda: _entries_for(user), fetch)


def test_api_lists_the_tokens_sellers_entries_only(user, stranger, member):
    _entries_for(user)
    _entries_for(stranger, 2)
    response = client_with(token_for(user)).get("/api/v1/auditLog")
    assert response.status_code == 200
    payload = response.json()["payload"]
    # the entry above, and the creation of the token making this call
    assert {row["action"] for row in payload} == {"token.created"}
    assert len(payload) == 2
    assert {"createdAt", "actor", "summary", "changes", "ipAddress"} <= set(payload[0])
    filtered = client_with(token_for(user)).get("/api/v1/auditLog", {"action": "user.created"})
    assert filtered.json()["payload"] == []


def test_api_refuses_non_admins_and_marketplace_tokens(member, marketplace, staff):
    assert client_with(token_for(member)).get("/api/v1/auditLog").status_code == 403
    storefront = client_with(marketplace_token(marketplace, staff))
    assert storefront.get("/api/v1/auditLog").status_code == 403


def test_api_runs_constant_queries(user):
    api = client_with(token_for(user))
    api.get("/api/v1/auditLog")  # the token's last use is written at most once a minute

    def fetch():
        assert api.get("/api/v1/auditLog").status_code == 200

    assert_constant_queries(lambda: _entries_for(user), fetch)


def test_api_is_documented(client):
    schema = client.get("/api/schema/?format=json").json()
    assert "/api/v1/auditLog" in schema["paths"]


def test_session_without_csrf_cannot_forge_entries(user, member):
    forged = Client(enforce_csrf_checks=True)
    forged.force_login(user)
    forged.post(reverse("dashboard:user", args=[member.pk]), {"action": "deactivate"})
    assert not AuditEntry.objects.exists()


def test_staff_changing_a_users_permissions_in_the_admin_is_logged(client, staff, member):
    client.force_login(staff)
    url = reverse("admin:sellercx_user_change", args=[member.pk])
    form = client.get(url).context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and name not in ("groups", "user_permissions", "password")
    }
    data.update(
        {
            "seller": member.seller_id,
            "messages_access": 0,
            "last_login_0": "",
            "last_login_1": "",
            "date_joined_0": member.date_joined.strftime("%Y-%m-%d"),
            "date_joined_1": member.date_joined.strftime("%H:%M:%S"),
        }
    )
    data = {k: v for k, v in data.items() if v is not False}
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    entry = only_entry(action=Action.USER_PERMISSIONS_CHANGED)
    assert entry.actor == staff and entry.seller_id == member.seller_id
    assert entry.changes == {"before": {"messages_access": 2}, "after": {"messages_access": 0}}
