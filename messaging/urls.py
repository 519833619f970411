from django.urls import path

from . import views

app_name = "messaging"

urlpatterns = [
    path("", views.InboxView.as_view(), name="inbox"),
    path("<int:pk>/", views.ConversationView.as_view(), name="conversation"),
    path("rating/", views.RatingView.as_view(), name="rating"),
    path("orders/<int:order_id>/contact/", views.ContactBuyerView.as_view(), name="contact-buyer"),
]
