local f = io.open(os.getenv("BENCH_DATA") .. "/access.txt"); local token = f:read("*a"); f:close()
wrk.headers["Authorization"] = "Bearer " .. token
wrk.path = "/connect/userinfo"
