from django.urls import path

from . import views

app_name = "feedback"

urlpatterns = [
    path("", views.FeedbackManagerView.as_view(), name="manager"),
    path("<int:pk>/reply/", views.ReplyView.as_view(), name="reply"),
    path("<int:pk>/reply/delete/", views.DeleteReplyView.as_view(), name="delete-reply"),
    path("<int:pk>/removal/", views.RequestRemovalView.as_view(), name="request-removal"),
    path("requests/", views.ReviewRequestsView.as_view(), name="requests"),
]
