from django.contrib import admin

from sellercx.admin import BigTableAdmin

from .models import Conversation, CustomerServiceRating, Message, Survey


class MessageInline(admin.TabularInline):
    model = Message
    extra = 0
    fields = ["direction", "body", "sent_at", "read_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Conversation)
class ConversationAdmin(BigTableAdmin):
    list_display = ["subject", "seller", "buyer", "marketplace", "order", "last_message_at"]
    list_filter = ["marketplace"]
    list_select_related = ["seller", "buyer", "marketplace", "order"]
    search_fields = ["=order__external_id", "seller__name", "subject"]
    raw_id_fields = ["seller", "buyer", "order", "contact"]
    inlines = [MessageInline]


@admin.register(Message)
class MessageAdmin(BigTableAdmin):
    list_display = ["conversation", "direction", "seller", "sent_at", "read_at"]
    list_filter = ["direction", "marketplace"]
    list_select_related = ["conversation", "seller"]
    search_fields = ["=external_id"]
    raw_id_fields = ["conversation", "seller", "author"]


@admin.register(Survey)
class SurveyAdmin(BigTableAdmin):
    list_display = ["message", "seller", "marketplace", "answer", "answered_at"]
    list_filter = ["answer", "marketplace"]
    list_select_related = ["message", "seller", "marketplace"]
    raw_id_fields = ["message", "conversation", "seller"]


@admin.register(CustomerServiceRating)
class CustomerServiceRatingAdmin(BigTableAdmin):
    """CS-9: every weekly value. Recompute from the seller accounts' action or the command."""

    list_display = ["seller", "marketplace", "week_start", "value", "answers", "computed_at"]
    list_filter = ["marketplace", "week_start"]
    list_select_related = ["seller", "marketplace"]
    search_fields = ["seller__name"]
    readonly_fields = [
        "seller",
        "marketplace",
        "week_start",
        "value",
        "answers",
        "yes_answers",
        "computed_at",
    ]

    def has_add_permission(self, request):
        return False
