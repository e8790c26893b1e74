"""The version of what the compliance report reads, kept by the database itself.

Every table of the project's apps has a trigger that, on any INSERT, UPDATE or DELETE (and
TRUNCATE on PostgreSQL), writes a new random token into a row of `policy_dataversion`, in the
same transaction as the data. Whoever writes, the application or someone with a database shell,
the token changes. `key()` reads the small table in one query and hashes it: two equal keys mean
the same stored data, so a report computed for one key holds for the other
(`itaku.policy.compliance_report.current`).

Which row: on PostgreSQL, the writing database session's (`backend <pid>`), once per
statement. A row is held locked from its write until the commit, and one session runs one
transaction at a time, so no writer ever waits for another's version row. (A row per table
was tried first: writers that touched the same tables in another order deadlocked on those
rows.) The rows of sessions that have ended are removed by `prune`, after `migrate` and by the
daily run. On SQLite, one writer at a time, the row is the table's, once per row (its only
kind of trigger).

The token is random rather than counted: a transaction that is rolled back (every test is)
would give its number to the next one, and a report computed from the rolled-back rows would be
served for different data. A savepoint rolled back takes its tokens with it, so the key is
again the one its data had. A table appended a million rows at a time (`APPENDED`, the lookup
log) has no INSERT trigger on SQLite, where it would cost the import a third of its time: its
greatest ID is read with the tokens, and a read inside a transaction writes a token of its own
so that a rolled-back ID given again is not mistaken for the same rows.

The triggers are installed after every `migrate` (`install`, on `post_migrate`), for every
model table of the project's apps: a new model is covered without anyone remembering it, and a
table that SQLite remade in a migration gets its triggers back. On PostgreSQL they fire also
for a session in `session_replication_role = replica` (ENABLE ALWAYS). Someone who owns the
database can still drop them; a kept report then lasts at most until the minute turns.
"""

import hashlib
import secrets
from functools import partial

from django.apps import apps
from django.db import connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper

from itaku.policy.models import DataVersion

TABLE = DataVersion._meta.db_table
# SQLite triggers fire for one kind of statement each.
SQLITE_EVENTS = ("insert", "update", "delete")
# Tables written a million rows at a time, by appending (the lookup log, 4-4). On SQLite any
# trigger on their INSERT, even one that never fires, costs the import about a third of its
# time: there `key` reads their greatest ID instead, which every appended row raises. (An ID
# deleted at the top may be given again, `itaku.lgwan.models.RowId`, but the DELETE wrote a new
# token first.) UPDATE and DELETE keep their triggers.
APPENDED = ("lgwan_lookup",)
# The row that tells one transaction's reports from another's (`_transaction_token`).
TRANSACTION = "(transaction)"
# Where a connection remembers the token it wrote, with the savepoints it was written in.
_WRITTEN = "_policy_transaction_token"


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


def sqlite_events(table: str) -> tuple[str, ...]:
    """What the table's SQLite triggers watch: an appended table's INSERTs raise its greatest
    ID, which `key` reads instead."""
    return SQLITE_EVENTS[1:] if table in APPENDED else SQLITE_EVENTS


def sqlite_trigger(table: str, event: str) -> str:
    return (
        f'CREATE TRIGGER "{trigger_name(table)}_{event}" AFTER {event.upper()} ON "{table}" '  # noqa: S608
        f"BEGIN INSERT INTO {TABLE} (writer, token, changes) "
        f"VALUES ('{table}', lower(hex(randomblob(16))), 1) ON CONFLICT (writer) DO UPDATE "
        "SET token = excluded.token, changes = changes + 1; END"
    )


FUNCTION = "policy_data_changed"
# What a database session's row is called on PostgreSQL.
BACKEND = "backend "

# Names below are the project's constants and table names, never input.
POSTGRESQL_FUNCTION = f"""CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO {TABLE} (writer, token, changes)
        VALUES ('{BACKEND}' || pg_backend_pid(), replace(gen_random_uuid()::text, '-', ''), 1)
        ON CONFLICT (writer) DO UPDATE
        SET token = EXCLUDED.token, changes = {TABLE}.changes + 1;
        RETURN NULL;
    END $$"""  # noqa: S608

