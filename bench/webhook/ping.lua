-- wrk script: the same request size against the trivial bench route (the HTTP server's ceiling).
function init(args)
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  local pad = string.rep("x", 900)
  wrk.body = '{"event":"messages.upsert","instance":"acme-support","data":{"pad":"' .. pad .. '"}}'
end

function done(summary, latency, requests)
  io.write(string.format("non-2xx: %d, socket errors: %d\n", summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
