from django.urls import path

from . import api

app_name = "feedback-api"

urlpatterns = [
    path("feedback", api.FeedbackListApi.as_view(), name="list"),
    path("feedback/summary", api.FeedbackSummaryApi.as_view(), name="summary"),
    path("feedback/<int:pk>", api.FeedbackDetailApi.as_view(), name="detail"),
    path("feedback/<int:pk>/reply", api.FeedbackReplyApi.as_view(), name="reply"),
    path("feedback/<int:pk>/removalRequests", api.FeedbackRemovalApi.as_view(), name="removal"),
    path(
        "orders/<int:pk>/solicitations",
        api.SolicitationActionsApi.as_view(),
        name="solicitation-actions",
    ),
    path(
        "orders/<int:pk>/solicitations/productReviewAndSellerFeedback",
        api.SolicitationCreateApi.as_view(),
        name="solicitation-create",
    ),
    path("solicitations/bulk", api.BulkSolicitationApi.as_view(), name="solicitation-bulk"),
    path("marketplace/feedback", api.LeaveFeedbackApi.as_view(), name="ingest"),
    path("marketplace/feedback/batch", api.FeedbackBatchApi.as_view(), name="ingest-batch"),
    path(
        "marketplace/feedback/<str:feedback_id>",
        api.BuyerRemovesFeedbackApi.as_view(),
        name="buyer-remove",
    ),
]
