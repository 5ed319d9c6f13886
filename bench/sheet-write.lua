-- wrk: each thread (one connection each) writes its own sheet's self-assessment in a loop,
-- each write from the version the last one answered, so every write is a real 200.
-- Environment: COOKIE, BODY (JSON with BASE_VERSION where the version goes), SHEETS
-- ("id:version id:version …", one per thread).
local threads, n = {}, 0

function setup(thread)
  n = n + 1
  thread:set("index", n)
  table.insert(threads, thread)
end

function init(args)
  local i = 0
  for pair in string.gmatch(os.getenv("SHEETS"), "%S+") do
    i = i + 1
    if i == index then
      sheet, version = string.match(pair, "(%d+):(%d+)")
    end
  end
  body = os.getenv("BODY")
  cookie = os.getenv("COOKIE")
  failed = 0
end

function request()
  local b = string.gsub(body, "BASE_VERSION", version)
  return wrk.format("PUT", "/api/sheets/" .. sheet .. "/self",
    { ["Content-Type"] = "application/json", ["Cookie"] = cookie }, b)
end

function response(status, headers, b)
  if status == 200 then
    version = string.match(b, '"version":(%d+)')
  else
    failed = failed + 1
  end
end

function done(summary, latency, requests)
  local f = 0
  for _, t in ipairs(threads) do f = f + t:get("failed") end
  io.write(string.format("non-200: %d\n", f))
end
