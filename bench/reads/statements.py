#!/usr/bin/env python3
"""Turns the statements PostgreSQL logged for one request (log_min_duration_statement = 0) into a pgbench script:
each statement with its parameters written in as literals, in the order the API sent them; BEGIN/COMMIT kept, so
pgbench runs exactly what the API ran. The API's background loops (the import claim and heartbeat, the scheduled jobs' checks;
bench/reads/run.sh turns the change-feed gauges' sampling off) write to the same log meanwhile: their statements are left out, as no request sent them.
Usage: statements.py < log-slice > script.sql
       statements.py PREFIX VARS < log-slice > script.sql
The second form writes each parameter as a pgbench variable (:PREFIX_<statement>_<n>) and appends its value to the file
VARS as NAME=VALUE lines for pgbench -D, so pgbench -M prepared sends the statement as the API does: prepared, with its
values as parameters (and values such as '{c:PL}' are never read as pgbench variables)."""
import re
import sys

BACKGROUND = re.compile(
    r"registry\.imports\b|registry\.import_body_chunks|registry\.scheduled_job_runs|pg_try_advisory_lock|pg_advisory_unlock",
    re.I)

prefix = sys.argv[1] if len(sys.argv) > 2 else None
variables = open(sys.argv[2], "a", encoding="utf-8") if prefix else None
text = sys.stdin.read()
entries = re.split(r"\n(?=\S+ \S+ \S+ \[\d+\] )", text)
statements = []
for i, entry in enumerate(entries):
    m = re.search(r"(?:statement|execute [^:]*): (.*)", entry, re.S)
    if not m:
        continue
    sql = re.sub(r"\s+", " ", m.group(1)).strip()
    params = {}
    nxt = entries[i + 1] if i + 1 < len(entries) else ""
    d = re.search(r"DETAIL:\s+[Pp]arameters: (.*)", nxt, re.S)
    if d:
        for name, value in re.findall(r"\$(\d+) = ('(?:[^']|'')*'|NULL)", d.group(1)):
            params[int(name)] = value
    if sql.upper().startswith(("DISCARD", "SET SESSION", "RESET ALL")) or BACKGROUND.search(sql):
        continue
    if prefix:
        def variable(p, index=len(statements)):
            value = params.get(int(p.group(1)))
            if value is None or value == "NULL":
                return value or p.group(0)
            name = f"{prefix}_{index}_{p.group(1)}"
            variables.write(f"{name}={value[1:-1].replace(chr(39) * 2, chr(39))}\n")
            return ":" + name
        sql = re.sub(r"\$(\d+)\b", variable, sql)
    else:
        sql = re.sub(r"\$(\d+)\b", lambda p: params.get(int(p.group(1)), p.group(0)), sql)
    statements.append(sql)
print("\n".join(s.rstrip(";") + ";" for s in statements))
