"""Settings for Jiangping, read from the environment (DESIGN §13).

``JIANGPING_DATA_DIR``   data directory (SQLite file, uploads, bulletins), default ``./data``
``DATABASE_URL``         e.g. ``postgres://user@host/db`` (or ``DATABASE_URL_FILE``); default SQLite
``JIANGPING_SECRET_KEY`` Django secret key (or ``JIANGPING_SECRET_KEY_FILE``)
``JIANGPING_FIELD_KEY``  key for encrypted personal fields (or ``…_FILE``)
``JIANGPING_DEMO``       1 in demo mode: generated keys and demo logins are allowed
``JIANGPING_DEBUG``      1 to run with Django's DEBUG
``JIANGPING_CONN_MAX_AGE`` seconds a database connection is kept open (default 60)
``JIANGPING_MAX_UPLOAD_MB`` largest request body / uploaded file in MB (default 50)
``JIANGPING_HTTPS``      1 behind an HTTPS reverse proxy: secure cookies, HSTS, redirect
``JIANGPING_TRUSTED_PROXY`` address of that proxy, whose X-Forwarded-For is trusted
``JIANGPING_LOGIN_FAILURE_LIMIT`` / ``…_LOCKOUT_MINUTES`` login throttling (10 / 15)
``JIANGPING_SQLITE_TIMEOUT`` seconds a SQLite writer waits for another's lock (default 20)
``JIANGPING_IMPORT_MEMORY_MB`` memory cap of reading one imported workbook (default 1024)
``JIANGPING_IMPORT_SECONDS`` CPU-time cap of reading one imported workbook (default 120)
``JIANGPING_CACHE_URL``  cache of rendered tables: ``redis://…``; default files in the data dir
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent


def envbool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def envint(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def envsecret(name: str, default: str = "") -> str:
    """Read ``name`` from the environment, or the file named by ``name_FILE``."""
    path = os.environ.get(f"{name}_FILE")
    if path:
        try:
            return Path(path).read_text(encoding="utf-8").strip()
        except OSError as exc:
            from django.core.exceptions import ImproperlyConfigured

            raise ImproperlyConfigured(f"无法读取 {name}_FILE 指定的文件“{path}”：{exc}") from exc
    return os.environ.get(name, default)


DEMO_MODE = envbool("JIANGPING_DEMO")
DEBUG = envbool("JIANGPING_DEBUG")
DATA_DIR = Path(os.environ.get("JIANGPING_DATA_DIR") or "data").resolve()



def _make_data_dir() -> None:
    """The data dir holds keys, the database and uploads: owner-only when we create it."""
    if not DATA_DIR.exists():
        DATA_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)


def _data_dir_secret(name: str, make) -> str:
    """A key kept in the data dir: created in demo mode, read if present otherwise."""
    path = DATA_DIR / name
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    if DEMO_MODE:
        _make_data_dir()
        value = make()
        path.write_text(value, encoding="utf-8")
        path.chmod(0o600)
        return value
    return ""


def _random_key() -> str:
    import secrets

    return secrets.token_urlsafe(50)


def _fernet_key() -> str:
    import base64
    import secrets

    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


# Without a configured key the system check jiangping.E001 stops every command
# except in demo mode, which keeps generated keys in the data dir.
SECRET_KEY = envsecret("JIANGPING_SECRET_KEY") or _data_dir_secret("secret_key", _random_key)
SECRET_KEY_MISSING = not SECRET_KEY
if SECRET_KEY_MISSING:
    SECRET_KEY = "unset-" + "x" * 50  # placeholder so Django starts and the check can speak
FIELD_KEY = envsecret("JIANGPING_FIELD_KEY") or _data_dir_secret("field_key", _fernet_key)

ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("JIANGPING_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
    if h.strip()
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("JIANGPING_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tasks",
    "ninja",
    "axes",
    "jiangping.core",
    "jiangping.orgs",
    "jiangping.indicators",
    "jiangping.intake",
    "jiangping.textkit",
    "jiangping.tasks",
    "jiangping.reviews",
    "jiangping.bulletins",
    "jiangping.demo",
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
    "csp.middleware.CSPMiddleware",
    # Before any view or process_view (CSRF reads the form) touches the body; after the
    # header middleware, so that a 413 carries the same security headers as any page.
    "jiangping.core.middleware.RequestSizeLimitMiddleware",
    "jiangping.core.errors.DatabaseErrorMiddleware",
    # Last, as django-axes asks: it turns a lockout into the answer the caller reads.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "jiangping.urls"
WSGI_APPLICATION = "jiangping.wsgi.application"

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
                "jiangping.core.context_processors.site",
            ],
        },
    },
]


def _database() -> dict:
    url = envsecret("DATABASE_URL")
    if url:
        config = dj_database_url.parse(url, conn_max_age=envint("JIANGPING_CONN_MAX_AGE", 60))
        config.setdefault("TEST", {})
        return config
    _make_data_dir()
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": DATA_DIR / "jiangping.sqlite3",
        # Each request thread keeps its connection, as on PostgreSQL: opening the file and
        # running the PRAGMAs below took a third of a cached API answer's time.
        "CONN_MAX_AGE": envint("JIANGPING_CONN_MAX_AGE", 60),
        "OPTIONS": {
            # WAL lets readers run while an import writes; IMMEDIATE avoids
            # "database is locked" upgrades inside write transactions.
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
            ),
            "transaction_mode": "IMMEDIATE",
            # seconds a writer waits for another's write lock before "database is locked"
            "timeout": envint("JIANGPING_SQLITE_TIMEOUT", 20),
        },
        # Tests use a file, as production does, not a shared in-memory database: threads
        # with their own connections then wait for each other's locks as in production.
        "TEST": {"NAME": DATA_DIR / "test.sqlite3"},
    }


DATABASES = {"default": _database()}


def _cache() -> dict:
    """Where rendered fragments are kept (``jiangping.core.pagecache``): files in the data
    directory by default (shared by every process of the server), Redis when
    ``JIANGPING_CACHE_URL`` is ``redis://…`` (needs the ``redis`` package), or each
    process's memory with ``locmem://``. Another value is refused by check
    ``jiangping.E004``."""
    url = envsecret("JIANGPING_CACHE_URL")
    common = {"TIMEOUT": 24 * 3600, "KEY_PREFIX": "jiangping"}
    if url.startswith(("redis://", "rediss://", "unix://")):
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url,
                **common}
    if url == "locmem://":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", **common}
    return {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(DATA_DIR / "cache"), "OPTIONS": {"MAX_ENTRIES": 5000}, **common}


CACHE_URL = envsecret("JIANGPING_CACHE_URL")
CACHES = {"default": _cache()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "orgs.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("zh-hant", "繁體中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_ROOT = DATA_DIR / "uploads"
# Uploaded files (task evidence) are readable by the service's own user only.
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Serve static files from the app directories without a collectstatic step.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the cookie-less meta tag; kept default
X_FRAME_OPTIONS = "DENY"

# Behind a reverse proxy that terminates HTTPS (JIANGPING_HTTPS=1): cookies only over
# HTTPS, HSTS for a year (subdomains of the service's own host included; no preload
# list, a commitment an office makes on purpose), the proxy's X-Forwarded-Proto trusted
# and plain HTTP redirected. `jiangping check --deploy` is clean in this mode.
HTTPS = envbool("JIANGPING_HTTPS")
if HTTPS:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = envint("JIANGPING_HSTS_SECONDS", 365 * 24 * 3600)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = envbool("JIANGPING_SSL_REDIRECT", True)
    SILENCED_SYSTEM_CHECKS = ["security.W021"]  # SECURE_HSTS_PRELOAD: see above
# Address of the reverse proxy whose X-Forwarded-For / -Proto `jiangping serve` trusts, so
# that login throttling sees the client's address and Django the HTTPS scheme. `jiangping
# serve` drops these headers from anyone else: in HTTPS mode a proxy on the same host is assumed.
TRUSTED_PROXY = os.environ.get("JIANGPING_TRUSTED_PROXY", "127.0.0.1" if HTTPS else "")
# `jiangping serve` (gunicorn): worker processes (0: one per core), request threads in each,
# and the seconds after which a silent worker is replaced (also the grace at a restart).
SERVE_WORKERS = envint("JIANGPING_WORKERS", 0)
# Two threads: a second request overlaps one's database waits, while more threads in one
# process contend for the interpreter lock (bench/serve_bench.py at province scale on 2
# cores: the office home page at 50 connections served 47 req/s with 2 threads a process,
# 38 with 4 and 32 with 8).
SERVE_THREADS = envint("JIANGPING_THREADS", 2)
SERVE_TIMEOUT = envint("JIANGPING_TIMEOUT", 60)

# Content-Security-Policy on every page: scripts, styles and everything else from this
# site only; no inline script or style (templates use classes and static files).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# Login throttling (django-axes, attempts kept in the database so that every process and
# worker counts them): after JIANGPING_LOGIN_FAILURE_LIMIT failed logins for one user
# name, or from one address, further logins are refused for JIANGPING_LOGIN_LOCKOUT_MINUTES.
# The admin lifts a lockout under 管理后台 → 登录失败记录 (or `jiangping axes_reset`).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_ENABLED = envbool("JIANGPING_LOGIN_THROTTLING", True)
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = envint("JIANGPING_LOGIN_FAILURE_LIMIT", 10)
AXES_LOCKOUT_PARAMETERS = "jiangping.orgs.lockout.lockout_parameters"
AXES_COOLOFF_TIME = timedelta(minutes=envint("JIANGPING_LOGIN_LOCKOUT_MINUTES", 15))
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "jiangping.orgs.lockout.lockout_response"
AXES_VERBOSE = False
AXES_DISABLE_ACCESS_LOG = True
AXES_ENABLE_ADMIN = False  # shown in Chinese as orgs.LoginLockout instead

# The largest request body (an uploaded file included) the server accepts; larger ones
# are refused (413) from their declared length, before they are read. Upload pages and
# import endpoints read JIANGPING_MAX_UPLOAD_BYTES to tell users the limit.
JIANGPING_MAX_UPLOAD_MB = envint("JIANGPING_MAX_UPLOAD_MB", 50)
JIANGPING_MAX_UPLOAD_BYTES = JIANGPING_MAX_UPLOAD_MB * 1024 * 1024

# Intake: how far reported growth may differ from computed growth before it is flagged (pp).
GROWTH_TOLERANCE_PP = os.environ.get("JIANGPING_GROWTH_TOLERANCE_PP", "0.5")
# Plausibility warnings (jiangping.indicators.plausibility, docs/quality.md): a figure more
# than N times (or less than 1/N of) last month's / last year's, a growth rate changing by
# more than N percentage points.
JUMP_MONTH_RATIO = os.environ.get("JIANGPING_JUMP_MONTH_RATIO", "3")
JUMP_YEAR_RATIO = os.environ.get("JIANGPING_JUMP_YEAR_RATIO", "3")
JUMP_GROWTH_PP = os.environ.get("JIANGPING_JUMP_GROWTH_PP", "20")
# Intake: day of the following month by which a period's submission is due (截止日).
JIANGPING_SUBMISSION_DAY = envint("JIANGPING_SUBMISSION_DAY", 5)
# Intake: the reading of an uploaded or imported workbook runs in a child process with at
# most this much address space (MB) and CPU time (s); see docs/import-forms.md.
JIANGPING_IMPORT_MEMORY_MB = envint("JIANGPING_IMPORT_MEMORY_MB", 1024)
JIANGPING_IMPORT_SECONDS = envint("JIANGPING_IMPORT_SECONDS", 120)
# Tasks: how many working days before its deadline a task's units are reminded (到期提醒).
JIANGPING_REMIND_DAYS = envint("JIANGPING_REMIND_DAYS", 3)

# Mail for reminders and escalations; without a host, mail is not sent (in-app notices only).
EMAIL_HOST = os.environ.get("JIANGPING_EMAIL_HOST", "")
EMAIL_PORT = envint("JIANGPING_EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("JIANGPING_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = envsecret("JIANGPING_EMAIL_PASSWORD")
EMAIL_USE_TLS = envbool("JIANGPING_EMAIL_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("JIANGPING_EMAIL_FROM", "jiangping@localhost")
if not EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "no_client_tracebacks": {"()": "jiangping.core.errors.ClientErrorsWithoutTraceback"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["no_client_tracebacks"]},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("JIANGPING_LOG_LEVEL", "WARNING")},
}
