-- Creates one account per request through the admin API (POST /admin/api/users), as an administrator's script
-- would. TOKEN (an admin.write access token) and PREFIX come from the environment; every request names a new user.
-- NOPASSWORD=1 leaves the password out (the person would set one through the reset email): no strength check, no hash.
local token = os.getenv("TOKEN")
local prefix = os.getenv("PREFIX") or "u"
local password = os.getenv("NOPASSWORD") == "1" and "" or ',"password":"quarry lantern violet ridge 2026"'
local counter = 0
request = function()
  counter = counter + 1
  local body = string.format('{"userName":"%s-%d"%s}', prefix, counter, password)
  return wrk.format("POST", "/admin/api/users", { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token }, body)
end
