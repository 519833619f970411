"""The brand dashboard's Customer reviews page (RV-3) and Contact the customer (RV-4, RV-5)."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from sellercx.errors import ApplicationError, NotFound
from sellercx.models import SellerAccount
from sellercx.permissions import Access, Area
from sellercx.views import SellerPageMixin, redirect_back

from . import selectors, services
from .eligibility import contact_eligibility
from .filters import ReviewFilter
from .models import CustomerContact


class ReviewsPageMixin(SellerPageMixin):
    area = Area.REVIEWS

    def decorate(self, reviews) -> None:
        """RV-4 for every review shown, in Python: no query per review."""
        account = SellerAccount.objects.get(pk=self.seller_id)
        brands = set(selectors.represented_brand_ids(seller_id=self.seller_id))
        now = timezone.now()
        for review in reviews:
            review.eligibility = contact_eligibility(
                review=review, account=account, represented_brand_ids=brands, now=now
            )


class CustomerReviewsView(ReviewsPageMixin, TemplateView):
    template_name = "reviews/list.html"
    paginate_by = 20

    def get_context_data(self, **kwargs):
        data = self.request.GET.copy()
        data.pop("page", None)
        queryset = selectors.reviews_for_brand_dashboard(seller_id=self.seller_id)
        filterset = ReviewFilter(data, queryset=queryset, request=self.request)
        rows = filterset.qs if filterset.is_valid() else queryset.none()
        if not data.get("sort"):
            rows = rows.order_by("-posted_at", "-id")
        # The page's keys first (sorted on the covering index), then its 20 reviews (#8).
        keys = rows.values_list("pk", flat=True)
        page = Paginator(keys, self.paginate_by).get_page(self.request.GET.get("page"))
        page.object_list = selectors.reviews_in_order(
            seller_id=self.seller_id, ids=page.object_list
        )
        self.decorate(page.object_list)
        brands = list(selectors.represented_brands(seller_id=self.seller_id))
        return super().get_context_data(
            filterset=filterset,
            page=page,
            sort=data.get("sort", ""),
            several_brands=len(brands) > 1,
            has_brands=bool(brands),
            can_edit=self.request.user.can(Area.REVIEWS, Access.EDIT),
            reasons=CustomerContact.Reason.choices,
            **kwargs,
        )


class ContactCustomerView(ReviewsPageMixin, TemplateView):
    template_name = "reviews/_review.html"
    http_method_names = ["post"]

    def post(self, request, pk: int):
        try:
            services.contact_customer(
                user=request.user, review_id=pk, reason=request.POST.get("reason", "")
            )
            flash, level = _("Your message is on its way to the customer."), "success"
        except NotFound:
            raise Http404 from None
        except ApplicationError as error:
            flash, level = error.message, "error"
        if not request.headers.get("HX-Request"):
            messages.add_message(
                request, messages.SUCCESS if level == "success" else messages.ERROR, flash
            )
            return redirect_back(request, "reviews:list")
        review = selectors.reviews_for_brand_dashboard(seller_id=self.seller_id).get(pk=pk)
        self.decorate([review])
        return self.render_to_response(
            {
                "review": review,
                "flash": flash,
                "flash_level": level,
                "can_edit": True,
                "reasons": CustomerContact.Reason.choices,
            }
        )
