// The front door's search: GET /v1/projects?q= rendered as a readable list, each project linking to its JSON.
// Served from the registry itself (the page's CSP allows its own scripts only). Without JavaScript the form opens the JSON.
"use strict";

const pageSize = 20;

/** The text of a localized value ({"pl": "...", "en": "..."}) in the reader's languages, else the original, else any. */
function pick(text, original) {
  if (!text) return [null, ""];
  for (const wanted of navigator.languages ?? [navigator.language]) {
    const tag = Object.keys(text).find((t) => t.toLowerCase() === wanted.toLowerCase())
      ?? Object.keys(text).find((t) => t.toLowerCase() === wanted.split("-")[0].toLowerCase());
    if (tag) return [tag, text[tag]];
  }
  if (original && text[original]) return [original, text[original]];
  const first = Object.keys(text).sort()[0];
  return first ? [first, text[first]] : [null, ""];
}

function element(name, attributes, ...children) {
  const node = document.createElement(name);
  for (const [key, value] of Object.entries(attributes ?? {})) if (value != null) node.setAttribute(key, value);
  node.append(...children.filter((c) => c != null && c !== ""));
  return node;
}

function project(item) {
  const [language, title] = pick(item.title, item.originalLanguage);
  const link = element("a", { href: `/v1/projects/${item.id}`, lang: language, class: "title" }, title || item.externalId);
  const heading = element("h3", null, link);
  if (item.originalLanguage && language !== item.originalLanguage && item.title?.[item.originalLanguage]) {
    heading.append(" ", element("span", { class: "original", lang: item.originalLanguage }, item.title[item.originalLanguage]));
  }
  const dates = item.startDate || item.endDate ? `${item.startDate ?? "?"} – ${item.endDate ?? "?"}` : null;
  const facts = [item.publisher, (item.countries ?? []).join(", "), dates, item.status].filter(Boolean).join(" · ");
  const [summaryLanguage, summary] = pick(item.summary, item.originalLanguage);
  return element("li", { class: "project" },
    heading,
    element("p", { class: "facts" }, facts, " · ", element("a", { href: `/v1/projects/${item.id}`, class: "json" }, "JSON")),
    summary ? element("p", { class: "summary", lang: summaryLanguage }, summary.length > 300 ? `${summary.slice(0, 300)}…` : summary) : null);
}

async function search(form, status, results, q) {
  status.textContent = `Searching for “${q}”…`;
  results.replaceChildren();
  try {
    const response = await fetch(`/v1/projects?q=${encodeURIComponent(q)}&pageSize=${pageSize}`, { headers: { Accept: "application/json" } });
    const body = await response.json();
    if (!response.ok) {
      status.textContent = body.detail ?? `The search failed (${response.status}).`;
      return;
    }
    results.replaceChildren(...body.items.map(project));
    const count = body.items.length;
    status.textContent = count === 0
      ? `No project matches “${q}”.`
      : `${count} project${count === 1 ? "" : "s"} match “${q}”${body.nextPageToken ? ` (the first ${pageSize}; more through the API)` : ""}.`;
  } catch (error) {
    status.textContent = `The search failed: ${error.message}`;
  }
}

document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("search");
  const status = document.getElementById("search-status");
  const results = document.getElementById("results");
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const q = form.elements.q.value.trim();
    if (!q) return;
    history.replaceState(null, "", `/?q=${encodeURIComponent(q)}`);
    search(form, status, results, q);
  });
  const initial = new URLSearchParams(location.search).get("q");
  if (initial) {
    form.elements.q.value = initial;
    search(form, status, results, initial);
  }
});
