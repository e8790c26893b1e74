"""Exit 0 when the PostgreSQL server of the given URL answers, 1 otherwise."""

import sys

import psycopg


def main(url: str) -> int:
    try:
        with psycopg.connect(url.replace("postgres://", "postgresql://", 1), connect_timeout=3):
            return 0
    except psycopg.Error as error:
        print(f"PostgreSQL: {error}".strip(), file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
