from django.urls import path

from . import views

app_name = "metrics"

urlpatterns = [
    path("", views.HealthView.as_view(), name="health"),
    path("defects/", views.DefectsView.as_view(), name="defects"),
]