# The rows of sessions that have ended. SKIP LOCKED: a row locked is a live session's (its pid
# given again), and the prune never waits for a writer.
POSTGRESQL_PRUNE = f"""DELETE FROM {TABLE} WHERE writer IN (
    SELECT writer FROM {TABLE}
    WHERE writer LIKE '{BACKEND}%%'
    AND writer NOT IN (SELECT '{BACKEND}' || pid FROM pg_stat_activity)
    FOR UPDATE SKIP LOCKED)"""  # noqa: S608


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
        name = f"{trigger_name(table)}_{event}"
        wanted = sqlite_trigger(table, event) if event in sqlite_events(table) else None
        if existing.get(name) != wanted:
            statements.append(f'DROP TRIGGER IF EXISTS "{name}"')
            statements += [wanted] if wanted else []
    return statements


def install(using: str) -> None:
    """Give every watched table its trigger; run after each `migrate`."""
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
        if connection.vendor == "sqlite":
            # Every table has its row from the start: a key without one was never seen.
            DataVersion.objects.using(using).bulk_create(
                [DataVersion(writer=table, token=secrets.token_hex(16)) for table in tables],
                ignore_conflicts=True,
            )
    prune(using)


def prune(using: str) -> int:
    """Remove the rows of PostgreSQL sessions that have ended; how many. The key changes with
    them, so the next report is computed afresh."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return 0
    with transaction.atomic(using=using), connection.cursor() as cursor:
        cursor.execute(POSTGRESQL_PRUNE)
        return int(cursor.rowcount)


def unwatched_tables(using: str) -> list[str]:
    """Watched tables whose triggers the database lacks, or has in another form (on
    PostgreSQL: one a replica session would not fire)."""
    connection = connections[using]
    existing = _existing(connection)
    return [table for table in watched_tables() if _needed(connection.vendor, existing, table)]


def key(using: str) -> str:
    """The version of everything the report reads, in one query: equal keys, equal data."""
    connection = connections[using]
    if connection.vendor == "postgresql":
        # A row per database session since the last prune: hashed where they are, one row back.
        sql = (
            f"SELECT 'sessions', md5(coalesce(string_agg(writer || '=' || token, ';' "  # noqa: S608
            f"ORDER BY writer), '')) FROM {TABLE}"
        )
    else:
        sql = f"SELECT writer, token FROM {TABLE}"  # noqa: S608 - constant names
        sql += "".join(
            f" UNION ALL SELECT '{table}.id', CAST(max(id) AS TEXT) FROM \"{table}\""  # noqa: S608
            for table in APPENDED
        )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        rows = dict(cursor.fetchall())
    if connection.in_atomic_block and connection.vendor == "sqlite":
        rows[TRANSACTION] = _transaction_token(connection, rows.get(TRANSACTION))
    digest = hashlib.blake2b(digest_size=16)
    for writer, token in sorted(rows.items()):
        digest.update(f"{writer}={token};".encode())
    return digest.hexdigest()


def _transaction_token(connection: BaseDatabaseWrapper, stored: str | None) -> str:
    """A token written in this transaction (and savepoint), so that what is read inside it is
    never taken for what is stored after it is rolled back.

    An appended table's greatest ID comes back after a rollback (SQLite gives the IDs again),
    with other rows: a report computed inside the transaction would be served for them (on
    PostgreSQL the appended table's trigger writes its token, as for any other table). The
    token is written once per transaction and savepoint; a rollback takes it back with the
    rows, so the one read then differs from the one written, and a commit forgets it.
    """
    savepoints = tuple(connection.savepoint_ids)
    if stored is not None and connection.__dict__.get(_WRITTEN) == (savepoints, stored):
        return stored
    token = secrets.token_hex(16)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {TABLE} (writer, token, changes) VALUES (%s, %s, 1) "  # noqa: S608
            f"ON CONFLICT (writer) DO UPDATE SET token = EXCLUDED.token, "
            f"changes = {TABLE}.changes + 1",
            [TRANSACTION, token],
        )
    connection.__dict__[_WRITTEN] = (savepoints, token)
    transaction.on_commit(partial(connection.__dict__.pop, _WRITTEN, None), using=connection.alias)
    return token
