-- Rotating refresh tokens: each one works once, so every response's new token goes back in the queue.
local queue = {}
local head, tail = 1, 0
function init(args)
  for line in io.lines(os.getenv("BENCH_DATA") .. "/" .. (os.getenv("WARM") and "warm-" or "") .. "refresh.txt") do tail = tail + 1; queue[tail] = line end
end
local function escape(s) return (s:gsub("[^%w%-_%.~]", function(c) return string.format("%%%02X", string.byte(c)) end)) end
function request()
  local token = queue[head]
  queue[head] = nil
  head = head + 1
  local body = "grant_type=refresh_token&client_id=bench-app&client_secret=bench-app-secret-bench-app-secret&refresh_token=" .. escape(token)
  return wrk.format("POST", "/connect/token", { ["Content-Type"] = "application/x-www-form-urlencoded" }, body)
end
function response(status, headers, body)
  local token = body:match('"refresh_token"%s*:%s*"([^"]+)"')
  if token then tail = tail + 1; queue[tail] = token end
end
