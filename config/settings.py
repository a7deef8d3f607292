"""Multaqa settings. Every value that differs between machines is read from the environment here
and nowhere else (twelve-factor); the defaults are those of `make run` on a laptop."""

from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from .env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("MULTAQA_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("DEBUG", default=False)
# The fallback key only serves local runs: `check --deploy` flags it, production sets SECRET_KEY.
SECRET_KEY = env_str("SECRET_KEY") or "django-insecure-local-only-multaqa-key-do-not-deploy"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# The port `make run` serves on (Procfile); links in messages follow it unless SITE_URL is set.
MULTAQA_PORT = env_int("MULTAQA_PORT", 8000)
SITE_URL = env_str("SITE_URL", f"http://127.0.0.1:{MULTAQA_PORT}").rstrip("/")

# Our own apps, lowest layer first; tests hold each of them to catalogs and the task policy.
PROJECT_APPS = [
    "core",
    "events",
    "participants",
    "attendance",
    "assessments",
    "proposals",
    "reporting",
    "notifications",
    "forums",
]
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "axes",
    # ninja's own static Swagger UI for /api/v1/docs: with the app installed it serves the page
    # from our static files instead of a CDN, so the docs work offline and under our CSP.
    "ninja",
    *PROJECT_APPS,
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "core.middleware.ContentSecurityPolicyMiddleware",
    "core.replica.ReplicaPinMiddleware",
    # Last, so that it sees the outcome of authentication (django-axes' requirement).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'multaqa.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several processes (web, worker, beat) share the file in `make run`: wait rather than fail.
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    DATABASES["default"]["CONN_MAX_AGE"] = 0
# The door scan's few statements are prepared on PostgreSQL (core/fastsql.py); turn off behind a
# transaction-pooling proxy (e.g. PgBouncer in transaction mode), which cannot keep them. Django
# leaves psycopg's preparing off (no threshold); its own cursors bind client-side and never
# prepare, so the threshold only lets those few statements be prepared.
DB_PREPARED_STATEMENTS = env_bool("DB_PREPARED_STATEMENTS", default=True)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and DB_PREPARED_STATEMENTS:
    DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = 5
# Server-side cursors (`.iterator()` on PostgreSQL) live across statements of one session, which
# a transaction pool hands to another client between transactions: off with the prepared
# statements unless said otherwise.
DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = env_bool(
    "DB_DISABLE_SERVER_SIDE_CURSORS", default=not DB_PREPARED_STATEMENTS
)
# Reporting reads (figures, exports, dashboards) on a read replica, never a read of one's own
# writes (core/replica.py). The replica is a streaming copy of the same database.
DATABASE_REPLICA_URL = env_str("DATABASE_REPLICA_URL")
DATABASE_REPLICA_PIN_SECONDS = env_int("DATABASE_REPLICA_PIN_SECONDS", 10)
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60), conn_health_checks=True
    )
    DATABASES["replica"]["OPTIONS"] = dict(DATABASES["default"].get("OPTIONS", {}))
    DATABASES["replica"]["DISABLE_SERVER_SIDE_CURSORS"] = DATABASES["default"][
        "DISABLE_SERVER_SIDE_CURSORS"
    ]
    # Tests run against the primary's test database; the replica copies it.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["core.replica.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "multaqa"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "core:login"

# Languages: French first (the default), Arabic right-to-left, English.
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("ar", _("Arabic")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Africa/Casablanca"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = VAR_DIR / "media"

# E-mail: console in `make run`, SMTP in production (EMAIL_URL-style parts), locmem in tests.
# The default console backend prints whole messages only with DEBUG on; otherwise it masks them
# (a forgotten EMAIL_BACKEND must not put addresses and ticket links in the worker's log).
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "notifications.email.console.EmailBackend")
EMAIL_FILE_PATH = VAR_DIR / "mail"
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Multaqa <no-reply@multaqa.local>")

# SMS: a backend class named by a setting, like Django's e-mail backends.
SMS_BACKEND = env_str("SMS_BACKEND", "notifications.sms.backends.console.SmsBackend")
SMS_FILE_PATH = VAR_DIR / "sms"
SMS_HTTP_URL = env_str("SMS_HTTP_URL")
SMS_HTTP_TOKEN = env_str("SMS_HTTP_TOKEN")
SMS_SENDER_ID = env_str("SMS_SENDER_ID", "Multaqa")

