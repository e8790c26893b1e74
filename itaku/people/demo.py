"""Demo people: a fictional city office and a fictional contractor. No real person is named."""

from datetime import date

from django_otp.plugins.otp_totp.models import TOTPDevice

from itaku.core.demo_data import DEMO_PASSWORD, DemoLogin
from itaku.people import actions
from itaku.people.models import Organization, Person, RoleAssignment, User
from itaku.people.roles import BOOTSTRAP_ROLES, TWO_PERSON_ROLES, Role

CITY = "見本市 市民生活総務課"
CONTRACTOR = "株式会社サンプル窓口サービス"

# (username or None, name, kana, organization, role, badge, fixed demo TOTP key in hex)
PEOPLE = [
    (
        "kanri",
        "見本 一郎",
        "みほん いちろう",
        CITY,
        Role.MANAGER,
        "C-0001",
        "3132333435363738393031323334353637383930",
    ),
    (
        "jiseki",
        "見本 二葉",
        "みほん ふたば",
        CITY,
        Role.DEPUTY,
        "C-0002",
        "3132333435363738393031323334353637383931",
    ),
    ("joseki", "上野 架空", "うえの かくう", CITY, Role.SUPERIOR, "C-0003", None),
    ("shokuin", "例田 三郎", "れいだ さぶろう", CITY, Role.CITY_STAFF, "C-0004", None),
    (
        "kansa",
        "監 仮子",
        "かん かりこ",
        CITY,
        Role.AUDITOR,
        "C-0005",
        "3132333435363738393031323334353637383932",
    ),
    (
        "sysadmin",
        "設定 守",
        "せってい まもる",
        CITY,
        Role.ADMIN,
        "C-0006",
        "3132333435363738393031323334353637383933",
    ),
    ("sekinin", "架空 健", "かくう けん", CONTRACTOR, Role.CONTRACTOR_LEAD, "K-0101", None),
    ("jujisha", "仮名 さくら", "かりな さくら", CONTRACTOR, Role.CONTRACTOR_WORKER, "K-0102", None),
    (None, "仮名 はるか", "かりな はるか", CONTRACTOR, Role.CONTRACTOR_WORKER, "K-0103", None),
    (None, "仮名 みのる", "かりな みのる", CONTRACTOR, Role.CONTRACTOR_WORKER, "K-0104", None),
    (None, "試作 大地", "しさく だいち", CONTRACTOR, Role.CONTRACTOR_WORKER, "K-0105", None),
]
ROLES_FROM = date(2025, 4, 1)


def load() -> list[DemoLogin]:
    Organization.objects.get_or_create(name=CITY, defaults={"kind": Organization.Kind.CITY})
    Organization.objects.get_or_create(
        name=CONTRACTOR, defaults={"kind": Organization.Kind.CONTRACTOR}
    )
    people = {}
    for _username, name, kana, org_name, role, badge, _key in PEOPLE:
        people[role, badge], _ = Person.objects.get_or_create(
            badge_number=badge,
            defaults={
                "name": name,
                "name_kana": kana,
                "organization": Organization.objects.get(name=org_name),
            },
        )
    _designate(people)
    logins = []
    for username, name, _kana, _org, role, badge, totp_key in PEOPLE:
        person = people[role, badge]
        if username is None:
            continue
        if person.user is None:
            person.user = User.objects.create_user(
                username, email=f"{username}@city.example", password=DEMO_PASSWORD
            )
            person.save(update_fields=["user"])
        secret = None
        if totp_key:
            device, _ = TOTPDevice.objects.get_or_create(
                user=person.user, name="demo", defaults={"key": totp_key, "confirmed": True}
            )
            secret = _base32(device.bin_key)
        logins.append(DemoLogin(username, name, str(role.label), secret))
    return logins


def _designate(people: dict[tuple[Role, str], Person]) -> None:
    """The roles, under the rules of 3-1, as a new office would set them up.

    The system administrator and the superior are the initial setup (as `itaku add-person`
    creates them on a new installation); the manager, the deputy and the auditor are proposed
    by the administrator and confirmed by the superior; the other roles the administrator
    grants alone.
    """
    by_role = {role: person for (role, _badge), person in people.items()}
    admin, superior = by_role[Role.ADMIN], by_role[Role.SUPERIOR]
    for (role, _badge), person in sorted(
        people.items(), key=lambda item: (item[0][0] not in BOOTSTRAP_ROLES, item[0][1])
    ):
        if RoleAssignment.objects.filter(person=person, role=role).exists():
            continue
        if role in BOOTSTRAP_ROLES:
            actions._create_assignment(  # noqa: SLF001 - initial setup, as add-person does
                person, role, starts_on=ROLES_FROM, ends_on=None, by=None, initial=True
            )
        elif role in TWO_PERSON_ROLES:
            change = actions.propose_role_grant(
                person, role, starts_on=ROLES_FROM, ends_on=None, by=admin
            )
            actions.confirm_role_change(change, by=superior)
        else:
            actions.assign_role(person, role, starts_on=ROLES_FROM, ends_on=None, by=admin)


def _base32(key: bytes) -> str:
    import base64

    return base64.b32encode(key).decode()
