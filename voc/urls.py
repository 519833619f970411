from django.urls import path

from . import views

app_name = "voc"

urlpatterns = [
    path("", views.VocDashboardView.as_view(), name="dashboard"),
    path("export.csv", views.VocExportView.as_view(), name="export"),
    path("offers/<int:pk>/", views.OfferCXView.as_view(), name="offer"),
]
