-- wrk script of the load test (run.sh): every request comes from request(), for both targets, so the
-- load generator does the same work per request whichever route it measures.
--
--   wrk -tT ... -s requests.lua http://127.0.0.1:PORT -- nearby POINTS_FILE T   rotate through the points
--   wrk -tT ... -s requests.lua http://127.0.0.1:PORT -- livez                  the trivial route
--
-- POINTS_FILE holds one "latitude longitude" pair a line; the requests are built once, in init().
-- Each of the T threads starts at its own place in the list (thread n at n/T of it) and goes round
-- it. done() prints one machine-readable RESULT line.

local threads = {}

function setup(thread)
   thread:set("thread_number", #threads)
   table.insert(threads, thread)
end

local requests = {}
local position = 1

function init(args)
   local mode = args[1]
   if mode == "livez" then
      requests[1] = wrk.format("GET", "/livez")
   elseif mode == "nearby" then
      for line in io.lines(args[2]) do
         local lat, lng = line:match("^(%S+)%s+(%S+)")
         if lat then
            requests[#requests + 1] = wrk.format("GET",
               "/v1/outlets/nearby?lat=" .. lat .. "&lng=" .. lng .. "&limit=10&radius=5000")
         end
      end
      if #requests == 0 then error("no points in " .. tostring(args[2])) end
   else
      error("usage: -- nearby POINTS_FILE | -- livez")
   end
   local thread_count = tonumber(args[3] or "1") or 1
   position = math.floor(#requests * (thread_number or 0) / thread_count) % #requests + 1
end

function request()
   local r = requests[position]
   position = position % #requests + 1
   return r
end

function done(summary, latency, requests)
   local e = summary.errors
   io.write(string.format(
      "RESULT requests=%d duration_us=%d bytes=%d p50_us=%d p99_us=%d connect=%d read=%d write=%d status=%d timeout=%d\n",
      summary.requests, summary.duration, summary.bytes, latency:percentile(50), latency:percentile(99),
      e.connect, e.read, e.write, e.status, e.timeout))
end
