"""Write an installation's configuration file once: `python -m itaku.envfile FILE [--development]`.

No Django here: the file must exist before the settings can be read. An existing file is never
overwritten, so the secret key it holds (and the sessions and tokens signed with it) survive.
"""

import argparse
import secrets
import sys
from pathlib import Path

DEVELOPMENT = """\
# Itaku development settings, written once by `make run`. Variables in the environment win.
ITAKU_DEBUG=1
SECRET_KEY={secret_key}
# The demo keeps its checkpoint signing key next to this file; production keeps it off the
# server (docs/audit.md, docs/deploy.md).
ITAKU_AUDIT_SIGNING_KEY={var}/audit-signing.key
ITAKU_AUDIT_PUBLIC_KEY={var}/audit-signing.key.pub
"""

PRODUCTION = """\
# Itaku production settings (docs/deploy.md). Readable by the itaku user only.
SECRET_KEY={secret_key}
ALLOWED_HOSTS=itaku.city.example
CSRF_TRUSTED_ORIGINS=https://itaku.city.example
DATABASE_URL=postgres://itaku@127.0.0.1:5432/itaku
ITAKU_VAR_DIR=/var/lib/itaku
# The public key alone: the signing key lives on the machine that signs checkpoints.
ITAKU_AUDIT_PUBLIC_KEY=/etc/itaku/audit-signing.key.pub
EMAIL_HOST=localhost
DEFAULT_FROM_EMAIL=itaku@city.example
"""


def write(path: Path, *, development: bool) -> bool:
    """Write the file unless it exists; True if written."""
    if path.exists():
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    template = DEVELOPMENT if development else PRODUCTION
    text = template.format(secret_key=secrets.token_urlsafe(50), var=path.parent.resolve())
    # Created private: it holds the secret key.
    path.touch(mode=0o600)
    path.write_text(text, encoding="utf-8")
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("file", type=Path)
    parser.add_argument("--development", action="store_true")
    args = parser.parse_args(argv)
    if write(args.file, development=args.development):
        print(f"Wrote {args.file}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
