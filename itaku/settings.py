"""One settings module, read from the environment and the installation's configuration file.

Safe by default: without ITAKU_DEBUG=1 the site runs with DEBUG off, secure cookies and HSTS.
`make run` writes `var/itaku.env` once with the development settings and a generated secret key,
so every `itaku` command works in any shell; production keeps its file elsewhere and names it
with ITAKU_ENV_FILE (docs/deploy.md). Variables set in the environment win over the file.
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from dotenv import load_dotenv

BASE_DIR = Path(__file__).resolve().parent.parent


class MissingSetting(ImproperlyConfigured):
    """A required setting is absent or unreadable; `itaku` prints it as one line."""


def _env_file() -> Path | None:
    """The configuration file: ITAKU_ENV_FILE if set (empty: none), else var/itaku.env."""
    named = os.environ.get("ITAKU_ENV_FILE")
    if named == "":
        return None
    if named is not None:
        path = Path(named)
        if not path.is_file():
            raise MissingSetting(f"ITAKU_ENV_FILE names {path}, which is not a readable file.")
        return path
    default = Path(os.environ.get("ITAKU_VAR_DIR", str(BASE_DIR / "var"))) / "itaku.env"
    return default if default.is_file() else None


ENV_FILE = _env_file()
if ENV_FILE is not None:
    # override=False: a variable set in the environment (systemd, a shell) wins over the file.
    load_dotenv(ENV_FILE, override=False)


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name, default)
    if value is None:
        where = f" (or add it to {ENV_FILE})" if ENV_FILE else ""
        raise MissingSetting(f"Set the environment variable {name}{where}.")
    return value


def env_bool(name: str, default: bool = False) -> bool:
    return env_str(name, "1" if default else "0").lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = env_str(name, str(default))
    try:
        return int(value)
    except ValueError:
        raise MissingSetting(
            f"The variable {name} must be a whole number, not {value!r}."
        ) from None


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


DEBUG = env_bool("ITAKU_DEBUG")
# A development key is acceptable only with DEBUG on; production must provide its own.
SECRET_KEY = env_str("SECRET_KEY", "itaku-development-only-key-not-secret" if DEBUG else None)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "rest_framework",
    "drf_spectacular",
    "csp",
    "itaku.core",
    "itaku.audit",
    "itaku.people",
    "itaku.policy",
    "itaku.area",
    "itaku.contractors",
    "itaku.lgwan",
    "itaku.reminders",
    "itaku.retention",
    "itaku.incidents",
    # Last, so that the project's own widget templates (a Japanese placeholder) come first.
    "django.forms",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files straight from the application server, with DEBUG off too (docs/deploy.md).
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outermost after security: they see every response, redirects and error pages included.
    "itaku.core.headers.NoStoreMiddleware",
    "csp.middleware.CSPMiddleware",
    "itaku.core.sessions.IdleSessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "itaku.people.session_limits.SessionLifetimeMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "itaku.audit.context.AuditSourceMiddleware",
    "itaku.people.access.AccessMiddleware",
    "itaku.people.lockout.KnownDeviceMiddleware",
    # Innermost but for Axes: it sees the view's own 405, with the language and the user set.
    "itaku.core.not_allowed.MethodNotAllowedPageMiddleware",
    # Axes last, as its documentation asks, so it sees every authentication attempt.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "itaku.urls"
WSGI_APPLICATION = "itaku.wsgi.application"

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
                "itaku.people.access.person_context",
                "itaku.core.context.site",
            ],
        },
    },
]

# SQLite under var/ is the embedded default; DATABASE_URL=postgres://… selects PostgreSQL.
VAR_DIR = Path(env_str("ITAKU_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'itaku.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # IMMEDIATE takes the write lock at BEGIN, so concurrent writers queue instead of
        # failing half-way with "database is locked".
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "people.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "itaku.people.lockout.UserWideLimitBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# NIST SP 800-63B 3.1.1.2: a minimum length, a list of known-compromised and common passwords,
# no composition rules (so no "digits only" refusal either) and no periodic change. The list is
# Django's own (20,000 passwords drawn from breach corpora), maintained with Django and needing
# no network at run time; online breach checks are not possible from the city's network.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "itaku.people.passwords.ContextWordsValidator"},
]
# ASVS 5.0 V6.1.2: words of this system's context that no password may contain (case and
# width folded). A city adds its own name with ITAKU_PASSWORD_CONTEXT_WORDS.
ITAKU_PASSWORD_CONTEXT_WORDS = env_list(
    "ITAKU_PASSWORD_CONTEXT_WORDS",
    "itaku,委託,passport,パスポート,旅券,password,パスワード,kanri,管理者,admin,sysadmin,"
    "mihon,見本",
)
# Second-factor enrolment codes end after this many hours; API tokens live at most this long.
ITAKU_ENROLMENT_CODE_HOURS = env_int("ITAKU_ENROLMENT_CODE_HOURS", 72)
ITAKU_API_TOKEN_MAX_DAYS = env_int("ITAKU_API_TOKEN_MAX_DAYS", 365)
LOGIN_URL = "people:login"
LOGIN_REDIRECT_URL = "policy:dashboard"
LOGOUT_REDIRECT_URL = "people:login"

# The client address behind a reverse proxy: only a peer listed here (addresses or networks)
# may name the client in X-Forwarded-For (itaku/core/client.py); both the lock-out and the
# audit trail use it.
ITAKU_TRUSTED_PROXIES = env_list("ITAKU_TRUSTED_PROXIES")
AXES_CLIENT_IP_CALLABLE = "itaku.core.client.client_address"

# Lock-out after repeated failures, per user name and client address; and per user name across
# all addresses at a higher limit, which a browser the person logged in with before is exempt
# from (itaku/people/lockout.py, docs/security.md).
ITAKU_LOGIN_USER_FAILURE_LIMIT = env_int("ITAKU_LOGIN_USER_FAILURE_LIMIT", 20)
AXES_FAILURE_LIMIT = env_int("ITAKU_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("ITAKU_LOGIN_COOLOFF_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "people/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# 4-5 mirrored in the web app: an idle session ends and the next request lands on the login page.
# The organisation that runs this installation, named in the header of every page.
ITAKU_CITY_NAME = env_str("ITAKU_CITY_NAME", "テスト市")
# Widgets render from the template engine, so one template gives every select its placeholder.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
ITAKU_IDLE_TIMEOUT_MINUTES = env_int("ITAKU_IDLE_TIMEOUT_MINUTES", 15)
# 4-4: the key of the keyed hash that is all the database keeps of a lookup's subject.
ITAKU_LOOKUP_SUBJECT_KEY = env_str("ITAKU_LOOKUP_SUBJECT_KEY", "")
SESSION_COOKIE_AGE = ITAKU_IDLE_TIMEOUT_MINUTES * 60
# However active, a session ends this many hours after its login (ASVS 5.0 V7.3.2): a working day.
ITAKU_SESSION_MAX_HOURS = env_int("ITAKU_SESSION_MAX_HOURS", 10)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
OTP_TOTP_ISSUER = "Itaku"

LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", "日本語"), ("en", "English")]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("ITAKU_STATIC_ROOT", str(VAR_DIR / "static")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# `itaku serve` collects the static files into STATIC_ROOT; WhiteNoise serves them compressed.
# Not the manifest storage: pages must render in tests and `runserver` without a collect step.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Request sizes: the reverse proxy refuses larger bodies first (deploy/nginx/itaku.conf);
# form fields beyond this are refused by Django, uploads by ITAKU_UPLOAD_MAX_BYTES (below).
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("ITAKU_MAX_FORM_BYTES", 2_621_440)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
MEDIA_ROOT = Path(env_str("ITAKU_MEDIA_ROOT", str(VAR_DIR / "media")))

EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "itaku@localhost")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "itaku.people.tokens.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # Deny by default: a view passes only if it names the roles that may use it.
    "DEFAULT_PERMISSION_CLASSES": ["itaku.people.access.RolePermission"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Itaku API",
    "DESCRIPTION": "For machines: card readers, gates and log shippers.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["itaku.people.access.RolePermission"],
}

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# django-csp 4: scripts and styles only from our own static files, no inline script or style
# attribute, nothing embedded from elsewhere; forms post only to this site.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    # Behind the reverse proxy that terminates TLS and sets X-Forwarded-Proto; the application
    # server listens on loopback or a private network only (docs/deploy.md).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("ITAKU_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("ITAKU_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# 3-6: records are kept this many fiscal years after the year they were made in.
ITAKU_RETENTION_FISCAL_YEARS = env_int("ITAKU_RETENTION_FISCAL_YEARS", 3)

# Audit checkpoints (docs/audit.md): the Ed25519 key that signs them may live off this server;
# the public key alone lets the application check them.
ITAKU_AUDIT_SIGNING_KEY = env_str("ITAKU_AUDIT_SIGNING_KEY", "")
ITAKU_AUDIT_PUBLIC_KEY = env_str("ITAKU_AUDIT_PUBLIC_KEY", "")
# The checkpoints the city keeps away from the server (`itaku audit checkpoint --out FILE`):
# `itaku restore` compares a restored database with them to name what was lost.
ITAKU_KEPT_CHECKPOINTS = env_str("ITAKU_KEPT_CHECKPOINTS", "")

# 5-6: a worker whose last training is older than this many days is flagged and kept out.
ITAKU_TRAINING_VALID_DAYS = env_int("ITAKU_TRAINING_VALID_DAYS", 365)
# 5-10: days after the end of a reporting period before its periodic report is overdue.
ITAKU_REPORT_GRACE_DAYS = env_int("ITAKU_REPORT_GRACE_DAYS", 10)
# 6-2, 6-3: "at once" — minutes allowed between the steps of the chain of immediate reports.
ITAKU_INCIDENT_PROMPT_MINUTES = env_int("ITAKU_INCIDENT_PROMPT_MINUTES", 60)
# Act on the Protection of Personal Information: report to the Commission when a leak of a
# local public body's data concerns more than this many persons (施行規則43条).
ITAKU_INCIDENT_LAW_PERSONS = env_int("ITAKU_INCIDENT_LAW_PERSONS", 100)
# 速報 "promptly" (guidelines: about 3 to 5 days); 確報 30 days, 60 for an improper purpose.
ITAKU_INCIDENT_PRELIMINARY_DAYS = env_int("ITAKU_INCIDENT_PRELIMINARY_DAYS", 5)
ITAKU_INCIDENT_FINAL_DAYS = env_int("ITAKU_INCIDENT_FINAL_DAYS", 30)
ITAKU_INCIDENT_FINAL_DAYS_IMPROPER = env_int("ITAKU_INCIDENT_FINAL_DAYS_IMPROPER", 60)
# A 確報 due on a day the agencies are closed is due the next open day (行政機関の休日に関する
# 法律 2条; docs/incidents.md says how far this reading rests on sources).
ITAKU_INCIDENT_FINAL_MOVES_OFF_CLOSED_DAYS = env_bool(
    "ITAKU_INCIDENT_FINAL_MOVES_OFF_CLOSED_DAYS", True
)
# 6-6: many cities publish a leak concerning more than this many persons.
ITAKU_INCIDENT_PUBLICATION_PERSONS = env_int("ITAKU_INCIDENT_PUBLICATION_PERSONS", 100)
# 3-10: daily duties are due on business days only. Besides Japan's public holidays (from the
# `holidays` library), the office is closed on these weekdays (0 = Monday), on the yearly ranges
# given as "MM-DD" pairs (年末年始 12/29–1/3 by default), and on the extra ISO dates listed.
ITAKU_CLOSED_WEEKDAYS = tuple(
    int(day) for day in env_str("ITAKU_CLOSED_WEEKDAYS", "5,6").split(",") if day.strip()
)
ITAKU_YEARLY_CLOSED_RANGES = (("12-29", "01-03"),)
ITAKU_EXTRA_CLOSED_DAYS = tuple(
    day.strip() for day in env_str("ITAKU_EXTRA_CLOSED_DAYS", "").split(",") if day.strip()
)
# Largest pledge scan accepted (5-3).
ITAKU_SCAN_MAX_BYTES = env_int("ITAKU_SCAN_MAX_BYTES", 20 * 1024 * 1024)
# No upload may pass this while it arrives (itaku/core/uploads.py); forms apply their own limits.
ITAKU_UPLOAD_MAX_BYTES = env_int("ITAKU_UPLOAD_MAX_BYTES", 25 * 1024 * 1024)
FILE_UPLOAD_HANDLERS = [
    "itaku.core.uploads.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # larger files go to a temporary file, not to memory

# The Japanese fonts embedded in every PDF (itaku/core/pdf.py), from Debian's
# fonts-ipaexfont-gothic and fonts-ipaexfont-mincho unless named here.
ITAKU_PDF_FONT_GOTHIC = env_str(
    "ITAKU_PDF_FONT_GOTHIC", "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf"
)
ITAKU_PDF_FONT_MINCHO = env_str(
    "ITAKU_PDF_FONT_MINCHO", "/usr/share/fonts/opentype/ipaexfont-mincho/ipaexm.ttf"
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("ITAKU_LOG_LEVEL", "WARNING")},
}
