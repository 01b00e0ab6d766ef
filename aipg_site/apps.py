from django.apps import AppConfig
from django.conf import settings
from django.core import checks


class SiteCoreConfig(AppConfig):
    name = "aipg_site"
    verbose_name = "AIPG site"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from wagtail.models import Locale

        from . import cdn, lookups, renditions, tasks
        from .models import MenuItem, SocialAccount
        from .page_cache.signal_handlers import purge_when_changed, register_signal_handlers
        from .panels import use_site_panels

        register_signal_handlers()
        # The settings' rows of their own (the menu's items, the social accounts) are saved with their
        # settings in the admin, which purges; saved on their own (a script, the demo) they purge too.
        purge_when_changed(MenuItem)
        purge_when_changed(SocialAccount)
        # Every worker keeps the locales it reads (`lookups`); adding or removing one must retire them.
        purge_when_changed(Locale)
        lookups.keep_active_locales()
        cdn.register_signal_handlers()
        renditions.connect_signals()
        use_site_panels()
        tasks.queue_reference_index_updates_here()


@checks.register(checks.Tags.security, deploy=True)
def check_proxy_count(app_configs, **kwargs):
    """Behind a proxy (HTTPS is trusted from its header) with no proxy counted, every visitor has the
    proxy's address: one visitor's rate limit or login lockout would stop everyone."""
    if settings.SECURE_PROXY_SSL_HEADER and not settings.TRUSTED_PROXY_COUNT:
        return [
            checks.Warning(
                "The site trusts a proxy's HTTPS header, but TRUSTED_PROXY_COUNT is 0: rate limits and login "
                "lockouts would count the proxy's address for every visitor.",
                hint="Set TRUSTED_PROXY_COUNT to the number of proxies that add to X-Forwarded-For (usually 1).",
                id="aipg.W001",
            )
        ]
    return []
