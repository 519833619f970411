"""URLs: the dashboard under /dashboard/, the API under /api/v1/, the admin under /admin/.

Each feature app adds its own ``urls.py`` here when it lands (namespaced by the app's name).
"""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import views

admin.site.site_header = "SellerCX — marketplace administration"
admin.site.site_title = "SellerCX admin"
admin.site.index_title = "Marketplace operations"

urlpatterns = [
    path("", views.root, name="root"),
    path("health/", views.HealthView.as_view(), name="health"),
    path("healthz", views.HealthView.as_view(), name="healthz"),  # the former name, kept
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("dashboard/", include("sellercx.dashboard_urls")),
    path("dashboard/feedback/", include("feedback.urls")),
    path("dashboard/reviews/", include("reviews.urls")),
    path("dashboard/messages/", include("messaging.urls")),
    path("dashboard/performance/", include("metrics.urls")),
    path("dashboard/voc/", include("voc.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("sellercx.api.urls")),
    path("api/v1/", include("feedback.api_urls")),
    path("api/v1/", include("reviews.api_urls")),
    path("api/v1/", include("messaging.api_urls")),
    path("api/v1/", include("metrics.api_urls")),
    path("api/v1/", include("voc.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
]

handler400 = "sellercx.views.bad_request"
handler403 = "sellercx.views.permission_denied"
handler404 = "sellercx.views.page_not_found"
handler500 = "sellercx.views.server_error"
