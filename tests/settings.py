"""Settings for the test suite: production settings with a throwaway key and plain HTTP."""

import os

# The suite never reads an installation's var/itaku.env (it would turn DEBUG on).
os.environ.setdefault("ITAKU_ENV_FILE", "")
os.environ.setdefault("SECRET_KEY", "itaku-test-suite-key")
os.environ.setdefault("ITAKU_SSL_REDIRECT", "0")
os.environ.setdefault("ITAKU_LOOKUP_SUBJECT_KEY", "itaku-test-lookup-subject-key")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")

from itaku.settings import *  # noqa: E402, F403

# Argon2 is the production hasher (asserted in tests/people/test_authentication.py); the suite
# creates hundreds of users, so it hashes with a fast one.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # noqa: S105
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
