"""The feedback manager (FB-8) and review requests (FB-11) in the seller dashboard."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.generic import TemplateView

from sellercx.errors import ApplicationError, InvalidInput, NotFound
from sellercx.permissions import Access, Area
from sellercx.selectors import chosen_marketplace, seller_marketplaces
from sellercx.views import SellerPageMixin, redirect_back

from . import rules, selectors, services
from .filters import FeedbackFilter
from .forms import BulkRequestForm, RemovalForm, ReplyForm


class FeedbackPageMixin(SellerPageMixin):
    area = Area.FEEDBACK

    def marketplace(self):
        return chosen_marketplace(seller_id=self.seller_id, code=self.request.marketplace_code)


class FeedbackManagerView(FeedbackPageMixin, TemplateView):
    template_name = "feedback/manager.html"
    paginate_by = 20
    # FB-10: the figures are one marketplace's; UX-2: never shown under "All marketplaces".
    offers_all_marketplaces = False

    def get_context_data(self, **kwargs):
        marketplace = self.marketplace()
        context = super().get_context_data(marketplace=marketplace, **kwargs)
        if marketplace is None:
            return context
        data = self.request.GET.copy()
        data["marketplace"] = marketplace.code
        data.pop("page", None)
        queryset = selectors.feedback_of_seller(seller_id=self.seller_id)
        filterset = FeedbackFilter(data, queryset=queryset, request=self.request)
        rows = filterset.qs if filterset.is_valid() else queryset.none()
        if not data.get("sort"):
            rows = rows.order_by("-left_at", "-id")
        page = Paginator(rows, self.paginate_by).get_page(self.request.GET.get("page"))
        selectors.with_seller_actions(page.object_list, now=timezone.now())
        context.update(
            summary=selectors.feedback_summary(
                seller_id=self.seller_id, marketplace_id=marketplace.pk
            ),
            filterset=filterset,
            page=page,
            sort=data.get("sort", ""),
            can_edit=self.request.user.can(Area.FEEDBACK, Access.EDIT),
            reply_form=ReplyForm(),
            removal_form=RemovalForm(),
        )
        return context


class FeedbackActionView(FeedbackPageMixin, TemplateView):
    """POST-only actions on one feedback. With htmx the updated row comes back in place;
    without JavaScript, back to the page the seller was on (UX-2) with a message."""

    template_name = "feedback/_row.html"
    http_method_names = ["post"]

    def act(self, feedback_id: int) -> str:
        raise NotImplementedError

    def cleaned(self, form_class, feedback_id: int) -> dict:
        """The posted form's values, cleaned; its first error refuses the action as the
        service would (nothing is stored), once the feedback is known to be the seller's:
        another account's answers 404 whatever was posted."""
        form = form_class(self.request.POST)
        if form.is_valid():
            return form.cleaned_data
        if selectors.feedback_detail(seller_id=self.seller_id, feedback_id=feedback_id) is None:
            raise NotFound(_("No such feedback."))
        field, errors = next(iter(form.errors.items()))
        raise InvalidInput(errors[0], details=field)

    def post(self, request, pk: int):
        try:
            message = self.act(pk)
            level = messages.SUCCESS
        except NotFound:
            raise Http404 from None
        except ApplicationError as error:
            message, level = error.message, messages.ERROR
        if request.headers.get("HX-Request"):
            feedback = selectors.feedback_detail(seller_id=self.seller_id, feedback_id=pk)
            selectors.with_seller_actions([feedback], now=timezone.now())
            return self.render_to_response(
                {
                    "feedback": feedback,
                    "flash": message,
                    "flash_level": "error" if level == messages.ERROR else "success",
                    "can_edit": True,
                },
                status=200,
            )
        messages.add_message(request, level, message)
        return redirect_back(request, "feedback:manager")


class ReplyView(FeedbackActionView):
    def act(self, feedback_id: int) -> str:
        text = self.cleaned(ReplyForm, feedback_id)["text"]
        services.reply_to_feedback(user=self.request.user, feedback_id=feedback_id, text=text)
        return _("Your public reply is posted.")


class DeleteReplyView(FeedbackActionView):
    def act(self, feedback_id: int) -> str:
        services.delete_feedback_reply(user=self.request.user, feedback_id=feedback_id)
        return _("Your reply is deleted. A new reply cannot be posted for this feedback.")


