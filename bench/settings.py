"""The test settings, plus a bare view to measure the framework's own cost against."""

from tests.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
DEBUG = False
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
