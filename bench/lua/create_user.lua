-- Creates one account per request through the admin API (POST /admin/api/users), as an administrator's script
-- would. TOKEN (an admin.write access token) and PREFIX come from the environment; every request names a new user.
local token = os.getenv("TOKEN")
local prefix = os.getenv("PREFIX") or "u"
local counter = 0
request = function()
  counter = counter + 1
  local body = string.format('{"userName":"%s-%d","password":"quarry lantern violet ridge 2026"}', prefix, counter)
  return wrk.format("POST", "/admin/api/users", { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token }, body)
end