class RequestRemovalView(FeedbackActionView):
    def act(self, feedback_id: int) -> str:
        values = self.cleaned(RemovalForm, feedback_id)
        request = services.request_feedback_removal(
            user=self.request.user,
            feedback_id=feedback_id,
            ground=values["ground"],
            note=values["note"],
        )
        if request.status == "pending":
            return _("Your request is with the marketplace; you'll see the decision here.")
        return _("Decided at once: %(status)s. %(reason)s") % {
            "status": request.get_status_display(),
            "reason": request.decision_reason,
        }


class ReviewRequestsView(FeedbackPageMixin, TemplateView):
    """FB-11: orders in the request window, one button each, and the bulk action, which
    shows what it would do before it sends anything (UX-4).

    Under "All marketplaces" the orders of every marketplace are listed, each with its
    marketplace: a list, not figures, so nothing is mixed (UX-2)."""

    template_name = "feedback/requests.html"
    paginate_by = 25

    def marketplace(self):
        if self.request.marketplace_code is None:
            return None
        return super().marketplace()

    def bulk_form(self, data=None, **kwargs) -> BulkRequestForm:
        codes = list(seller_marketplaces(seller=self.seller_id).values_list("code", flat=True))
        return BulkRequestForm(data, marketplace_codes=codes, **kwargs)

    def get_context_data(self, **kwargs):
        marketplace = self.marketplace()
        today = rules.utc_day(timezone.now())
        eligible_only = self.request.GET.get("eligible") == "1"
        orders = (
            services.solicitable_orders(today=today)
            .filter(
                seller_id=self.seller_id,
                delivered_at__date__gte=today - timedelta(days=rules.SOLICIT_UNTIL_DAYS + 10),
            )
            .select_related("marketplace")
            .order_by("-delivered_at", "-id")
        )
        if marketplace:
            orders = orders.filter(marketplace=marketplace)
        if eligible_only:
            orders = orders.filter(refusal__isnull=True)
        page = Paginator(orders, self.paginate_by).get_page(self.request.GET.get("page"))
        for order in page:
            order.refusal_label = services.SkipReason.label(order.refusal) if order.refusal else ""
        kwargs.setdefault(
            "bulk_form",
            self.bulk_form(
                initial={
                    "purchased_from": today - timedelta(days=40),
                    "purchased_to": today - timedelta(days=rules.SOLICIT_FROM_DAYS),
                    "marketplace": marketplace.code if marketplace else "",
                }
            ),
        )
        return super().get_context_data(
            marketplace=marketplace,
            page=page,
            eligible_only=eligible_only,
            can_edit=self.request.user.can(Area.FEEDBACK, Access.EDIT),
            **kwargs,
        )

    def post(self, request):
        if "order" in request.POST:
            return self.request_one(request)
        form = self.bulk_form(request.POST)
        if not form.is_valid():
            # Dates a browser's date picker cannot produce: bad input, shown on the form.
            return self.render_to_response(self.get_context_data(bulk_form=form), status=400)
        values = {
            "user": request.user,
            "purchased_from": form.cleaned_data["purchased_from"],
            "purchased_to": form.cleaned_data["purchased_to"],
            "marketplace_code": form.cleaned_data["marketplace"] or None,
        }
        send = "send" in request.POST  # UX-4: nothing is sent before it is confirmed
        try:
            if send:
                report = services.request_reviews_in_bulk(**values)
            else:
                plan = services.plan_review_requests_in_bulk(**values)
        except ApplicationError as error:
            # Reversed dates or a range too long: said on the form; nothing was sent.
            form.add_error(None, error.message)
            return self.render_to_response(self.get_context_data(bulk_form=form))
        if not send:
            code = values["marketplace_code"]
            planned_in = seller_marketplaces(seller=self.seller_id).filter(code=code).first()
            return self.render_to_response(
                self.get_context_data(bulk_form=form, plan=plan, plan_marketplace=planned_in)
            )
        self.tell_report(report)
        return redirect_back(request, "feedback:requests")

    def request_one(self, request):
        try:
            services.request_review(user=request.user, order_id=int(request.POST["order"]))
            messages.success(request, _("The review request is sent."))
        except (ValueError, NotFound):
            raise Http404 from None
        except ApplicationError as error:
            messages.error(request, error.message)
        return redirect_back(request, "feedback:requests")

    def tell_report(self, report: services.BulkReport) -> None:
        messages.success(
            self.request,
            ngettext("%(n)d review request sent.", "%(n)d review requests sent.", report.sent)
            % {"n": report.sent},
        )
        for label, n in report.lines():
            messages.warning(
                self.request,
                ngettext(
                    "Not sent to %(n)d order: %(reason)s", "Not sent to %(n)d orders: %(reason)s", n
                )
                % {"n": n, "reason": label},
            )
