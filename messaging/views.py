"""The Messages page (MS-4): the inbox and a conversation with its order beside it."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from sellercx.errors import ApplicationError, NotFound
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
    """A thread with its order beside it; the reply form and "no response needed" post here."""

    template_name = "messaging/conversation.html"
    area = Area.MESSAGES

    def post(self, request, pk: int):
        try:
            if "no_response_needed" in request.POST:
                services.mark_no_response_needed(
                    user=request.user, message_id=int(request.POST["no_response_needed"])
                )
                messages.success(request, _("Marked: no response needed."))
            else:
                services.reply_to_conversation(
                    user=request.user, conversation_id=pk, body=request.POST.get("body", "")
                )
                messages.success(request, _("Your message is sent."))
        except (ValueError, NotFound):
            raise Http404 from None
        except ApplicationError as error:
            context = self.get_context_data(
                pk=pk, reply_error=error.message, draft=request.POST.get("body", "")
            )
            # htmx swaps only successful responses; a plain form post gets its 4xx.
            status = 200 if request.headers.get("HX-Request") else error.status_code
            return self.render_to_response(context, status=status)
        return redirect("messaging:conversation", pk=pk)

    def get_context_data(self, pk: int, **kwargs):
        conversation = selectors.conversation_detail(seller_id=self.seller_id, conversation_id=pk)
        if conversation is None:
            raise Http404
        if self.request.user.can(Area.MESSAGES, Access.EDIT):
            services.mark_conversation_read(seller_id=self.seller_id, conversation_id=pk)
        return super().get_context_data(
            conversation=conversation,
            can_edit=self.request.user.can(Area.MESSAGES, Access.EDIT),
            **kwargs,
        )
