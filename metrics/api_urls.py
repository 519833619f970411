from django.urls import path

from . import api

app_name = "metrics-api"

urlpatterns = [
    path("metrics", api.AccountHealthApi.as_view(), name="health"),
    path("metrics/snapshots", api.SnapshotListApi.as_view(), name="snapshots"),
    path("metrics/orderDefects", api.OrderDefectListApi.as_view(), name="order-defects"),
]
