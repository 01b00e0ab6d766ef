from django.apps import AppConfig


class SiteCoreConfig(AppConfig):
    name = "aipg_site"
    verbose_name = "AIPG site"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import page_cache, renditions

        page_cache.connect_purge_signals()
        renditions.connect_signals()
