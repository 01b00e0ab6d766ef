from django.urls import path

from . import views

app_name = "stripe"

# Stripe's events, at the one address its dashboard is given, whatever the language.
urlpatterns = [
    path("stripe/webhook/", views.stripe_webhook, name="webhook"),
]
