#!/usr/bin/env python3
"""Mixed load for the fault scenario: CLIENTS threads for SECONDS, loopback only, every request bounded.

   bench/faults/load.py BASE_URL API_KEY SECONDS CLIENTS OUT.json

Reads (lists, filters, search, by id, statistics) anonymously, and writes: each client PUTs projects of its own
externalIds in turn (so each record has one writer, and what the registry must hold is known: the last write
answered 2xx, or one sent after it whose answer was lost). Records every answer's status; a request with no
answer within 30 s is hung. Writes OUT.json with the counts and, per externalId, the acknowledged and the
unanswered titles, for run.sh to check against the database.
"""
import http.client
import json
import random
import sys
import threading
import time
import urllib.error
import urllib.request

base, key, seconds, clients, out = sys.argv[1], sys.argv[2], float(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
TIMEOUT = 30
lock = threading.Lock()
stats = {"requests": 0, "by_status": {}, "hung": 0, "refused": 0, "cut": 0, "503_without_retry_after": 0, "5xx_other": [], "writes_acknowledged": 0}
records = {}  # externalId -> {"acked": title or None, "unanswered": [titles sent after the last ack]}
ids = []


def request(method, path, body=None, auth=False):
    headers = {"Accept": "application/json"}
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    if auth:
        headers["Authorization"] = "Bearer " + key
    req = urllib.request.Request(base + path, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=TIMEOUT) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()
    except (TimeoutError, urllib.error.URLError, ConnectionError, OSError, http.client.HTTPException) as error:
        reason = getattr(error, "reason", error)
        if isinstance(reason, TimeoutError) or "timed out" in str(reason):
            return "hung", None, b""
        if isinstance(error, http.client.HTTPException) or isinstance(reason, ConnectionResetError):
            return "cut", None, b""  # the API went away mid-answer (killed)
        return "refused", None, b""


def note(method, path, status, headers, body):
    with lock:
        stats["requests"] += 1
        stats["by_status"][str(status)] = stats["by_status"].get(str(status), 0) + 1
        if status == "hung":
            stats["hung"] += 1
        elif status == "refused":
            stats["refused"] += 1
        elif status == "cut":
            stats["cut"] += 1
        elif status == 503 and not (headers and headers.get("Retry-After")):
            stats["503_without_retry_after"] += 1
        elif isinstance(status, int) and status >= 500 and status != 503:
            stats["5xx_other"].append(f"{method} {path}: {status} {body[:200]!r}")


def client(number, deadline):
    rng = random.Random(number)
    mine = [f"load-{number}-{i}" for i in range(20)]
    version = 0
    while time.time() < deadline:
        roll = rng.random()
        if roll < 0.25:
            external = rng.choice(mine)
            version += 1
            title = f"Obciążenie {number} {version}"
            entry = records.setdefault(external, {"acked": None, "unanswered": []})
            entry["unanswered"].append(title)
            body = {"title": {"pl": title}, "originalLanguage": "pl", "countries": ["PL"], "partners": []}
            path = f"/v1/projects/external/{external}"
            status, headers, raw = request("PUT", path, body, auth=True)
            if isinstance(status, int) and 200 <= status < 300:
                entry["acked"], entry["unanswered"] = title, []
                with lock:
                    stats["writes_acknowledged"] += 1
                    if status == 201:
                        ids.append(json.loads(raw)["id"])
            elif isinstance(status, int) and status < 500:
                entry["unanswered"].pop()  # refused: it wrote nothing
            note("PUT", path, status, headers, raw)
        else:
            path = rng.choice([
                "/v1/projects?pageSize=20",
                "/v1/projects?country=PL&sort=title&pageSize=10",
                "/v1/projects?q=obciazenie&pageSize=10",
                "/v1/projects?q=wspolpraca",
                "/v1/stats/projects?groupBy=country",
                "/v1/partners?pageSize=10",
                "/v1/changes?pageSize=50",
                f"/v1/projects/{rng.choice(ids)}" if ids else "/v1/publishers",
            ])
            status, headers, raw = request("GET", path)
            note("GET", path, status, headers, raw)
        time.sleep(rng.random() * 0.02)


deadline = time.time() + seconds
threads = [threading.Thread(target=client, args=(n, deadline)) for n in range(clients)]
for t in threads:
    t.start()
for t in threads:
    t.join()
json.dump({"stats": stats, "records": records}, open(out, "w"))
s = stats
print(f"load: {s['requests']} requests in {seconds:.0f} s by {clients} clients; by status {dict(sorted(s['by_status'].items()))}")
