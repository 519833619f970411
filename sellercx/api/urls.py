from django.urls import path

from . import views

app_name = "api"

urlpatterns = [
    path("marketplaces", views.MarketplaceListApi.as_view(), name="marketplaces"),
    path("offers", views.OfferListApi.as_view(), name="offers"),
    path("offers/<int:pk>", views.OfferDetailApi.as_view(), name="offer"),
    path("orders", views.OrderListApi.as_view(), name="orders"),
    path("orders/<int:pk>", views.OrderDetailApi.as_view(), name="order"),
    path("users", views.UserListApi.as_view(), name="users"),
    path("auditLog", views.AuditLogApi.as_view(), name="audit-log"),
    path("users/<int:pk>/permissions", views.UserPermissionsApi.as_view(), name="user-permissions"),
    path("marketplace/orders", views.IngestOrdersApi.as_view(), name="ingest-orders"),
    path("marketplace/returns", views.IngestReturnsApi.as_view(), name="ingest-returns"),
    path("marketplace/refunds", views.IngestRefundsApi.as_view(), name="ingest-refunds"),
    path("marketplace/claims", views.IngestClaimsApi.as_view(), name="ingest-claims"),
    path(
        "marketplace/chargebacks", views.IngestChargebacksApi.as_view(), name="ingest-chargebacks"
    ),
    path("marketplace/contacts", views.IngestContactsApi.as_view(), name="ingest-contacts"),
]
