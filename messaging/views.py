"""The Messages page (MS-4): the inbox and a conversation with its order beside it."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.generic import TemplateView

from sellercx.errors import ApplicationError, NotFound
from sellercx.permissions import Access, Area
from sellercx.views import SellerPageMixin, redirect_back

from . import selectors, services


class InboxView(SellerPageMixin, TemplateView):
    """MS-4: the conversations, those awaiting a reply first (the longest waiting first), of
    the chosen marketplace or, under "All marketplaces", of every one (each row names its
    marketplace). The marketplace and the page are in the URL (UX-2)."""

    template_name = "messaging/inbox.html"
    area = Area.MESSAGES

    def get_context_data(self, **kwargs):
        conversations = selectors.inbox(
            seller_id=self.seller_id, marketplace_code=self.request.marketplace_code
        )
        page = Paginator(conversations, 25).get_page(self.request.GET.get("page"))
        return super().get_context_data(page=page, **kwargs)


class ConversationView(SellerPageMixin, TemplateView):
    """A thread with its order beside it; the reply form and "no response needed" post here.

    Its URL carries the inbox's query (marketplace, page), so "← Messages" and "Mark as unread"
    return the seller to the inbox page they came from (UX-2); the other actions come back here.
    """

    template_name = "messaging/conversation.html"
    area = Area.MESSAGES

    def post(self, request, pk: int):
        try:
            if "mark_unread" in request.POST:
                services.mark_conversation_unread(seller_id=self.seller_id, conversation_id=pk)
                messages.success(request, _("Marked as unread."))
                return redirect_back(request, "messaging:inbox")
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
        return redirect_back(request, "messaging:conversation", pk=pk)

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
            inbox_query=self.request.GET.urlencode(),
            **kwargs,
        )


class ContactBuyerView(SellerPageMixin, TemplateView):
    """UX-5, FB-11: "Contact the buyer" of an order, a proactive message.

    Its form (``_contact_buyer.html``) sits on the order page. With htmx the section comes back
    in place: the error beside the form with the draft kept, or, once sent, the link to the
    conversation. Without JavaScript, a refused send shows this page (the order and the form,
    the error beside it, the draft kept) and a sent one returns the seller where they were
    (``next``), else to the conversation. GET shows the form alone.
    """

    template_name = "messaging/contact_buyer.html"
    area = Area.MESSAGES

    def get_context_data(self, order_id: int, **kwargs):
        from sellercx.selectors import order_detail

        try:
            order = order_detail(seller_id=self.seller_id, order_id=order_id)
        except NotFound:
            raise Http404 from None
        return super().get_context_data(
            order=order,
            contact_state=selectors.buyer_contact_state(seller_id=self.seller_id, order=order),
            can_edit=self.request.user.can(Area.MESSAGES, Access.EDIT),
            **kwargs,
        )

    def post(self, request, order_id: int):
        fragment = bool(request.headers.get("HX-Request"))
        try:
            message = services.contact_buyer(
                user=request.user,
                order_id=order_id,
                subject=request.POST.get("subject", ""),
                body=request.POST.get("body", ""),
            )
        except NotFound:
            raise Http404 from None
        except ApplicationError as error:
            context = self.get_context_data(
                order_id=order_id,
                contact_error=error.message,
                draft={
                    "subject": request.POST.get("subject", ""),
                    "body": request.POST.get("body", ""),
                },
                next=request.POST.get("next", ""),
            )
            if fragment:  # htmx swaps only successful responses
                return self.render_fragment(context)
            return self.render_to_response(context, status=error.status_code)
        sent = _("Your message is sent to the buyer.")
        if fragment:
            return self.render_fragment(self.get_context_data(order_id=order_id, contact_sent=sent))
        messages.success(request, sent)
        return redirect_back(request, "messaging:conversation", pk=message.conversation_id)

    def render_fragment(self, context):
        return self.response_class(
            request=self.request, template="messaging/_contact_buyer.html", context=context
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
    """CS-1 … CS-9: the customer-service rating of one marketplace, its trend, what to do.
    FB-10, UX-2: its figures are per marketplace, so "All marketplaces" is not offered."""

    template_name = "messaging/rating.html"
    area = Area.MESSAGES
    offers_all_marketplaces = False

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
