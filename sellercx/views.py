"""Dashboard pages of the shared core: home, offers, orders, user permissions, API tokens.

Views hold no rule: they call selectors and services and turn domain errors into messages.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, RequestDataTooBig, TooManyFieldsSent
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from . import health, home, order_hub, selectors, services
from .api.errors import json_error_response
from .errors import ApplicationError, NotFound
from .filters import AuditFilter, OfferFilter, OrderFilter
from .forms import NewUserForm, PermissionsForm, TokenForm
from .models import User
from .permissions import Access, Area


class SellerPageMixin(LoginRequiredMixin):
    """A page of the seller dashboard: signed in, a seller user, and (when ``area`` is set)
    at least View on it — Edit for anything but reading (AC-2).

    A page whose figures are per marketplace (FB-10) sets ``offers_all_marketplaces = False``:
    its switcher has no "All marketplaces", and under that choice it opens on the account's main
    marketplace, named in the URL (UX-2) — never one marketplace's figures under "All".
    """

    area: Area | None = None
    edit_methods = frozenset({"post", "put", "patch", "delete"})
    offers_all_marketplaces = True

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if request.user.seller_id is None:
            # Marketplace staff work in the admin.
            return redirect("admin:index")
        if self.area is not None:
            needed = Access.EDIT if request.method.lower() in self.edit_methods else Access.VIEW
            if not request.user.can(self.area, needed):
                raise PermissionDenied(_("Your user permissions do not allow this page."))
        if (
            not self.offers_all_marketplaces
            and getattr(request, "marketplace_code", None) is None
            and request.method in ("GET", "HEAD")
        ):
            main = selectors.main_marketplace(seller_id=request.user.seller_id)
            if main is not None:
                query = request.GET.copy()
                query["marketplace"] = main.code
                return redirect(f"{request.path}?{query.urlencode()}")
        if request.method in ("GET", "HEAD") and "marketplace" not in request.GET:
            # The links a page draws from its URL (sort, pages: ``url_with``) name the
            # marketplace it shows, also when the seller came without one in the URL.
            query = request.GET.copy()
            query["marketplace"] = getattr(request, "marketplace_code", None) or "all"
            request.GET = query
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        kwargs.setdefault("offers_all_marketplaces", self.offers_all_marketplaces)
        return super().get_context_data(**kwargs)

    @property
    def seller_id(self) -> int:
        return self.request.user.seller_id


def redirect_back(request: HttpRequest, default: str, *args, **kwargs) -> HttpResponse:
    """UX-2: after an action, back where the seller was — the page, marketplace, filters, sort
    and page the form's ``next`` names (``{% return_here %}``) when it is a local URL, else
    ``default`` (a URL name, with its arguments)."""
    target = request.POST.get("next", "")
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(default, *args, **kwargs)


class FilteredListView(SellerPageMixin, TemplateView):
    """A table page: the shared FilterSet, the current marketplace, sorting and paging."""

    filterset_class = None
    paginate_by = 25
    default_sort = "-id"

    def get_queryset(self):
        raise NotImplementedError

    def get_paginator(self, queryset, filterset) -> Paginator:
        """The pages of ``queryset`` (``filterset`` applied); a view may count them its way."""
        return Paginator(queryset, self.paginate_by)

    def get_context_data(self, **kwargs):
        data = self.request.GET.copy()
        if "marketplace" not in data and self.request.marketplace_code:
            data["marketplace"] = self.request.marketplace_code
        data.pop("page", None)
        filterset = self.filterset_class(data, queryset=self.get_queryset(), request=self.request)
        queryset = filterset.qs if filterset.is_valid() else self.get_queryset().none()
        if not data.get("sort"):
            queryset = queryset.order_by(self.default_sort, "-id")
        page = self.get_paginator(queryset, filterset).get_page(self.request.GET.get("page"))
        return super().get_context_data(
            filterset=filterset, page=page, sort=data.get("sort", ""), **kwargs
        )


class HomeView(SellerPageMixin, TemplateView):
    template_name = "dashboard/home.html"

    def get_context_data(self, **kwargs):
        code = self.request.marketplace_code
        counts = selectors.home_counts(seller_id=self.seller_id, marketplace_code=code)
        recent = selectors.orders_of_seller(seller_id=self.seller_id)
        if code:
            recent = recent.filter(marketplace__code=code)
        recent = recent.order_by("-purchased_at")[:8]
        return super().get_context_data(
            counts=counts,
            recent_orders=recent,
            panels=home.panels_for(self.request.user, marketplace_code=code),
            **kwargs,
        )


class OfferListView(FilteredListView):
    template_name = "dashboard/offers.html"
    filterset_class = OfferFilter
    default_sort = "sku"

    def get_queryset(self):
        return selectors.offers_of_seller(seller_id=self.seller_id)

    def get_context_data(self, **kwargs):
        # An offer's page is Voice of the Customer's: linked for those who may view it (AC-2).
        return super().get_context_data(link_offers=self.request.user.can(Area.VOC), **kwargs)


class OrderListView(FilteredListView):
    template_name = "dashboard/orders.html"
    filterset_class = OrderFilter
    default_sort = "-purchased_at"

    def get_queryset(self):
        return selectors.orders_of_seller(seller_id=self.seller_id).prefetch_related(
            order_hub.lines_with_offers()
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(link_offers=self.request.user.can(Area.VOC), **kwargs)


class OrderDetailView(SellerPageMixin, TemplateView):
    """UX-5: the hub of an order: each part the user may see (``order_hub``)."""

    template_name = "dashboard/order_detail.html"

    def get_context_data(self, pk: int, **kwargs):
        try:
            hub = order_hub.order_hub(user=self.request.user, order_id=pk)
        except NotFound:
            raise Http404 from None
        return super().get_context_data(
            hub=hub,
            order=hub.order,
            events=hub.events,
            contact_state=hub.contact_state,
            can_contact=hub.can_contact,
            **kwargs,
        )


class UsersView(SellerPageMixin, TemplateView):
    """AC-3: the User permissions page. Everyone with View sees it; admins change it."""

    template_name = "dashboard/users.html"
    area = Area.USERS

    def get_context_data(self, **kwargs):
        kwargs.setdefault("new_user_form", NewUserForm())
        return super().get_context_data(
            users=selectors.account_users(seller_id=self.seller_id),
            areas=list(Area),
            **kwargs,
        )

    def post(self, request):
        form = NewUserForm(request.POST)
        if form.is_valid():
            try:
                user = services.create_seller_user(
                    acting_user=request.user,
                    email=form.cleaned_data["email"],
                    name=form.cleaned_data["name"],
                    password=form.cleaned_data["password"],
                    permissions=form.permissions(),
                )
            except ApplicationError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("%(email)s was added.") % {"email": user.email})
                return redirect("dashboard:users")
        return self.render_to_response(self.get_context_data(new_user_form=form), status=400)


class UserPermissionsView(SellerPageMixin, TemplateView):
    template_name = "dashboard/user_permissions.html"
    area = Area.USERS

    def get_user(self, pk: int) -> User:
        # AC-1: another account's user is a 404.
        user = selectors.account_users(seller_id=self.seller_id).filter(pk=pk).first()
        if user is None:
            raise Http404
        return user

    def get(self, request, pk: int):
        member = self.get_user(pk)
        form = PermissionsForm(initial_user=member)
        return self.render_to_response(self.get_context_data(member=member, form=form))

    def post(self, request, pk: int):
        member = self.get_user(pk)
        action = request.POST.get("action", "save")
        try:
            if action in ("deactivate", "reactivate"):
                services.set_user_active(
                    acting_user=request.user, user_id=member.pk, active=action == "reactivate"
                )
                messages.success(
                    request,
                    (
                        _("%(email)s is reactivated.")
                        if action == "reactivate"
                        else _("%(email)s is deactivated: they can no longer sign in.")
                    )
                    % {"email": member.email},
                )
                # UX-2: the admin stays on the user's page, where the reverse action is.
                return redirect("dashboard:user", pk=member.pk)
            form = PermissionsForm(request.POST, initial_user=member)
            if form.is_valid():
                services.update_user_permissions(
                    acting_user=request.user, user_id=member.pk, permissions=form.permissions()
                )
                messages.success(
                    request, _("Permissions of %(email)s saved.") % {"email": member.email}
                )
                return redirect("dashboard:users")
        except NotFound:
            raise Http404 from None
        except ApplicationError as error:
            form = PermissionsForm(request.POST, initial_user=member)
            form.is_valid()
            form.add_error(None, error.message)
        return self.render_to_response(self.get_context_data(member=member, form=form), status=400)


class ActivityLogView(FilteredListView):
    """Issue #9: who did what in the account, for those who manage its users (AC-3)."""

    template_name = "dashboard/activity.html"
    filterset_class = AuditFilter
    area = Area.USERS
    default_sort = "-created_at"
    paginate_by = 50

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and user.seller_id is not None and not user.is_account_admin:
            raise PermissionDenied(_("Only an account admin can see the activity log."))
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return selectors.audit_entries(seller_id=self.seller_id)


