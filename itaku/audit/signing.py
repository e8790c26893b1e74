"""The Ed25519 key that signs checkpoints, and the public key that checks them.

The signing key is a PEM file named by ITAKU_AUDIT_SIGNING_KEY. It need not be on the
application server at all: `itaku audit checkpoint --key FILE` can run on a machine the city
controls, and the server then holds only the public key (ITAKU_AUDIT_PUBLIC_KEY).
"""

import os
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings

from itaku.audit.verifier import load_public_key


class KeyFileError(ValueError):
    """A key file is missing or is not an Ed25519 key in PEM form."""


def load_signing_key(path: Path) -> Ed25519PrivateKey:
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (OSError, ValueError, TypeError) as error:
        raise KeyFileError(f"{path}: {error}") from error
    if not isinstance(key, Ed25519PrivateKey):
        raise KeyFileError(f"{path}: not an Ed25519 key")
    return key


def configured_signing_key() -> Ed25519PrivateKey | None:
    """The key on this server, when the city chose to keep it here."""
    path = settings.ITAKU_AUDIT_SIGNING_KEY
    return load_signing_key(Path(path)) if path else None


def trusted_public_key() -> Ed25519PublicKey | None:
    """The key checkpoints must be signed with; None when none is configured."""
    if settings.ITAKU_AUDIT_PUBLIC_KEY:
        path = Path(settings.ITAKU_AUDIT_PUBLIC_KEY)
        try:
            return load_public_key(path.read_bytes())
        except (OSError, ValueError) as error:
            raise KeyFileError(f"{path}: {error}") from error
    signing = configured_signing_key()
    return signing.public_key() if signing is not None else None


def public_pem(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def generate(path: Path) -> Ed25519PrivateKey:
    """Write a new signing key to `path` (readable by its owner only) and its public key."""
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    with open(path, "xb", opener=lambda name, flags: os.open(name, flags, 0o600)) as out:
        out.write(pem)
    path.with_name(path.name + ".pub").write_bytes(public_pem(key.public_key()))
    return key
