// The front door at / in a real browser (Debian's chromium, driven by playwright-core): first without JavaScript (the
// counts and the latest changes are server-rendered), then with it: types a search, reads the results and opens one
// record's JSON from its link. Fails on any Content-Security-Policy violation or script error.
// usage: node front-door-check.mjs BASE_URL SCREENSHOT_PATH QUERY EXPECTED_TEXT
import { chromium } from "playwright-core";

const [base, screenshot, query, expected] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync"],
});
const problems = [];
const watch = (page) => {
  page.on("console", (message) => { if (message.type() === "error") problems.push(message.text()); });
  page.on("pageerror", (error) => problems.push(error.message));
};
try {
  const bare = await browser.newContext({ javaScriptEnabled: false });
  const plain = await bare.newPage();
  watch(plain);
  const answer = await plain.goto(`${base}/`, { waitUntil: "load" });
  if (answer.status() !== 200) throw new Error(`/ answered ${answer.status()}`);
  const counts = {};
  for (const name of ["projects", "publishers", "countries", "languages"]) {
    counts[name] = (await plain.locator(`#count-${name}`).innerText()).trim();
  }
  const changes = await plain.locator("#changes li").count();
  console.log(`front-door-check: without JavaScript: ${JSON.stringify(counts)}; ${changes} latest changes`);
  await bare.close();

  const context = await browser.newContext({ viewport: { width: 1100, height: 1400 }, locale: "en-GB" });
  const page = await context.newPage();
  watch(page);
  await page.goto(`${base}/`, { waitUntil: "load" });
  await page.locator("#q").fill(query);
  await page.locator("#q").press("Enter");
  const first = page.locator("#results li.project").first();
  await first.waitFor({ timeout: 30000 });
  const status = (await page.locator("#search-status").innerText()).trim();
  const titles = await page.locator("#results li.project h3 a.title").allInnerTexts();
  const text = await page.locator("#results").innerText();
  await page.screenshot({ path: screenshot, fullPage: true });
  console.log(`front-door-check: screenshot ${screenshot}`);
  console.log(`front-door-check: search "${query}": ${status}; titles: ${JSON.stringify(titles)}`);
  if (!text.includes(expected)) throw new Error(`the results do not show "${expected}": ${text}`);
  if (!page.url().endsWith(`/?q=${encodeURIComponent(query)}`)) throw new Error(`the address is ${page.url()}`);

  const href = await first.locator("a.title").getAttribute("href");
  const record = await page.request.get(`${base}${href}`);
  const json = await record.json();
  if (record.status() !== 200 || `/v1/projects/${json.id}` !== href) throw new Error(`${href} answered ${record.status()} with id ${json.id}`);
  console.log(`front-door-check: the first result links to its JSON: ${href}`);
  if (problems.length > 0) throw new Error(`the browser reported: ${problems.join(" | ")}`);
  console.log(`front-door-check: counts ${counts.projects} projects; ${titles.length} results for "${query}" read in the browser`);
} finally {
  await browser.close();
}