class TokensView(SellerPageMixin, TemplateView):
    """AC-4: a seller user's API tokens; the raw value is shown once, right after creation."""

    template_name = "dashboard/tokens.html"

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", TokenForm())
        return super().get_context_data(
            tokens=selectors.tokens_of_user(user=self.request.user), **kwargs
        )

    def post(self, request):
        if "revoke" in request.POST:
            try:
                services.revoke_api_token(
                    acting_user=request.user, token_id=int(request.POST["revoke"])
                )
            except (ValueError, NotFound):
                raise Http404 from None
            messages.success(request, _("The token was revoked; it no longer works."))
            return redirect("dashboard:tokens")
        form = TokenForm(request.POST)
        if form.is_valid():
            try:
                token, raw = services.create_api_token(
                    acting_user=request.user, name=form.cleaned_data["name"]
                )
            except ApplicationError as error:
                form.add_error(None, error.message)
            else:
                return self.render_to_response(
                    self.get_context_data(new_token=raw, new_token_obj=token), status=201
                )
        return self.render_to_response(self.get_context_data(form=form), status=400)


class HealthView(View):
    """``/health/`` for load balancers and docker compose (``sellercx.health``): 200 while the
    database answers (``ok`` or ``degraded``), 503 when it does not; ``?strict=1`` answers 503
    unless everything is ``ok``. ``/healthz`` is kept as an alias."""

    def get(self, request):
        report = health.run_checks()
        strict = request.GET.get("strict", "") not in ("", "0", "false")
        response = JsonResponse(report, status=health.http_status(report, strict=strict))
        response["Cache-Control"] = "no-store"
        return response


