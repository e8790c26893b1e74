"""`itaku serve`: the production application server, with the settings in force.

gunicorn, because it is the plain, long-proven WSGI server Django documents, is pure Python
(nothing to compile on a city's server) and is packaged by Debian; its pre-forked sync workers
suit short server-rendered requests behind a proxy that buffers slow clients (docs/deploy.md).
"""

import os
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


def default_workers() -> int:
    # gunicorn's own advice: two per core plus one.
    return 2 * (os.cpu_count() or 1) + 1


class Command(BaseCommand):
    help = "Serve Itaku with gunicorn (static files by WhiteNoise), behind a TLS reverse proxy."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bind", default=os.environ.get("ITAKU_BIND", "127.0.0.1:8000"))
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("ITAKU_WORKERS", default_workers()))
        )
        parser.add_argument(
            "--no-collectstatic",
            action="store_true",
            help="Serve what is already in STATIC_ROOT (several servers sharing one collect).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.DEBUG:
            self.stderr.write("itaku serve: ITAKU_DEBUG is on; production runs with it off.")
        if not options["no_collectstatic"]:
            call_command("collectstatic", interactive=False, verbosity=0)
        argv = [
            sys.executable,
            "-m",
            "gunicorn",
            "itaku.wsgi:application",
            f"--bind={options['bind']}",
            f"--workers={options['workers']}",
            "--timeout=60",
            "--graceful-timeout=30",
            # Request-line and header limits (the proxy bounds the body: client_max_body_size).
            "--limit-request-line=4094",
            "--limit-request-fields=100",
            "--limit-request-field_size=8190",
            # Only the local proxy may say the request came over HTTPS.
            f"--forwarded-allow-ips={os.environ.get('ITAKU_PROXY_IPS', '127.0.0.1,::1')}",
            # systemd manages the servers; two on one machine must not share one control socket.
            "--no-control-socket",
            "--access-logfile=-",
            "--error-logfile=-",
        ]
        sys.stdout.flush()
        sys.stderr.flush()
        os.execv(sys.executable, argv)  # noqa: S606 - replaces this process with the server
