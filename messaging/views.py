"""The Messages page (MS-4): the inbox and a conversation with its order beside it."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
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
        late_before = timezone.now() - timedelta(hours=24)
        for conversation in page:  # MS-4: awaiting a reply for more than 24 hours
            conversation.is_late = bool(
                conversation.awaiting
                and conversation.last_buyer_at
                and conversation.last_buyer_at < late_before
            )
        return super().get_context_data(page=page, **kwargs)


class ConversationView(SellerPageMixin, TemplateView):
    """A thread with its order beside it; the reply form and "no response needed" post here."""

    template_name = "messaging/conversation.html"
    area = Area.MESSAGES

    def post(self, request, pk: int):
        try:
            if "mark_unread" in request.POST:
                services.mark_conversation_unread(seller_id=self.seller_id, conversation_id=pk)
                messages.success(request, _("Marked as unread."))
                return redirect("messaging:inbox")
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
        events = []
        if conversation.order_id:  # MS-4: what happened to the order, beside the thread
            from sellercx.selectors import order_detail, order_events

            events = order_events(
                order_detail(seller_id=self.seller_id, order_id=conversation.order_id)
            )
        return super().get_context_data(
            conversation=conversation,
            order_events=events,
            can_edit=self.request.user.can(Area.MESSAGES, Access.EDIT),
            **kwargs,
        )


TIPS_DO = [
    _l("Reduce the time you take to answer and solve buyers' problems."),
    _l("Personalise your messages: the buyer's name, their history with you."),
    _l("Write clear, concise and professional answers."),
    _l("Include tracking information when a buyer asks where their order is."),
    _l("Offer buyer-friendly return and cancellation policies, and show them on the product page."),
    _l("Acknowledge complaints, apologise, and ask what you can do to put things right."),
    _l("Set clear expectations (response time, replacements, refunds) and meet them."),
]
TIPS_DONT = [
    _l("Ship without tracking information."),
    _l("Ask buyers to do what you can do yourself, such as contacting the carrier."),
    _l("Send vague or empty product descriptions or policies."),
    _l("Send automated replies."),
]


class RatingView(SellerPageMixin, TemplateView):
    """CS-1 … CS-9: the customer-service rating of one marketplace, its trend, what to do."""

    template_name = "messaging/rating.html"
    area = Area.MESSAGES

    def get_context_data(self, **kwargs):
        from sellercx import periods
        from sellercx.selectors import chosen_marketplace

        from .recomputes import WINDOW_DAYS

        marketplace = chosen_marketplace(
            seller_id=self.seller_id, code=self.request.marketplace_code
        )
        context = super().get_context_data(marketplace=marketplace, **kwargs)
        if marketplace is None:
            return context
        rating = selectors.current_rating(seller_id=self.seller_id, marketplace_id=marketplace.pk)
        week = rating["shown"].week_start if rating["shown"] else periods.current_period("weekly")
        since, until = periods.days_before(week, WINDOW_DAYS)
        context.update(
            rating=rating,
            window=(since.date(), (until - timedelta(days=1)).date()),
            history=selectors.rating_history(
                seller_id=self.seller_id, marketplace_id=marketplace.pk
            ),
            no_answers=selectors.no_answers(
                seller_id=self.seller_id, marketplace_id=marketplace.pk, since=since, until=until
            ),
            response_times=selectors.response_times(
                seller_id=self.seller_id, marketplace_id=marketplace.pk
            ),
            tips_do=TIPS_DO,
            tips_dont=TIPS_DONT,
        )
        return context
