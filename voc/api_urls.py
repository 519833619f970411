from django.urls import path

from . import api

app_name = "voc-api"

urlpatterns = [
    path("voc/offers", api.CXOfferListApi.as_view(), name="offers"),
    path("voc/offers/<int:pk>", api.CXOfferDetailApi.as_view(), name="offer"),
    path("voc/offers/<int:pk>/history", api.CXOfferHistoryApi.as_view(), name="history"),
    path("voc/offers/<int:pk>/comments", api.CXOfferCommentsApi.as_view(), name="comments"),
    path("voc/offers/<int:pk>/relist", api.RelistApi.as_view(), name="relist"),
    path("voc/offers/<int:pk>/removalOrders", api.RemovalOrderApi.as_view(), name="removal"),
]
