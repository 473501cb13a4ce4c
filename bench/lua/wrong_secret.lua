-- A flood of client_credentials requests with a wrong secret (CLIENT, SECRET from the environment, as in
-- client_credentials.lua) that counts the answers by status, printed at the end.
dofile(os.getenv("BENCH_LUA") .. "/client_credentials.lua")
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init() s401, s429, sother = 0, 0, 0 end
function response(status)
  if status == 401 then s401 = s401 + 1 elseif status == 429 then s429 = s429 + 1 else sother = sother + 1 end
end
function done()
  local a, b, c = 0, 0, 0
  for _, t in ipairs(threads) do a = a + t:get("s401"); b = b + t:get("s429"); c = c + t:get("sother") end
  io.write(string.format("statuses: 401=%d 429=%d other=%d\n", a, b, c))
end
