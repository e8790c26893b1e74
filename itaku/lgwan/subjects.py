"""The subject of a lookup, kept only as a keyed hash (privacy by design, 4-4).

住民票コード, 戸籍電子証明書提供用識別符号 and names are hashed with HMAC-SHA256 under a key
from the environment (`ITAKU_LOOKUP_SUBJECT_KEY`), never stored in clear. The same subject gives
the same hash, so lookups can be matched to each other and to an application; without the key,
the database does not say whom they were about.
"""

import hashlib
import hmac
import unicodedata
from functools import cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_noop

from itaku.core.bilingual import both

# Only with DEBUG on (development); production must set its own key.
_DEVELOPMENT_KEY = "itaku-development-lookup-subject-key"


@cache
def _hmac() -> "hmac.HMAC":
    """The keyed state, copied for each subject: cheaper than keying anew every line."""
    return hmac.new(_key(), digestmod=hashlib.sha256)


@cache
def _key() -> bytes:
    key = getattr(settings, "ITAKU_LOOKUP_SUBJECT_KEY", "")
    if not key:
        if settings.DEBUG:
            return _DEVELOPMENT_KEY.encode()
        raise ImproperlyConfigured(
            both(
                gettext_noop(
                    "Set ITAKU_LOOKUP_SUBJECT_KEY: the subjects of lookups are stored only "
                    "as keyed hashes (4-4)."
                )
            )
        )
    return key.encode()


def normalise(value: str) -> str:
    """Full-width digits and spaces as a clerk may type them count as the same subject."""
    return "".join(unicodedata.normalize("NFKC", value).split())


def subject_hash(*parts: str) -> str:
    """The keyed hash of a subject given by one or more values (code, name); blank if none."""
    values = [normalise(part) for part in parts if part and part.strip()]
    if not values:
        return ""
    keyed = _hmac().copy()
    keyed.update("\x1f".join(values).encode())
    return keyed.hexdigest()


def forget_key() -> None:
    """Read the key again at the next hash (after the settings changed, in tests)."""
    _key.cache_clear()
    _hmac.cache_clear()
