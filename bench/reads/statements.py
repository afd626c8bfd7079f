#!/usr/bin/env python3
"""Turns the statements PostgreSQL logged for one request (log_min_duration_statement = 0) into a pgbench script:
each statement with its parameters written in as literals, in the order the API sent them; BEGIN/COMMIT kept, so
pgbench runs exactly what the API ran. Usage: statements.py < log-slice > script.sql"""
import re
import sys

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
    sql = re.sub(r"\$(\d+)\b", lambda p: params.get(int(p.group(1)), p.group(0)), sql)
    if sql.upper().startswith(("DISCARD", "SET SESSION", "RESET ALL")):
        continue
    statements.append(sql)
print("\n".join(s.rstrip(";") + ";" for s in statements))
