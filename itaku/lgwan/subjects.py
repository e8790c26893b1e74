"""The subject of a lookup, kept only as a keyed hash (privacy by design, 4-4).

住民票コード, 戸籍電子証明書提供用識別符号 and names are hashed with HMAC-SHA256 under a key
from the environment (`ITAKU_LOOKUP_SUBJECT_KEY`), never stored in clear. The same subject gives
the same hash, so lookups can be matched to each other and to an application; without the key,
the database does not say whom they were about.
"""

import hashlib
import unicodedata
from functools import cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_noop

from itaku.core.bilingual import both

_BLOCK = 64  # SHA-256's block size
# Only with DEBUG on (development); production must set its own key.
_DEVELOPMENT_KEY = "itaku-development-lookup-subject-key"


@cache
def _keyed() -> tuple["hashlib._Hash", "hashlib._Hash"]:
    """HMAC-SHA256's inner and outer states, keyed once (RFC 2104) and copied for each subject:
    the same hash as `hmac.new(key, value, sha256)`, without keying anew every line."""
    key = _key()
    if len(key) > _BLOCK:
        key = hashlib.sha256(key).digest()
    key = key.ljust(_BLOCK, b"\0")
    inner = hashlib.sha256(bytes(byte ^ 0x36 for byte in key))
    outer = hashlib.sha256(bytes(byte ^ 0x5C for byte in key))
    return inner, outer


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
    if value.isascii() and " " not in value and value.isprintable():
        return value  # NFKC leaves printable ASCII as it is, and there is no space to remove
    return "".join(unicodedata.normalize("NFKC", value).split())


def subject_hash(*parts: str, normalised: dict[str, str] | None = None) -> str:
    """The keyed hash of a subject given by one or more values (code, name); blank if none.
    `normalised` keeps each value's normal form for the next calls (an import's batch, where
    the same names come back line after line)."""
    values = []
    for part in parts:
        if not part or part.isspace():
            continue
        if not (part.isascii() and part.isalnum()):  # NFKC keeps [A-Za-z0-9]
            if normalised is None:
                part = normalise(part)
            else:
                seen = normalised.get(part)
                if seen is None:
                    seen = normalised[part] = normalise(part)
                part = seen
        values.append(part)
    if not values:
        return ""
    inner, outer = _keyed()
    inner = inner.copy()
    inner.update("\x1f".join(values).encode())
    outer = outer.copy()
    outer.update(inner.digest())
    return outer.hexdigest()


def forget_key() -> None:
    """Read the key again at the next hash (after the settings changed, in tests)."""
    _key.cache_clear()
    _keyed.cache_clear()
