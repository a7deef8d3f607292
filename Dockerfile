# Production image: one image for web (gunicorn), Celery worker and beat.
FROM python:3.11-slim AS app

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    MULTAQA_VAR_DIR=/app/var
WORKDIR /app

RUN apt-get update && apt-get install -y --no-install-recommends gettext npm fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
COPY requirements.txt constraints.txt ./
RUN pip install -r requirements.txt -c constraints.txt

COPY . .
# The scanner's QR decoder comes from the npm registry at build time, never at run time (the
# dev packages, lighthouse, only score pages in benchmarks).
RUN if [ -f package.json ]; then npm ci --omit=dev --no-audit --no-fund \
        && SECRET_KEY=build python manage.py vendor_assets; fi \
    && SECRET_KEY=build python manage.py compilemessages --ignore=.venv \
    && SECRET_KEY=build python manage.py collectstatic --noinput \
    && useradd --create-home multaqa && mkdir -p var && chown -R multaqa var

USER multaqa
EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "--config", "config/gunicorn.py", "--bind", "0.0.0.0:8000", \
     "--workers", "2"]
