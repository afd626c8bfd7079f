// Swagger UI in a real browser (Debian's chromium, driven by playwright-core): opens /swagger, finds the
// operations, runs "Try it out" and "Execute" on GET /v1/projects and expects a 200 with demo data.
// usage: node swagger-ui-check.mjs BASE_URL SCREENSHOT_PATH
import { chromium } from "playwright-core";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const [base, screenshot] = process.argv.slice(2);
// A fresh profile each run (playwright passes it as --user-data-dir).
const browser = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), "swagger-ui-")), {
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  headless: true,
  viewport: { width: 1280, height: 1600 },
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync"],
});
try {
  const page = await browser.newPage();
  await page.goto(`${base}/swagger`, { waitUntil: "load" });
  const operation = page.locator("#operations-Projects-listProjects");
  await operation.waitFor({ timeout: 30000 });
  const count = await page.locator(".opblock").count();
  if (count < 20) throw new Error(`Swagger UI shows ${count} operations`);
  await operation.locator(".opblock-summary").click();
  await operation.getByRole("button", { name: "Try it out" }).click();
  await operation.getByRole("button", { name: "Execute" }).click();
  const status = operation.locator(".responses-table.live-responses-table .response .response-col_status").first();
  await status.waitFor({ timeout: 30000 });
  const code = (await status.innerText()).trim();
  const body = await operation.locator(".live-responses-table .response-col_description pre").first().innerText();
  await status.scrollIntoViewIfNeeded();
  await page.screenshot({ path: screenshot, fullPage: false });
  console.log(`swagger-ui-check: screenshot ${screenshot}`);
  if (code !== "200") throw new Error(`Execute on GET /v1/projects answered ${code}`);
  if (!body.includes("pl-ksow")) throw new Error("the response shown holds no demo project");
  console.log(`swagger-ui-check: ${count} operations; GET /v1/projects executed in the browser: 200 with demo data`);
} finally {
  await browser.close();
}
