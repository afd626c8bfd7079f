// A small program against the client types openapi-typescript generates from openapi/v1.json.
import type { components, paths } from "./registry.js";

type ProjectPage = paths["/v1/projects"]["get"]["responses"][200]["content"]["application/json"];
type Project = components["schemas"]["ProjectResponse"];

const base = process.argv[2];
const query: paths["/v1/projects"]["get"]["parameters"]["query"] = { pageSize: 10 };
const response = await fetch(`${base}/v1/projects?pageSize=${query?.pageSize}`);
if (response.status !== 200) {
  throw new Error(`GET /v1/projects answered ${response.status}`);
}
const page = (await response.json()) as ProjectPage;
const projects: Project[] = page.items;
if (projects.length === 0) {
  throw new Error("GET /v1/projects answered no projects");
}
for (const project of projects) {
  const amount: string | undefined = project.budget?.total?.amount ?? undefined;
  console.log(`${project.publisher} ${project.externalId} ${project.status} ${Object.values(project.title)[0]} ${amount ?? ""}`);
}
console.log(`client-check: 200 with ${projects.length} projects`);
