#!/usr/bin/env python3
"""Ports store code written for SQLite alone to the shared form that runs on both engines.

    scripts/port-sql.py crates/server/src/store/*.rs ...

In each Rust string literal that holds SQL, `?NNN` becomes `$NNN` and each bare `?` becomes
the next `$N` of that literal (SQLite reads `$N` as PostgreSQL does). The connection types
become `crate::db`'s. What it cannot do is listed at the end of the store rules in
`crates/server/src/store.rs` (booleans through `Flag`, and the dialect), and said here for
each file where a boolean may be read.
"""
import re
import sys

STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.S)
SQL = re.compile(r"\b(SELECT|INSERT|UPDATE|DELETE|WHERE|VALUES|IS NULL|IS NOT NULL)\b|[=<>] ?\?")
TYPES = [
    ("Transaction<'static, Sqlite>", "Tx"),
    ("Transaction<'_, Sqlite>", "Transaction<'_, Any>"),
    ("SqliteConnection", "Conn"),
    ("SqliteArguments", "AnyArguments"),
]


def number(literal: str) -> str:
    if not SQL.search(literal):
        return literal
    literal = re.sub(r"\?(\d+)", r"$\1", literal)
    n = 0

    def bare(_m):
        nonlocal n
        n += 1
        return f"${n}"

    return re.sub(r"\?(?![\d])", bare, literal)


def port(text: str) -> str:
    text = STRING.sub(lambda m: number(m.group(0)), text)
    for old, new in TYPES:
        text = text.replace(old, new)
    return text


for path in sys.argv[1:]:
    with open(path, encoding="utf-8") as f:
        before = f.read()
    after = port(before)
    if after != before:
        with open(path, "w", encoding="utf-8") as f:
            f.write(after)
        print(f"ported {path}")
    if re.search(r"\bbool\b", after) and "sqlx" in after:
        print(f"  check {path}: booleans read from the database go through db::Flag")
