local f = io.open(os.getenv("BENCH_DATA") .. "/access.txt"); local token = f:read("*a"); f:close()
wrk.method = "POST"
wrk.path = "/connect/introspect"
-- The API the token was issued for (its audience, demo-api) asks; any other client would get {"active":false}.
wrk.body = "client_id=demo-api&client_secret=demo-api-secret-bench-demo-api-secret&token=" .. token
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
