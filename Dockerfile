# syntax=docker/dockerfile:1
FROM python:3.11-slim AS base

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 \
    APP_ENV=production FLASK_APP=wsgi

WORKDIR /srv/app
COPY requirements.txt .
RUN pip install -r requirements.txt

RUN useradd --create-home --uid 10001 pb && mkdir -p /srv/app/instance/uploads && chown -R pb /srv/app/instance
COPY --chown=pb app ./app
COPY --chown=pb templates ./templates
COPY --chown=pb static ./static
COPY --chown=pb migrations ./migrations
COPY --chown=pb wsgi.py gunicorn.conf.py ./
USER pb

EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 \
  CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2).status == 200 else 1)"

# Migrations are a release step, run once per deploy, not on every container start:
#   docker run --rm --env-file prod.env IMAGE flask db upgrade
CMD ["gunicorn", "--config", "gunicorn.conf.py", "wsgi:app"]
