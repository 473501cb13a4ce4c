-- Redeems a different, prepared authorization code on every request (codes work once).
local codes = {}
local next_code = 1
function init(args)
  for line in io.lines(os.getenv("BENCH_DATA") .. "/" .. (os.getenv("WARM") and "warm-" or "") .. "codes.txt") do codes[#codes + 1] = line end
end
local function escape(s) return (s:gsub("[^%w%-_%.~]", function(c) return string.format("%%%02X", string.byte(c)) end)) end
function request()
  -- Never around again: a replayed code revokes its grant, and with it every code, access and refresh token
  -- prepared in the same session (the later scenarios' too). A fast warm-up that uses up its set stops early.
  if next_code > #codes then
    wrk.thread:stop()
    return wrk.format("GET", "/health/live")
  end
  local code = codes[next_code]
  next_code = next_code + 1
  local body = "grant_type=authorization_code&client_id=bench-app&client_secret=bench-app-secret-bench-app-secret" ..
    "&redirect_uri=" .. escape("http://127.0.0.1:9/cb") ..
    "&code_verifier=bench-verifier-bench-verifier-bench-verifier-0123456789&code=" .. escape(code)
  return wrk.format("POST", "/connect/token", { ["Content-Type"] = "application/x-www-form-urlencoded" }, body)
end
