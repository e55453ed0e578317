-- wrk script for scripts/bench load: 90 % page reads, 10 % writes (a discussion reply or a
-- charter draft) as one signed-in leader. Reads TEJIDO_COOKIE, TEJIDO_CSRF, TEJIDO_SLUG and
-- TEJIDO_THREAD from the environment; prints one `load:` line with the status counts and the
-- latency figures (microseconds) at the end.

local cookie = os.getenv("TEJIDO_COOKIE")
local csrf = os.getenv("TEJIDO_CSRF")
local slug = os.getenv("TEJIDO_SLUG")
local thread = os.getenv("TEJIDO_THREAD")
-- The share of writes (0.10 unless TEJIDO_WRITE_SHARE says otherwise: the write storm uses 1).
local write_share = tonumber(os.getenv("TEJIDO_WRITE_SHARE") or "0.10")

local reads = {
  "/", "/communities", "/c/" .. slug, "/c/" .. slug .. "/discussions",
  "/c/" .. slug .. "/discussions/" .. thread, "/c/" .. slug .. "/network", "/library",
  "/search?q=red", "/c/" .. slug .. "/charter", "/c/" .. slug .. "/events", "/directory",
  "/c/" .. slug .. "/members",
}

local function esc(s)
  return (s:gsub("[^%w%-_%.~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

local threads = {}
local id = 0

function setup(thread)
  id = id + 1
  thread:set("id", id)
  table.insert(threads, thread)
end

function init(args)
  counts = {}
  n = 0
  math.randomseed(os.time() + id * 7919)
end

function request()
  n = n + 1
  local headers = { ["Cookie"] = cookie }
  if math.random() < write_share then
    headers["Content-Type"] = "application/x-www-form-urlencoded"
    if math.random() < 0.5 then
      local body = "_csrf=" .. esc(csrf) .. "&body=" .. esc("Respuesta de carga " .. n)
      return wrk.format("POST", "/c/" .. slug .. "/discussions/" .. thread .. "/replies", headers, body)
    end
    local body = "_csrf=" .. esc(csrf) .. "&mission-vision=" .. esc("Misión en carga " .. n)
      .. "&membership=" .. esc("Organizaciones de la red")
    return wrk.format("POST", "/c/" .. slug .. "/charter/edit", headers, body)
  end
  return wrk.format("GET", reads[math.random(#reads)], headers)
end

function response(status, headers, body)
  counts[status] = (counts[status] or 0) + 1
end

function done(summary, latency, requests)
  local total = {}
  for _, t in ipairs(threads) do
    local c = t:get("counts")
    for k, v in pairs(c) do total[k] = (total[k] or 0) + v end
  end
  local parts = {}
  for k, v in pairs(total) do table.insert(parts, k .. "=" .. v) end
  table.sort(parts)
  io.write(string.format(
    "load: requests=%d seconds=%.1f rps=%.1f p50=%d p99=%d max=%d timeouts=%d statuses=%s\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50), latency:percentile(99), latency.max, summary.errors.timeout,
    table.concat(parts, ",")))
end
