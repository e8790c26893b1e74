from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext_noop

from itaku.audit.context import source
from itaku.core.bilingual import both
from itaku.people import accounts
from itaku.people.account_models import ApiToken
from itaku.people.models import User


class Command(BaseCommand):
    help = (
        "Issue an API token for a script acting as USER, or revoke one. The key is printed once; "
        "only its hash is stored."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--days", type=int, default=90, help="how long it lasts (default 90)")
        parser.add_argument("--scope", choices=ApiToken.Scope.values, default=ApiToken.Scope.READ)
        parser.add_argument("--revoke", metavar="PREFIX", help="revoke the token starting so")

    def handle(self, *args: Any, username: str, **options: Any) -> None:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(both(gettext_noop("No login %(user)s."), user=username))
        with source("command:api-token"):
            if options["revoke"]:
                self._revoke(user, options["revoke"])
                return
            try:
                token, key = accounts.issue_api_token(
                    user, days=options["days"], scope=ApiToken.Scope(options["scope"]), by=None
                )
            except ValidationError as error:
                raise CommandError("; ".join(error.messages)) from None
        self.stderr.write(
            both(
                gettext_noop("Token for %(user)s, %(scope)s, valid until %(until)s:"),
                user=username,
                scope=token.scope,
                until=token.expires_at.isoformat(),
            )
        )
        self.stdout.write(key)

    def _revoke(self, user: User, prefix: str) -> None:
        tokens = list(ApiToken.objects.filter(user=user, prefix__startswith=prefix[:8]))
        if len(tokens) != 1:
            raise CommandError(
                both(gettext_noop("No single token of %(user)s starts so."), user=user.username)
            )
        accounts.revoke_api_token(tokens[0], by=None)
        self.stdout.write(both(gettext_noop("The token was revoked.")))
