"""The Messages page (MS-4): the inbox and a conversation with its order beside it."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404
from django.views.generic import TemplateView

from sellercx.permissions import Access, Area
from sellercx.views import SellerPageMixin

from . import selectors, services


class InboxView(SellerPageMixin, TemplateView):
    template_name = "messaging/inbox.html"
    area = Area.MESSAGES

    def get_context_data(self, **kwargs):
        conversations = selectors.inbox(seller_id=self.seller_id)
        if self.request.marketplace_code:
            conversations = conversations.filter(marketplace__code=self.request.marketplace_code)
        page = Paginator(conversations, 25).get_page(self.request.GET.get("page"))
        return super().get_context_data(page=page, **kwargs)


class ConversationView(SellerPageMixin, TemplateView):
    template_name = "messaging/conversation.html"
    area = Area.MESSAGES

    def get_context_data(self, pk: int, **kwargs):
        conversation = selectors.conversation_detail(seller_id=self.seller_id, conversation_id=pk)
        if conversation is None:
            raise Http404
        if self.request.user.can(Area.MESSAGES, Access.EDIT):
            services.mark_conversation_read(seller_id=self.seller_id, conversation_id=pk)
        return super().get_context_data(conversation=conversation, **kwargs)
