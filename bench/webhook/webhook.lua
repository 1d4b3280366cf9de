-- wrk script: POST an Evolution messages.upsert (shaped like fixture 01) with a key.id unique per request,
-- so de-duplication never short-circuits and every request is appended to the inbound stream.
-- WEBHOOK_TOKEN and BENCH_INSTANCE come from the environment.
local counter = 0
-- thread_id is set per thread by setup() (a global: a local here would hide it)
local threads = {}

function setup(thread)
  thread:set("thread_id", #threads)
  table.insert(threads, thread)
end

function init(args)
  -- the start time keeps ids unique across runs against the same Redis (wrk's math.random is not seeded)
  prefix = string.format("B%010d", os.time())
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["X-Webhook-Token"] = os.getenv("WEBHOOK_TOKEN") or ""
  instance = os.getenv("BENCH_INSTANCE") or "acme-support"
end

local template = '{"event":"messages.upsert","instance":"%s","data":{"key":{"remoteJid":"4477009%05d@s.whatsapp.net",' ..
  '"remoteJidAlt":"168542907331862@lid","fromMe":false,"id":"%s%02d%010d","addressingMode":"pn"},' ..
  '"pushName":"Bench Patient","status":"DELIVERY_ACK","message":{"conversation":"Hi! What are your opening hours on Saturday?",' ..
  '"messageContextInfo":{"deviceListMetadataVersion":2}},"messageType":"conversation","messageTimestamp":1761056400,' ..
  '"instanceId":"7f9e2c1a-4b3d-4e8f-9a6b-1c2d3e4f5a6b","source":"android"},"destination":"http://web:8080/webhooks/evolution",' ..
  '"date_time":"2025-10-21T14:20:00.000Z","sender":"447700900001@s.whatsapp.net","server_url":"http://evolution:8080","apikey":null}'

function request()
  counter = counter + 1
  local body = string.format(template, instance, counter % 100000, prefix, thread_id, counter)
  return wrk.format(nil, nil, nil, body)
end

function done(summary, latency, requests)
  local non2xx = summary.errors.status
  io.write(string.format("non-2xx: %d, socket errors: %d\n", non2xx,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
