local f = io.open(os.getenv("BENCH_DATA") .. "/access.txt"); local token = f:read("*a"); f:close()
wrk.method = "POST"
wrk.path = "/connect/introspect"
wrk.body = "client_id=bench&client_secret=bench-secret-bench-secret-bench-1&token=" .. token
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
