// Generates request bodies from a request schema of the contract (openapi/v1.json) with json-schema-faker: each one
// valid under the schema as the contract states it. Deterministic for a seed. Prints a JSON array.
// usage: node generate-bodies.mjs CONTRACT SCHEMA COUNT SEED
import { readFileSync } from "node:fs";
import { createGeneratorSync } from "json-schema-faker";

const [contractPath, schemaName, countText, seedText] = process.argv.slice(2);
const contract = JSON.parse(readFileSync(contractPath, "utf8"));
const count = Number(countText);
const seed = Number(seedText);
if (!contract.components?.schemas?.[schemaName] || !(count > 0) || !Number.isInteger(seed)) {
  console.error("usage: node generate-bodies.mjs CONTRACT SCHEMA COUNT SEED");
  process.exit(2);
}

// OpenAPI 3.0's schema object as JSON Schema: `nullable: true` becomes "this, or null"; examples and extensions go.
function jsonSchema(node) {
  if (Array.isArray(node)) return node.map(jsonSchema);
  if (node === null || typeof node !== "object") return node;
  const out = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === "nullable" || key === "example" || key === "examples" || key.startsWith("x-")) continue;
    out[key] = key === "properties" ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, jsonSchema(v)])) : jsonSchema(value);
  }
  return node.nullable === true ? { anyOf: [out, { type: "null" }] } : out;
}

// The contract's schemas as one JSON Schema document: local references (#/components/schemas/X) resolve in it.
const root = { $ref: `#/components/schemas/${schemaName}`, components: { schemas: jsonSchema(contract.components.schemas) } };
const generator = createGeneratorSync({
  seed,
  // Some bodies with few members, some with many: optional members come with probability one half.
  optionalsProbability: 0.5,
  maxItems: 3,
  maxLength: 40,
  useDefaultValue: false,
  useExamplesValue: false,
  refDepthMax: 6,
});
const bodies = [];
for (let i = 0; i < count; i++) {
  bodies.push(generator.generate(root));
}
process.stdout.write(JSON.stringify(bodies));