# WhatsApp: the same kind of pluggable backend; the http one talks to the Business Cloud API.
WHATSAPP_BACKEND = env_str(
    "WHATSAPP_BACKEND", "notifications.whatsapp.backends.console.WhatsAppBackend"
)
WHATSAPP_GRAPH_URL = env_str("WHATSAPP_GRAPH_URL", "https://graph.facebook.com")
WHATSAPP_API_VERSION = env_str("WHATSAPP_API_VERSION", "v21.0")
WHATSAPP_PHONE_NUMBER_ID = env_str("WHATSAPP_PHONE_NUMBER_ID")
WHATSAPP_ACCESS_TOKEN = env_str("WHATSAPP_ACCESS_TOKEN")

# Celery: Redis when REDIS_URL is set; otherwise kombu's filesystem transport under var/, so that
# `make run` goes through a real broker, worker and beat without any service installed.
CELERY_BROKER_URL = REDIS_URL or "filesystem://"
if not REDIS_URL:
    _broker_dir = VAR_DIR / "celery-broker"
    _broker_dir.mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir),
        "data_folder_out": str(_broker_dir),
        "store_processed": False,
        "control_folder": str(_broker_dir / "control"),
    }
    # The filesystem transport has no broadcast channel for remote control commands.
    CELERY_WORKER_ENABLE_REMOTE_CONTROL = False
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# How often the beat looks for due outbox rows (and rows of a dead worker whose lease ended).
NOTIFICATIONS_DISPATCH_SECONDS = env_int("NOTIFICATIONS_DISPATCH_SECONDS", 15)
# How often the beat recomputes the programme reach of the people admitted, linked or merged since
# (attendance/reach.py): the age of the reach a read replica serves; the primary flushes on read.
REACH_FLUSH_SECONDS = env_int("REACH_FLUSH_SECONDS", 10)
# Every periodic task, in one place, named for what it does.
CELERY_BEAT_SCHEDULE = {
    # Queue drain tasks for the outbox rows that are due (new ones, retries, and the rows of a
    # worker that died, once their lease is over).
    "send-due-messages": {
        "task": "notifications.tasks.messages_dispatch_due_task",
        "schedule": float(NOTIFICATIONS_DISPATCH_SECONDS),
    },
    # Messages accepted but not delivered in time go by the person's next channel.
    "fall-back-undelivered-messages": {
        "task": "notifications.tasks.messages_fallback_sweep_task",
        "schedule": 60.0,
    },
    # Schedule the follow-up messages of events whose last session is over.
    "schedule-event-followups": {
        "task": "notifications.tasks.followups_due_task",
        "schedule": 15 * 60.0,
    },
    # Delete the replies matched to no registration once they are old.
    "forget-unmatched-replies": {
        "task": "notifications.tasks.inbound_forget_unmatched_task",
        "schedule": 24 * 60 * 60.0,
    },
    # Remind partner organisations of the answers and commitment updates they owe a forum.
    "remind-partners": {
        "task": "forums.tasks.partner_reminders_task",
        "schedule": 6 * 60 * 60.0,
    },
    # A forum that has opened sends its partners the follow-up report of the previous forum.
    "send-followup-reports-at-opening": {
        "task": "forums.tasks.followup_reports_opening_task",
        "schedule": 15 * 60.0,
    },
    # Pseudonymise registrations past their programme's retention period.
    "purge-expired-registrations": {
        "task": "events.retention_purge_task",
        "schedule": 24 * 60 * 60.0,
    },
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Count the people admitted, linked or merged since the last run in the programme reach
    # (kept by PostgreSQL only: on SQLite the figures read the rows).
    CELERY_BEAT_SCHEDULE["update-programme-reach"] = {
        "task": "attendance.tasks.reach_flush_task",
        "schedule": float(REACH_FLUSH_SECONDS),
    }

# django-axes: lock a login out after repeated failures (brute-force protection).
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 1  # hours
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = env_bool("AXES_ENABLED", default=True)

# Production hardening; `check --deploy` is clean when DEBUG=False.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# Health checks come from inside the container over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
# Said explicitly (Django's default): cookies go with top-level navigations from a partner's
# e-mailed link, never with cross-site subrequests or form posts.
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:; "
    "style-src 'self' 'nonce-{nonce}'; script-src 'self'; connect-src 'self'; "
    "frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"scrub_personal_data": {"()": "core.logging.ScrubPersonalDataFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["scrub_personal_data"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}, "axes": {"level": "WARNING"}},
}

