"""The version of what the compliance report reads, kept by the database itself.

Every table of the project's apps has a trigger that, on any INSERT, UPDATE or DELETE (and
TRUNCATE on PostgreSQL), writes a new random token into that table's row of
`policy_dataversion`: once per statement on PostgreSQL, once per row on SQLite (its only kind).
Whoever writes, the application or someone with a database shell, the token changes in the same
transaction as the data. `key()` reads the whole small table in one query and hashes it: two
equal keys mean the same stored data, so a report computed for one key holds for the other
(`itaku.policy.compliance_report.current`).

The token is random rather than counted: a transaction that is rolled back (every test is)
would give its number to the next one, and a report computed from the rolled-back rows would be
served for different data. One row per table, not one for the database, so that writers of
different tables on PostgreSQL do not queue for one row lock; writers of the same table hold
its row until they commit.

The triggers are installed after every `migrate` (`install`, on `post_migrate`), for every
model table of the project's apps: a new model is covered without anyone remembering it, and a
table that SQLite remade in a migration gets its triggers back. On PostgreSQL they fire also
for a session in `session_replication_role = replica` (ENABLE ALWAYS). Someone who owns the
database can still drop them; a kept report then lasts at most until the minute turns.
"""

import hashlib
import secrets

from django.apps import apps
from django.db import connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper

from itaku.policy.models import DataVersion

TABLE = DataVersion._meta.db_table
FUNCTION = "policy_data_changed"
# SQLite triggers fire for one kind of statement each.
SQLITE_EVENTS = ("insert", "update", "delete")

POSTGRESQL_FUNCTION = f"""CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO {TABLE} (table_name, token, changes)
        VALUES (TG_TABLE_NAME, replace(gen_random_uuid()::text, '-', ''), 1)
        ON CONFLICT (table_name) DO UPDATE
        SET token = EXCLUDED.token, changes = {TABLE}.changes + 1;
        RETURN NULL;
    END $$"""


def watched_tables() -> list[str]:
    """The tables of every model of the project's apps (many-to-many tables too), but the
    version table itself."""
    tables = {
        model._meta.db_table
        for config in apps.get_app_configs()
        if config.name.startswith("itaku.")
        for model in config.get_models(include_auto_created=True)
        if not model._meta.proxy
    }
    return sorted(tables - {TABLE})


def trigger_name(table: str) -> str:
    return f"{table}_changed"


def sqlite_trigger(table: str, event: str) -> str:
    return (
        f'CREATE TRIGGER "{trigger_name(table)}_{event}" AFTER {event.upper()} ON "{table}" '
        f"BEGIN INSERT INTO {TABLE} (table_name, token, changes) "
        f"VALUES ('{table}', lower(hex(randomblob(16))), 1) ON CONFLICT (table_name) DO UPDATE "
        "SET token = excluded.token, changes = changes + 1; END"
    )


def postgresql_trigger(table: str) -> list[str]:
    name = trigger_name(table)
    return [
        f'CREATE OR REPLACE TRIGGER "{name}" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE '
        f'ON "{table}" FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}()',
        f'ALTER TABLE "{table}" ENABLE ALWAYS TRIGGER "{name}"',
    ]


def _existing(connection: BaseDatabaseWrapper) -> dict[str, str]:
    """The version triggers the database holds: name → definition (SQLite) or whether it
    fires always ("A", PostgreSQL)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
        else:
            cursor.execute(
                "SELECT t.tgname, t.tgenabled FROM pg_trigger t "
                "JOIN pg_proc p ON p.oid = t.tgfoid WHERE p.proname = %s",
                [FUNCTION],
            )
        return dict(cursor.fetchall())


def _needed(vendor: str, existing: dict[str, str], table: str) -> list[str]:
    """What makes the triggers of `table` as they should be; nothing when they are."""
    if vendor == "postgresql":
        return [] if existing.get(trigger_name(table)) == "A" else postgresql_trigger(table)
    if vendor != "sqlite":
        raise NotImplementedError(f"data versions need SQLite or PostgreSQL, not {vendor}")
    statements: list[str] = []
    for event in SQLITE_EVENTS:
        wanted, name = sqlite_trigger(table, event), f"{trigger_name(table)}_{event}"
        if existing.get(name) != wanted:
            statements += [f'DROP TRIGGER IF EXISTS "{name}"', wanted]
    return statements


def install(using: str) -> None:
    """Give every watched table its trigger and its row; run after each `migrate`."""
    connection = connections[using]
    present = set(connection.introspection.table_names())
    if TABLE not in present:  # migrated to a point before the version table
        return
    tables = [table for table in watched_tables() if table in present]
    with transaction.atomic(using=using), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(POSTGRESQL_FUNCTION)
        existing = _existing(connection)
        for table in tables:
            for statement in _needed(connection.vendor, existing, table):
                cursor.execute(statement)
        # Every table has its row from the start: a key without one was never seen.
        DataVersion.objects.using(using).bulk_create(
            [DataVersion(table_name=table, token=secrets.token_hex(16)) for table in tables],
            ignore_conflicts=True,
        )


def unwatched_tables(using: str) -> list[str]:
    """Watched tables whose triggers the database lacks, or has in another form (on
    PostgreSQL: one a replica session would not fire)."""
    connection = connections[using]
    existing = _existing(connection)
    return [
        table for table in watched_tables() if _needed(connection.vendor, existing, table)
    ]


def key(using: str) -> str:
    """The version of everything the report reads, in one query: equal keys, equal data."""
    with connections[using].cursor() as cursor:
        cursor.execute(f"SELECT table_name, token FROM {TABLE} ORDER BY table_name")  # noqa: S608
        rows = cursor.fetchall()
    digest = hashlib.blake2b(digest_size=16)
    for table, token in rows:
        digest.update(f"{table}={token};".encode())
    return digest.hexdigest()
