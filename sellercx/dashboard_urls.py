from django.urls import path

from . import views

app_name = "dashboard"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("offers/", views.OfferListView.as_view(), name="offers"),
    path("orders/", views.OrderListView.as_view(), name="orders"),
    path("orders/<int:pk>/", views.OrderDetailView.as_view(), name="order"),
    path("users/", views.UsersView.as_view(), name="users"),
    path("users/<int:pk>/", views.UserPermissionsView.as_view(), name="user"),
    path("tokens/", views.TokensView.as_view(), name="tokens"),
    path("activity/", views.ActivityLogView.as_view(), name="activity"),
]
