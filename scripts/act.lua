-- wrk script for scripts/bench_act.py: POSTs one JSON body to the URL's path, over and over.
--
--   wrk -t1 -c16 -d15s --latency -s scripts/act.lua http://localhost:8080/api/policies/$ID/act
--   wrk ... -s scripts/act.lua http://localhost:8080 -- /api/policies/$ID/act '{"observation":[0,0,0,0]}'
--
-- Arguments after "--" (both optional): the path (default: the URL's own path; "" keeps it) and
-- the body (default: ACT_BODY from the environment, else CartPole's observation with
-- "deterministic": true). Every response's status is checked: anything but 200 is counted, and
-- the first such status and body are kept.
--
-- done() prints one line for machines, after wrk's own report:
--   JSON {"requests":..,"duration_us":..,"rps":..,"latency_us":{"min":..,"mean":..,"stdev":..,
--         "max":..,"p50":..,"p90":..,"p99":..,"p99_9":..},"non200":..,"statuses":{"200":..},
--         "first_bad_status":..,"first_bad_body":"..","errors":{"connect":..,"read":..,...}}
-- Latencies are microseconds, from wrk's histogram (request sent to response read, per
-- connection, closed loop).

local default_body = '{"observation":[0.01,0.02,-0.03,0.04],"deterministic":true}'

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = "application/json"
-- the API key (README: Keys, owners and quotas), from the environment as bench_act.py passes it
local api_key = os.getenv("PROXIMA_API_KEY")
if api_key and api_key ~= "" then
   wrk.headers["Authorization"] = "Bearer " .. api_key
end
wrk.body = os.getenv("ACT_BODY") or default_body

-- setup() runs in the main Lua state once per thread; done() reads the threads' counters back.
local threads = {}

function setup(thread)
   table.insert(threads, thread)
end

function init(args)
   if args[1] ~= nil and args[1] ~= "" then
      wrk.path = args[1]
   end
   if args[2] ~= nil and args[2] ~= "" then
      wrk.body = args[2]
   end
   -- per-thread counters (each wrk thread has its own Lua state)
   responses = 0
   ok200 = 0
   non200 = 0
   -- "status=count;status=count" (thread:get copies strings and numbers reliably)
   bad_statuses = ""
   first_bad_status = 0
   first_bad_body = ""
end

local bad_counts = {}

function response(status, headers, body)
   responses = responses + 1
   if status == 200 then
      ok200 = ok200 + 1
      return
   end
   non200 = non200 + 1
   bad_counts[status] = (bad_counts[status] or 0) + 1
   local parts = {}
   for s, n in pairs(bad_counts) do
      table.insert(parts, s .. "=" .. n)
   end
   bad_statuses = table.concat(parts, ";")
   if first_bad_status == 0 then
      first_bad_status = status
      first_bad_body = string.sub(body or "", 1, 300)
   end
end

local function json_string(s)
   s = string.gsub(s, '[%c"\\]', function(c)
      if c == '"' then return '\\"' end
      if c == "\\" then return "\\\\" end
      return string.format("\\u%04x", string.byte(c))
   end)
   return '"' .. s .. '"'
end

function done(summary, latency, requests)
   local total_ok, total_non200, total_responses = 0, 0, 0
   local statuses = {}
   local first_status, first_body = 0, ""
   for _, thread in ipairs(threads) do
      total_responses = total_responses + (thread:get("responses") or 0)
      total_ok = total_ok + (thread:get("ok200") or 0)
      total_non200 = total_non200 + (thread:get("non200") or 0)
      local bad = thread:get("bad_statuses") or ""
      for s, n in string.gmatch(bad, "(%d+)=(%d+)") do
         statuses[s] = (statuses[s] or 0) + tonumber(n)
      end
      local fs = thread:get("first_bad_status") or 0
      if first_status == 0 and fs ~= 0 then
         first_status = fs
         first_body = thread:get("first_bad_body") or ""
      end
   end
   statuses["200"] = total_ok

   local status_parts = {}
   for s, n in pairs(statuses) do
      table.insert(status_parts, string.format('"%s":%d', s, n))
   end
   local seconds = summary.duration / 1e6
   local e = summary.errors
   io.write(string.format(
      'JSON {"requests":%d,"responses":%d,"duration_us":%d,"rps":%.3f,"bytes":%d,' ..
      '"latency_us":{"min":%d,"mean":%.3f,"stdev":%.3f,"max":%d,"p50":%d,"p90":%d,"p99":%d,"p99_9":%d},' ..
      '"non200":%d,"statuses":{%s},"first_bad_status":%d,"first_bad_body":%s,' ..
      '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d}}\n',
      summary.requests, total_responses, summary.duration, summary.requests / seconds, summary.bytes,
      latency.min, latency.mean, latency.stdev, latency.max,
      latency:percentile(50), latency:percentile(90), latency:percentile(99), latency:percentile(99.9),
      total_non200, table.concat(status_parts, ","), first_status, json_string(first_body),
      e.connect, e.read, e.write, e.status, e.timeout))
end
