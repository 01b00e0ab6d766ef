from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import views

app_name = "donations"

# The donor's pages, in each language: aipg_site/urls.py mounts them among the i18n_patterns, so
# /donate/thank-you/ is English and /es/donar/gracias/ Spanish, and a link reversed while a language
# is active (in a Spanish donor's email, say) leads to that language's page.
urlpatterns = [
    path(_("donate/thank-you/"), views.thank_you, name="thank_you"),
    path(_("donate/manage/"), views.manage_request, name="manage"),
    path(_("donate/manage/<str:token>/"), views.manage_open, name="manage_open"),
    path(_("donate/manage/<str:token>/statement/"), views.statement, name="statement"),
]
