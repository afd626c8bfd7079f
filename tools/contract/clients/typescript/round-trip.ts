// A round trip through the types openapi-typescript generates from openapi/v1.json, called with openapi-fetch, against
// a running API loaded with the demo data: list, get by id, search, a 404 problem, a publisher's create, an import
// answered 207, and the change feed followed to its end. Compiled with tsc --strict; any mismatch exits non-zero.
// usage: node round-trip.js BASE_URL ADMIN_KEY
import createClient from "openapi-fetch";
import type { components, paths } from "./registry.js";

type CreateProjectRequest = components["schemas"]["CreateProjectRequest"];
type RecordType = components["schemas"]["RecordType"];

const [base, adminKey] = process.argv.slice(2);

function check(condition: boolean, what: string): void {
  if (!condition) {
    console.error(`client-check: typescript FAILED: ${what}`);
    process.exit(1);
  }
  console.log(`ok: ${what}`);
}

const anonymous = createClient<paths>({ baseUrl: base });

// List, get by id, search.
const list = await anonymous.GET("/v1/projects", { params: { query: { pageSize: 10 } } });
check(list.response.status === 200 && list.data !== undefined && list.data.items.length >= 5, `list: the 5 demo projects at least (${list.response.status})`);
const first = list.data!.items[0];
const amount: string | undefined = list.data!.items.find((p) => p.budget?.total)?.budget?.total?.amount;
check(amount !== undefined && /^[0-9]/.test(amount), "list: a budget's amount is text");
const got = await anonymous.GET("/v1/projects/{id}", { params: { path: { id: first.id } } });
check(got.data?.externalId === first.externalId, `get by id: ${first.id}`);
const found = await anonymous.GET("/v1/projects", { params: { query: { q: "wspolpraca", sort: "relevance", country: ["PL"] } } });
check(found.data?.items.some((p) => p.publisher === "pl-ksow") === true, "search: q=wspolpraca finds the pl-ksow record");

// A 404 is a problem, typed as the contract's ProblemDetails.
const missing = await anonymous.GET("/v1/projects/{id}", { params: { path: { id: "01a20000-0000-7000-8000-000000000000" } } });
check(missing.response.status === 404 && missing.error?.status === 404 && missing.error.title.length > 0, "404: a problem with status and title");
check(missing.response.headers.get("content-type")?.startsWith("application/problem+json") === true, "404: as application/problem+json");

// A publisher and its key, made by the admin.
const admin = createClient<paths>({ baseUrl: base, headers: { Authorization: `Bearer ${adminKey}` } });
const code = `ts-${crypto.randomUUID().replaceAll("-", "").slice(0, 16)}`;
const publisherMade = await admin.POST("/v1/publishers", { body: { code, name: "TypeScript round trip" } });
check(publisherMade.response.status === 201, `publisher: created (${publisherMade.response.status})`);
const key = await admin.POST("/v1/publishers/{code}/api-keys", { params: { path: { code } }, body: { name: "typescript round trip" } });
check(key.data !== undefined, "key: issued");
const publisher = createClient<paths>({ baseUrl: base, headers: { Authorization: `Bearer ${key.data!.secret}` } });

function record(externalId: string, startDate: string): CreateProjectRequest {
  return {
    externalId,
    title: { pl: `Wizyta studyjna ${externalId}` },
    originalLanguage: "pl",
    startDate,
    countries: ["PL"],
    budget: { total: { amount: 1200.5, currency: "PLN" } },
    activities: [{ kind: "study-visit", title: { pl: "Wyjazd" } }, { title: { pl: "Biuletyn" } }],
    partners: [{ partner: { name: { pl: "LGD Round Trip" }, country: "PL", kind: "lag" } }],
  };
}

// The publisher's create: an amount as a JSON number, an activity and a partner without kind or role.
const created = await publisher.POST("/v1/projects", { body: record("ts-create", "2024-03") });
check(created.response.status === 201 && created.data?.publisher === code, `create: 201, the publisher's (${created.response.status})`);
const project = created.data!;
check(project.budget?.total?.amount === "1200.5", `create: the amount read back as text (${project.budget?.total?.amount})`);
check(project.activities.length === 2 && project.activities[0].kind === "study-visit" && project.activities[1].kind == null, "create: activity kinds as sent, the missing one absent");
check(project.partners.length === 1 && project.partners[0].role == null, "create: the partner without a role");
check(created.response.headers.get("registry-write-status") === "created", "create: Registry-Write-Status created");
const read = await anonymous.GET("/v1/projects/{id}", { params: { path: { id: project.id } } });
check(read.data?.version === project.version, "create: read back the same");

// An import (a JSON array) under an Idempotency-Key, one good and one bad record: 207 with a per-record report.
const imported = await publisher.POST("/v1/imports/projects", {
  params: { header: { "Idempotency-Key": `ts-${code}` } },
  body: [record("ts-import-ok", "2023"), record("ts-import-bad", "2023-13")],
});
check(imported.response.status === 207, `import: 207 (${imported.response.status})`);
// 200, 202 and 207 answer different bodies: the 207's is the report, the 202's the queued import alone.
const report = imported.data;
if (report === undefined || !("import" in report)) throw new Error("import: no report");
check(report.import.counts.created === 1 && report.import.counts.failed === 1, "import: counts 1 created, 1 failed");
const bad = report.records.find((r) => r.index === 1);
check(bad?.status === "failed" && bad.problem?.errors?.some((e) => e.pointer === "/1/startDate") === true, "import: the bad record's problem points at /1/startDate");

// Follow the change feed to its end: the create is in it, and every record type reads.
const seen = new Set<string>();
const types = new Set<RecordType>();
let after: number | undefined;
for (let pages = 0; ; pages++) {
  if (pages === 1000) check(false, "change feed: no end after 1000 pages");
  const changes = await anonymous.GET("/v1/changes", { params: { query: { after, pageSize: 50 } } });
  check(changes.response.status === 200 && changes.data !== undefined, "change feed: 200");
  for (const change of changes.data!.items) {
    if (change.id) seen.add(change.id);
    if (change.type) types.add(change.type);
  }
  after = changes.data!.resumeAfter;
  if (!changes.data!.hasMore) break;
}
check(seen.has(project.id), "change feed: holds the created project");
check(types.has("funding-measure") && types.has("partner"), `change feed: every type (${[...types].join(", ")})`);
console.log(`client-check: typescript round trip ok (${list.data!.items.length} projects, ${seen.size} records in the change feed)`);
