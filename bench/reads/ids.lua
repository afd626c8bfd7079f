-- wrk script: GET /v1/projects/{id} for ids picked at random from the file named by IDS (one "id version" a line);
-- with NOT_MODIFIED=1 each request sends If-None-Match with the id's version (the 304 path). Prints one line as
-- bench/search/latency.lua does. PREFIX replaces the path before the id (bench/reads/floor.sh: /db/, /const/, /version/).
local ids, versions = {}, {}
for line in io.open(os.getenv("IDS")):lines() do
  local id, version = line:match("^(%S+)%s+(%S+)")
  if id then ids[#ids + 1] = id; versions[#versions + 1] = version end
end
local conditional = os.getenv("NOT_MODIFIED") == "1"
local prefix = os.getenv("PREFIX") or "/v1/projects/"
math.randomseed(os.time())

request = function()
  local i = math.random(#ids)
  local headers = conditional and { ["If-None-Match"] = '"' .. versions[i] .. '"' } or nil
  return wrk.format("GET", prefix .. ids[i], headers)
end

done = function(summary, latency, requests)
  local errors = summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format("p50 %.1f ms  p95 %.1f ms  p99 %.1f ms  max %.1f ms  %.0f requests/s  %d requests  %d errors\n",
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    summary.requests / (summary.duration / 1e6), summary.requests, errors))
end
