from django.urls import path

from . import api

app_name = "messaging-api"

urlpatterns = [
    path("conversations", api.ConversationListApi.as_view(), name="list"),
    path("customerServiceRating", api.RatingApi.as_view(), name="rating"),
    path("contactResponseTime", api.ResponseTimeApi.as_view(), name="response-time"),
    path("conversations/<int:pk>", api.ConversationDetailApi.as_view(), name="detail"),
    path("conversations/<int:pk>/messages", api.ReplyApi.as_view(), name="reply"),
    path("orders/<int:pk>/messages", api.OrderMessagesApi.as_view(), name="order-messages"),
    path(
        "messages/<int:pk>/noResponseNeeded",
        api.NoResponseNeededApi.as_view(),
        name="no-response-needed",
    ),
    path("marketplace/messages", api.BuyerMessageBatchApi.as_view(), name="ingest"),
    path("marketplace/surveyAnswers", api.SurveyAnswerBatchApi.as_view(), name="answers"),
    path("marketplace/outbox", api.OutboxApi.as_view(), name="outbox"),
]
