from django.urls import path

from . import views

app_name = "donations"

urlpatterns = [
    path("thank-you/", views.thank_you, name="thank_you"),
    path("manage/", views.manage_request, name="manage"),
    path("manage/<str:token>/", views.manage_open, name="manage_open"),
    path("stripe/webhook/", views.stripe_webhook, name="stripe_webhook"),
]
