# A slim production image: the site under gunicorn, as an unprivileged user, static files baked in.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=aipg_site.settings.production \
    PORT=8000

RUN useradd --create-home --uid 1000 aipg
WORKDIR /app

COPY requirements.txt .
RUN pip install -r requirements.txt

COPY --chown=aipg:aipg . .

# collectstatic needs settings to import; these placeholders exist only for this build step.
RUN SECRET_KEY=build-only ALLOWED_HOSTS=localhost DATABASE_URL=sqlite:////tmp/build.sqlite3 EMAIL_HOST=build-only \
    python manage.py collectstatic --noinput --verbosity 0 \
    && mkdir -p /app/media && chown aipg:aipg /app/media

USER aipg
EXPOSE 8000

# Two process types from this one image (docs/background-tasks.md): the web server below, and
# the task worker, `docker run ... aipg-site python manage.py run_worker`, which stops gracefully on
# SIGTERM. Each web worker is replaced after about a thousand requests (jittered, so not all at
# once), giving back memory a request took. Migrations run as a release step (see README), not on
# every container start.
CMD ["sh", "-c", "exec gunicorn aipg_site.wsgi:application --bind 0.0.0.0:${PORT} --workers ${WEB_CONCURRENCY:-3} --max-requests 1000 --max-requests-jitter 100 --access-logfile - --forwarded-allow-ips='*'"]
