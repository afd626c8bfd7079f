#!/usr/bin/env python3
"""Captures the contract's examples (src/Web/OpenApi/Examples/*.json) from a running API loaded with the
demo data (deploy/demo): real responses, trimmed small (long texts cut, arrays shortened).

usage: capture-examples.py BASE_URL ADMIN_KEY      e.g. http://127.0.0.1:8093 "$(cat .local/dev-admin-key)"
"""
import json, os, sys, urllib.request

base, admin = sys.argv[1].rstrip("/"), sys.argv[2]
out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "src", "Web", "OpenApi", "Examples")
PUBLIC = "http://127.0.0.1:8080"   # where deploy/local/run.sh serves: the examples' links point there


def call(method, path, body=None, key=None, media="application/json"):
    req = urllib.request.Request(base + path, method=method, data=None if body is None else json.dumps(body).encode())
    if body is not None:
        req.add_header("Content-Type", media)
    if key:
        req.add_header("Authorization", "Bearer " + key)
    try:
        with urllib.request.urlopen(req) as r:
            return json.loads(r.read() or b"null")
    except urllib.error.HTTPError as e:
        return json.loads(e.read())


def trim(node, depth=0):
    if isinstance(node, dict):
        return {k: trim(v, depth + 1) for k, v in node.items()}
    if isinstance(node, list):
        return [trim(v, depth + 1) for v in node[:2]]
    if isinstance(node, str):
        node = node.replace(base, PUBLIC)
        if len(node) > 240 and not node.startswith("http"):
            cut = node[:240]
            return cut[: cut.rfind(" ")] + " …"
    return node


def save(name, value):
    with open(os.path.join(out, name + ".json"), "w", encoding="utf-8") as f:
        json.dump(trim(value), f, ensure_ascii=False, indent=2)
        f.write("\n")


projects = call("GET", "/v1/projects?publisher=pl-ksow&pageSize=1")
save("ProjectResponsePageResponse", projects)
project = call("GET", "/v1/projects/" + projects["items"][0]["id"])
save("ProjectResponse", project)
demo = json.load(open(os.path.join(out, "..", "..", "..", "..", "deploy", "demo", "projects", "000.json"), encoding="utf-8"))
save("ProjectRequest", demo)
save("ProjectPatch", {"endDate": "2024-02", "themes": ["leader", "cooperation"]})

partners = call("GET", "/v1/partners?pageSize=1")
save("PartnerResponsePageResponse", partners)
partner = partners["items"][0]
save("PartnerResponse", partner)
save("PartnerRequest", {k: partner[k] for k in ["name", "acronym", "kind", "country", "region", "website", "email", "identifiers"]})
save("PartnerPatch", {"website": "https://www.ksow.pl"})

for noun, schema in [("funding-measures", "FundingMeasure"), ("goals", "Goal")]:
    page = call("GET", f"/v1/{noun}?pageSize=1")
    save(schema + "ResponsePageResponse", page)
    node = call("GET", f"/v1/{noun}/" + page["items"][0]["id"])
    save(schema + "Response", node)
    request = {k: v for k, v in node.items() if k not in ("id", "createdAt", "updatedAt", "version")}
    if isinstance(request.get("parent"), dict):
        request["parent"] = {"scheme": request["parent"]["scheme"], "code": request["parent"]["code"]}
    save(schema + "Request", request)

publishers = call("GET", "/v1/publishers?pageSize=1")
save("PublisherResponsePageResponse", publishers)
save("PublisherResponse", call("GET", "/v1/publishers/pl-ksow"))
save("CreatePublisherRequest", {"code": "pl-ksow", "name": "Krajowa Sieć Obszarów Wiejskich"})
save("CreateApiKeyRequest", {"name": "nightly import"})
save("ApiKeyCreatedResponse", call("POST", "/v1/publishers/pl-ksow/api-keys", {"name": "nightly import"}, admin))
print("examples written to", os.path.normpath(out))
