// Validates deploy/k8s/*.yaml: each object against the Kubernetes API schema of its apiVersion and kind, as bundled
// in kubernetes-models (pinned by package-lock.json; nothing is fetched at run time), then the registry's own rules:
// probes on the health endpoints, resources on every container, secrets only by reference, the termination grace
// period equal to the preStop pause plus the host's shutdown timeout, and the migration Job in migrate-only mode.
import { readdirSync, readFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";
import * as core from "kubernetes-models/v1";
import * as apps from "kubernetes-models/apps/v1";
import * as batch from "kubernetes-models/batch/v1";
import * as autoscaling from "kubernetes-models/autoscaling/v2";
import * as policy from "kubernetes-models/policy/v1";

const models = { v1: core, "apps/v1": apps, "batch/v1": batch, "autoscaling/v2": autoscaling, "policy/v1": policy };
const directory = process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), "..", "..", "deploy", "k8s");
const errors = [];
const objects = [];

for (const file of readdirSync(directory).filter((f) => f.endsWith(".yaml")).sort()) {
  for (const document of parseAllDocuments(readFileSync(join(directory, file), "utf8"))) {
    if (document.errors.length > 0) {
      errors.push(`${file}: not YAML: ${document.errors.map((e) => e.message).join("; ")}`);
      continue;
    }
    const object = document.toJSON();
    if (object === null) continue;
    const model = models[object.apiVersion]?.[object.kind];
    if (!model) {
      errors.push(`${file}: ${object.apiVersion} ${object.kind} has no bundled schema here`);
      continue;
    }
    try {
      new model(object).validate();
      objects.push({ file, object });
    } catch (error) {
      errors.push(`${file}: ${object.kind} ${object.metadata?.name}: ${error.message}`);
    }
  }
}

const of = (kind) => objects.filter((o) => o.object.kind === kind);
for (const kind of ["Deployment", "Service", "HorizontalPodAutoscaler", "PodDisruptionBudget", "Job", "ConfigMap"]) {
  if (of(kind).length === 0) errors.push(`no ${kind} in ${directory}`);
}

const secretish = /(ConnectionStrings|PASSWORD|SECRET|ADMIN_KEY|TOKEN)/i;
const configMap = Object.assign({}, ...of("ConfigMap").map((o) => o.object.data ?? {}));
for (const { file, object } of [...of("Deployment"), ...of("Job")]) {
  const pod = object.spec.template.spec;
  for (const container of pod.containers) {
    const where = `${file}: container ${container.name}`;
    if (!container.resources?.requests?.cpu || !container.resources?.requests?.memory || !container.resources?.limits?.memory) {
      errors.push(`${where}: needs cpu and memory requests and a memory limit`);
    }
    for (const variable of container.env ?? []) {
      if (secretish.test(variable.name) && variable.value !== undefined) {
        errors.push(`${where}: ${variable.name} is given inline; take it from a Secret (valueFrom.secretKeyRef)`);
      }
    }
    if (object.kind === "Job" && JSON.stringify(container.args) !== JSON.stringify(["migrate"])) {
      errors.push(`${where}: the migration Job runs the API's migrate-only mode (args: ["migrate"])`);
    }
    if (object.kind === "Deployment") {
      if (container.readinessProbe?.httpGet?.path !== "/health/ready") errors.push(`${where}: readinessProbe must GET /health/ready`);
      if (container.livenessProbe?.httpGet?.path !== "/health/live") errors.push(`${where}: livenessProbe must GET /health/live`);
      const pause = Number(container.lifecycle?.preStop?.exec?.command?.[1] ?? container.lifecycle?.preStop?.sleep?.seconds ?? 0);
      const shutdown = Number(configMap.Host__ShutdownTimeoutSeconds ?? 30);
      if (pod.terminationGracePeriodSeconds !== pause + shutdown) {
        errors.push(`${where}: terminationGracePeriodSeconds (${pod.terminationGracePeriodSeconds}) must be the preStop pause (${pause}) plus Host__ShutdownTimeoutSeconds (${shutdown})`);
      }
    }
  }
}
for (const { file, object } of of("ConfigMap")) {
  for (const name of Object.keys(object.data ?? {})) {
    if (secretish.test(name)) errors.push(`${file}: ${name} belongs in a Secret, not a ConfigMap`);
  }
}

if (errors.length > 0) {
  for (const error of errors) console.error(`k8s: ${error}`);
  console.error(`k8s: ${errors.length} problem(s) in ${directory}`);
  process.exit(1);
}
console.log(`k8s: ${objects.length} objects in ${directory} are valid (${objects.map((o) => o.object.kind).join(", ")})`);
