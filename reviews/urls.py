from django.urls import path

from . import views

app_name = "reviews"

urlpatterns = [
    path("", views.CustomerReviewsView.as_view(), name="list"),
    path("<int:pk>/contact/", views.ContactCustomerView.as_view(), name="contact"),
]
