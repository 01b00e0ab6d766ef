# The production example: where the app listens, who may purge, and the site's rules.
# Copy it beside your Varnish configuration (Debian reads /etc/varnish/default.vcl), change the
# backend to where gunicorn listens and the ACL to the addresses the app servers and task workers
# send their purges from, and point the include at this checkout's site.vcl.
# docs/page-cache-and-servers.md ("Varnish in front") says how to run it.
vcl 4.1;

backend default {
    .host = "127.0.0.1";
    .port = "8000";
}

# The task worker sends Wagtail's PURGE requests (FRONTEND_CACHE_LOCATION=http://<varnish>:<port>).
acl purgers {
    "127.0.0.1";
    "::1";
}

include "/srv/aipg/aipg_site/varnish/site.vcl";
