#!/usr/bin/env bash
# A flood of wrong client secrets for `web` beside a normal client_credentials load for `machine`.
#   bench/flood.sh [--duration 10s] [--warmup 15s] [--connections 16] [--flood-connections 16] [--rounds 3] [--no-build]
# Each round measures the machine load alone, then the same load with the flood running beside it, on one
# server (Release, fresh SQLite, the default failure limits: appsettings.Bench.json raises only request rates).
# Prints machine's req/s and non-2xx in both, the ratio per round and its median, and the flood's statuses.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
duration=10s warmup=15s connections=16 flood_connections=16 rounds=3 build=1
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) duration=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    --flood-connections) flood_connections=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 BENCH_LUA="$here/lua"
out="$here/results/flood-$(date -u +%Y%m%d-%H%M%S)"
mkdir -p "$out"
if [ "$build" = 1 ]; then
  echo "building (Release)…"
  dotnet publish "$root/Server" -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o "$here/out/server" -v quiet -nologo >/dev/null
fi
cp "$here/appsettings.Bench.json" "$here/out/server/"

port=5102 base="http://127.0.0.1:5102"
(cd "$here/out/server" && exec env ASPNETCORE_ENVIRONMENT=Bench ASPNETCORE_URLS="$base" \
  IdentityServer__Issuer="$base/" IdentityServer__Keys__Directory="$out/keys" \
  IdentityServer__Database__ConnectionString="Data Source=$out/bench.db" \
  dotnet IdentityServer.dll >>"$out/server.log" 2>&1) &
server_pid=$!
trap 'kill $server_pid 2>/dev/null || true' EXIT
until curl -sf -o /dev/null "$base/.well-known/openid-configuration"; do
  kill -0 "$server_pid" 2>/dev/null || { echo "the server exited; see $out/server.log" >&2; tail -20 "$out/server.log" >&2; exit 1; }
  sleep 0.05
done

machine() { # $1 = log file; the normal load
  CLIENT=machine SECRET=machine-secret-bench-machine-secret-1 \
    wrk -t1 -c"$connections" -d"$duration" -s "$here/lua/client_credentials.lua" "$base/connect/token" >"$1" 2>&1 || true
}
flood() { # $1 = log file; wrong secrets for web, a little longer than the measured load so it covers it
  CLIENT=web SECRET=not-the-secret-of-web \
    wrk -t1 -c"$flood_connections" -d"$(( ${duration%s} + 2 ))s" -s "$here/lua/wrong_secret.lua" "$base/connect/token" >"$1" 2>&1 || true
}
rps() { awk '/Requests\/sec/ {printf "%.0f", $2}' "$1"; }
bad() { awk '/Non-2xx/ {n = $5} END {print n + 0}' "$1"; }

echo "warming up ($warmup)…"
CLIENT=machine SECRET=machine-secret-bench-machine-secret-1 \
  wrk -t1 -c"$connections" -d"$warmup" -s "$here/lua/client_credentials.lua" "$base/connect/token" >/dev/null 2>&1 || true

ratios="" lines=()
for i in $(seq 1 "$rounds"); do
  machine "$out/alone-$i.txt"
  flood "$out/flood-$i.txt" & fpid=$!
  sleep 1
  machine "$out/beside-$i.txt"
  wait "$fpid"
  a=$(rps "$out/alone-$i.txt") b=$(rps "$out/beside-$i.txt")
  r=$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.2f", (a > 0 ? b / a : 0) }')
  ratios="$ratios $r"
  lines+=("$(printf 'round %d: machine alone %6s req/s (non-2xx %s), beside the flood %6s req/s (non-2xx %s), ratio %s; flood %6s req/s, %s' \
    "$i" "$a" "$(bad "$out/alone-$i.txt")" "$b" "$(bad "$out/beside-$i.txt")" "$r" "$(rps "$out/flood-$i.txt")" "$(grep '^statuses' "$out/flood-$i.txt")")")
  echo "  ${lines[-1]}"
done

{
  echo "# $(date -u +%Y-%m-%dT%H:%MZ) — $(nproc) cores, machine wrk -t1 -c$connections -d$duration, flood wrk -t1 -c$flood_connections, Release, fresh SQLite"
  printf '%s\n' "${lines[@]}"
  echo "median ratio (beside / alone):$(echo "$ratios" | tr ' ' '\n' | grep . | sort -n | awk '{ a[NR] = $1 } END { print " " a[int((NR + 1) / 2)] }')"
} | tee "$out/summary.txt"