# Test-suite switch: when set, tests that need PostgreSQL/Redis/Chromium fail instead of skipping.
REQUIRE_SERVICES = env_bool("REQUIRE_SERVICES", default=False)

# Registration: the public form accepts this many registrations per IP per window (hits, seconds).
# A family or a school sharing one connection stays well under it.
REGISTRATION_RATE_LIMIT = (env_int("REGISTRATION_RATE_LIMIT_HITS", 10), 3600)
# Refused submissions (errors to correct) per IP per minute: far above what a person types, so
# only a script posting garbage reaches it.
REGISTRATION_REFUSED_RATE_LIMIT = (env_int("REGISTRATION_REFUSED_RATE_LIMIT_HITS", 30), 60)

# Demo data for `make run`: each app contributes an idempotent loader. Order matters: events
# first (programme, venues, tickets), then the door tokens, past figures and the forum.
DEMO_LOADERS = [
    "events.demo.demo_load",
    "attendance.demo.demo_load",
    "assessments.demo.demo_load",
    "proposals.demo.demo_load",
    "reporting.demo.demo_load",
    "forums.demo.demo_load",
    "notifications.demo.demo_load",
]

# Forums: how long a partner's signed link to the portal stays valid, in days.
FORUMS_PARTNER_LINK_MAX_AGE_DAYS = env_int("FORUMS_PARTNER_LINK_MAX_AGE_DAYS", 60)
# The largest document a partner may attach to a commitment update.
FORUMS_DOCUMENT_MAX_BYTES = env_int("FORUMS_DOCUMENT_MAX_BYTES", 5 * 2**20)
# A TrueType font with Latin and Arabic glyphs for the summary PDF (Debian: fonts-dejavu-core).
FORUMS_PDF_FONT = env_str("FORUMS_PDF_FONT", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
FORUMS_PDF_FONT_BOLD = env_str(
    "FORUMS_PDF_FONT_BOLD", "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
)
# Notifications: outbox leases, retry policy, inbound SMS webhook.
# A claimed message whose worker died becomes claimable again after this many seconds; a live
# worker renews the lease every third of it while it sends (heartbeat). With the dispatch tick
# (NOTIFICATIONS_DISPATCH_SECONDS, by the beat schedule), a dead worker's messages go out again
# within a lease and a tick (30 + 15 s).
NOTIFICATIONS_SEND_LEASE_SECONDS = env_int("NOTIFICATIONS_SEND_LEASE_SECONDS", 30)
NOTIFICATIONS_MAX_ATTEMPTS = env_int("NOTIFICATIONS_MAX_ATTEMPTS", 5)
NOTIFICATIONS_RETRY_BASE_SECONDS = env_int("NOTIFICATIONS_RETRY_BASE_SECONDS", 60)
# Rows claimed and sent per batch (one task, one claim, one opt-out read), how many drain tasks a
# dispatch tick queues at most, and how long one drain sends before giving the worker back.
NOTIFICATIONS_SEND_BATCH = env_int("NOTIFICATIONS_SEND_BATCH", 50)
NOTIFICATIONS_SEND_PARALLEL = env_int("NOTIFICATIONS_SEND_PARALLEL", 4)
NOTIFICATIONS_DRAIN_SECONDS = env_int("NOTIFICATIONS_DRAIN_SECONDS", 20)
# Provider rate limits, messages per second per channel (0: none), shared by every worker through
# Redis; a burst of this many messages may go at once; a send that would wait longer than the
# max wait leaves its row for later instead of holding a worker.
NOTIFICATIONS_RATE_LIMITS = {
    "sms": env_int("SMS_RATE_PER_SECOND", 0),
    "email": env_int("EMAIL_RATE_PER_SECOND", 0),
    "whatsapp": env_int("WHATSAPP_RATE_PER_SECOND", 0),
}
NOTIFICATIONS_RATE_BURST = env_int("NOTIFICATIONS_RATE_BURST", 1)
NOTIFICATIONS_RATE_MAX_WAIT_SECONDS = env_int("NOTIFICATIONS_RATE_MAX_WAIT_SECONDS", 5)
# A message still only "sent" (accepted, no delivery receipt) this many minutes after it went out
# goes by the person's next channel. Per purpose: a reminder three hours before cannot wait long.
# Purposes not listed (follow-ups after the event) never fall back for lateness.
NOTIFICATIONS_FALLBACK_AFTER_MINUTES = {
    "confirmation": env_int("NOTIFICATIONS_FALLBACK_CONFIRMATION_MINUTES", 60),
    "reminder": env_int("NOTIFICATIONS_FALLBACK_REMINDER_MINUTES", 15),
    "rescheduled": env_int("NOTIFICATIONS_FALLBACK_RESCHEDULED_MINUTES", 30),
    "cancellation": env_int("NOTIFICATIONS_FALLBACK_CANCELLATION_MINUTES", 30),
}
# Shared secret the SMS provider sends (Bearer) when it forwards replies such as STOP.
SMS_INBOUND_TOKEN = env_str("SMS_INBOUND_TOKEN")
# Replies matched to no registration (no event's retention applies) are deleted after this.
NOTIFICATIONS_INBOUND_UNMATCHED_DAYS = env_int("NOTIFICATIONS_INBOUND_UNMATCHED_DAYS", 30)
# Delivery receipts. WhatsApp: the Meta app's secret signs every webhook POST
# (X-Hub-Signature-256) and the verify token answers the subscription handshake; the SMS
# gateway's delivery reports carry their own shared secret. Unset: that webhook is closed.
WHATSAPP_APP_SECRET = env_str("WHATSAPP_APP_SECRET")
WHATSAPP_WEBHOOK_VERIFY_TOKEN = env_str("WHATSAPP_WEBHOOK_VERIFY_TOKEN")
SMS_DELIVERY_REPORT_TOKEN = env_str("SMS_DELIVERY_REPORT_TOKEN")
# Meta batches up to 1,000 updates per POST (about 1 KB each).
NOTIFICATIONS_WEBHOOK_MAX_BYTES = env_int("NOTIFICATIONS_WEBHOOK_MAX_BYTES", 2 * 1024 * 1024)
# Refused webhook requests per address and window (seconds) before answering 429.
NOTIFICATIONS_WEBHOOK_AUTH_FAILURE_LIMIT = (
    env_int("NOTIFICATIONS_WEBHOOK_AUTH_FAILURE_LIMIT", 30),
    env_int("NOTIFICATIONS_WEBHOOK_AUTH_FAILURE_WINDOW", 600),
)

# Sign-in: one login page (core:login) for staff, organizers and partner contacts; the
# admin keeps its own login. Without a `next`, a partner contact lands on the partner portal
# and an organizer on the organizer home.
LOGIN_REDIRECT_URL = "core:home"
PARTNER_LOGIN_REDIRECT_URL = "forums:partner_home_session"
ORGANIZER_LOGIN_REDIRECT_URL = "events:organizer_home"
# Requests per door token per window (hits, seconds) on the check-in API: a busy gate scans one
# person every few seconds; an offline queue being synced sends a burst, so leave headroom.
DOOR_TOKEN_RATE_LIMIT = (env_int("DOOR_TOKEN_RATE_LIMIT_HITS", 300), 60)
# PBKDF2-HMAC-SHA256 iterations of a short code's hash in the offline pack: one hash must cost
# well over 28.6 ms on one core (2^40 codes / 1000 cores in more than a year) yet stay quick on a
# phone (one hash per typed code). Measured in bench/RESULTS.md (`python -m bench.offline_hash`).
OFFLINE_CODE_HASH_ITERATIONS = env_int("OFFLINE_CODE_HASH_ITERATIONS", 250_000)
# Those hashes are computed in the background (attendance.tasks.offline_code_hashes_warm_task) as
# tickets are issued, this many per task run. A pack download computes at most
# OFFLINE_PACK_HASHES_PER_REQUEST itself (~100 ms each) and answers 503 + Retry-After when more
# are missing, so no request runs into the web server's timeout.
OFFLINE_CODE_HASH_WARM_BATCH = env_int("OFFLINE_CODE_HASH_WARM_BATCH", 200)
OFFLINE_PACK_HASHES_PER_REQUEST = env_int("OFFLINE_PACK_HASHES_PER_REQUEST", 100)
# NUL characters in URLs or JSON bodies are a 400 before they reach a view (PostgreSQL refuses them).
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.sessions.middleware.SessionMiddleware"),
    "core.middleware.RejectNulCharactersMiddleware",
)

# Benchmarks: `make bench` sets MULTAQA_BENCH=1 to mount the baseline endpoint
# (bench/urls.py) next to the app. Never set in production, so the URL does not exist there.
MULTAQA_BENCH = env_bool("MULTAQA_BENCH", default=False)
