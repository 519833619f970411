from django.contrib import admin

from sellercx.admin import BigTableAdmin

from .models import Conversation, Message


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
