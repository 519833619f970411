from django.urls import path

from . import api

app_name = "messaging-api"

urlpatterns = [
    path("conversations", api.ConversationListApi.as_view(), name="list"),
    path("conversations/<int:pk>", api.ConversationDetailApi.as_view(), name="detail"),
    path("marketplace/messages", api.BuyerMessageBatchApi.as_view(), name="ingest"),
]
