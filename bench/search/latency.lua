-- wrk script: requests the paths of the file named by the environment variable PATHS in turn, one
-- per line, and prints p50/p95/p99 latency and throughput, and the non-2xx count, as one line.
local paths = {}
local file = io.open(os.getenv("PATHS"))
for line in file:lines() do
  if #line > 0 then paths[#paths + 1] = line end
end
file:close()

local counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter % #paths) + 1])
end

done = function(summary, latency, requests)
  local errors = summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format("p50 %.1f ms  p95 %.1f ms  p99 %.1f ms  max %.1f ms  %.0f requests/s  %d requests  %d errors\n",
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    summary.requests / (summary.duration / 1e6), summary.requests, errors))
end