def root(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated and request.user.seller_id is None:
        return redirect("admin:index")
    return redirect(reverse("dashboard:home"))


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def _error_page(request, status: int, title: str, message: str) -> HttpResponse:
    context = {"title": title, "message": message}
    return render(request, "errors/error.html", context, status=status)


def page_not_found(request, exception=None):
    if _is_api(request):
        return json_error_response(404, "NotFound", _("No such resource."))
    return _error_page(
        request,
        404,
        _("Page not found"),
        _("There is nothing here, or it is not part of your account."),
    )


def permission_denied(request, exception=None):
    if _is_api(request):
        return json_error_response(403, "Unauthorized", _("Access to this resource is denied."))
    return _error_page(
        request,
        403,
        _("Not allowed"),
        _("Your user permissions do not allow this page. Ask your account admin."),
    )


def bad_request_response(request, message: str, status: int = 400) -> HttpResponse:
    if _is_api(request):
        code = "InvalidInput" if status == 400 else "PayloadTooLarge"
        return json_error_response(status, code, message)
    title = _("Bad request") if status == 400 else _("Too large")
    return _error_page(request, status, title, message)


def bad_request(request, exception=None):
    if isinstance(exception, RequestDataTooBig):
        # A form (or body) over DATA_UPLOAD_MAX_MEMORY_SIZE: say so, with the limit (#9).
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        message = _("The request is too large: at most %(size)s.") % {"size": filesizeformat(limit)}
        return bad_request_response(request, message, status=413)
    if isinstance(exception, TooManyFieldsSent):
        return bad_request_response(request, _("The form has too many fields."), status=413)
    if _is_api(request):
        return json_error_response(400, "InvalidInput", _("The request could not be read."))
    return _error_page(request, 400, _("Bad request"), _("The request could not be understood."))


def server_error(request):
    if _is_api(request):
        return json_error_response(500, "InternalFailure", _("An unexpected error occurred."))
    return render(request, "errors/500.html", status=500)
