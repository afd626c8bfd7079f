#!/usr/bin/env python3
"""Writes N project records as NDJSON, as a publisher's nightly export would send them.

   bench/import/generate.py N [PREFIX] > records.ndjson

PREFIX (default none) goes before every externalId and organisation name, so that another file names other
records and other partners (the benchmark's warm-up uses one).

Titles and summaries in Polish, Lithuanian, Latvian and Bulgarian (Cyrillic), dates at day, month or year
precision, budgets in PLN, EUR or BGN, 1-3 partners each drawn from a pool of N/20 organisations (so partners
repeat across records and batches), a funding measure and a goal from the seeded EU reference data.
Deterministic: the same N gives the same file.
"""
import json
import sys

n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
prefix = sys.argv[2] if len(sys.argv) > 2 else ""
langs = ["pl", "lt", "lv", "bg"]
countries = ["PL", "LT", "LV", "BG"]
currencies = ["PLN", "EUR", "EUR", "BGN"]
words = {
    "pl": ["Współpraca", "Odnowa wsi", "Dziedzictwo kulinarne", "Turystyka wiejska", "Łączy regiony"],
    "lt": ["Kaimo bendruomenė", "Vietos plėtra", "Jaunimo užimtumas", "Amatų centras", "Žalioji ekonomika"],
    "lv": ["Viedie ciemi", "Zied zeme", "Lauku tūrisms", "Vietējā pārtika", "Kopienas iniciatīva"],
    "bg": ["Местна инициативна група", "Селски туризъм", "Културно наследство", "Лясковец", "Младежки център"],
}
measures = ["M01", "M04", "M06", "M07", "M16", "M19"]
goals = ["P1", "P2", "P3", "P4", "P5", "P6"]
pool = max(n // 20, 10)
out = sys.stdout
for i in range(n):
    k = i % 4
    lang = langs[k]
    word = words[lang][i % 5]
    year = 2014 + i % 12
    month = 1 + i % 12
    precision = i % 3
    start = f"{year}" if precision == 0 else f"{year}-{month:02d}" if precision == 1 else f"{year}-{month:02d}-{1 + i % 28:02d}"
    partners = []
    for j in range(1 + i % 3):
        p = (i * 7 + j * 13) % pool
        pk = p % 4
        partners.append({
            "partner": {"name": {langs[pk]: f"{prefix}{words[langs[pk]][p % 5]} {p}"}, "country": countries[pk], "kind": ["lag", "ngo", "municipality"][p % 3]},
            "role": "lead" if j == 0 else "partner",
        })
    record = {
        "externalId": f"{prefix}bench-{i:07d}",
        "title": {lang: f"{word} {i}"} if i % 3 else {lang: f"{word} {i}", "en": f"Project {i}"},
        "summary": {lang: f"{word}: projekt {i} " * 4},
        "originalLanguage": lang,
        "startDate": start,
        "endDate": f"{year + 1 + i % 3}",
        "budget": {"total": {"amount": f"{5000 + (i * 7919) % 4995000}.{i % 100:02d}", "currency": currencies[k]}},
        "countries": [countries[k]] + ([countries[(k + 1) % 4]] if i % 5 == 0 else []),
        "themes": ["rural-tourism", "local-development"][: 1 + i % 2],
        "partners": partners,
        "fundingMeasures": [{"scheme": "eu-rdp-2014-2020", "code": measures[i % len(measures)]}],
        "goals": [{"goal": {"scheme": "eu-rdp-2014-2020", "code": goals[i % len(goals)]}, "relevance": "primary"}],
    }
    out.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")))
    out.write("\n")
