from django.urls import path

from . import api

app_name = "reviews-api"

urlpatterns = [
    path("reviews", api.ReviewListApi.as_view(), name="list"),
    path("reviews/<int:pk>/contact", api.ContactCustomerApi.as_view(), name="contact"),
    path("marketplace/reviews", api.ReviewBatchApi.as_view(), name="ingest"),
]
