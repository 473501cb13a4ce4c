#!/usr/bin/env bash
# Prune benchmark: a SQLite database with 1,000,000 token rows (60 % prunable) is pruned by the
# command-line run while client_credentials load hits the running server.
#   bench/prune.sh [--rows 1000000] [--share 0.6]
# Prints the prune duration and, for the load during the prune, req/s, worst p99 and non-2xx.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
rows=1000000 share=0.6
while [ $# -gt 0 ]; do
  case "$1" in
    --rows) rows=$2; shift 2 ;;
    --share) share=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
out="$here/results/prune-$(date -u +%Y%m%d-%H%M%S)"
mkdir -p "$out"
dotnet publish "$root/Server" -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o "$here/out/server" -v quiet -nologo >/dev/null
cp "$here/appsettings.Bench.json" "$here/out/server/"
port=5103 base="http://127.0.0.1:5103"
serve() { (cd "$here/out/server" && exec env ASPNETCORE_ENVIRONMENT=Bench ASPNETCORE_URLS="$base" IdentityServer__Issuer="$base/" \
  IdentityServer__Keys__Directory="$out/keys" "IdentityServer__Database__ConnectionString=Data Source=$out/bench.db" dotnet IdentityServer.dll "$@"); }

serve >"$out/server.log" 2>&1 & server=$!
trap 'kill $server 2>/dev/null || true' EXIT
until curl -sf -o /dev/null "$base/.well-known/openid-configuration"; do kill -0 $server || exit 1; sleep 0.1; done
echo "seeding $rows token rows…"
python3 "$here/seed_tokens.py" "$out/bench.db" "$rows" "$share"
echo "warming up…"
wrk -t1 -c16 -d15s -s "$here/lua/client_credentials.lua" "$base/connect/token" >/dev/null

echo "pruning under load…"
start=$(date +%s%N)
serve prune >"$out/prune.log" 2>&1 & pruner=$!
worst=0 total_bad=0 windows=0 rps_sum=0
while kill -0 $pruner 2>/dev/null; do
  wrk -t1 -c16 -d3s --latency -s "$here/lua/client_credentials.lua" "$base/connect/token" >"$out/window.txt" 2>&1 || true
  p99=$(awk '/^ +99%/ {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v*=1000}; print v}' "$out/window.txt")
  bad=$(awk '/Non-2xx/ {print $5} /Socket errors/ {print 1}' "$out/window.txt" | awk '{s+=$1} END {print s+0}')
  rps=$(awk '/Requests\/sec/ {print $2}' "$out/window.txt")
  worst=$(awk -v a="$worst" -v b="${p99:-0}" 'BEGIN {print (b > a ? b : a)}')
  total_bad=$((total_bad + bad)); windows=$((windows + 1)); rps_sum=$(awk -v a="$rps_sum" -v b="${rps:-0}" 'BEGIN {print a + b}')
done
wait $pruner
elapsed=$(awk -v a="$start" -v b="$(date +%s%N)" 'BEGIN { printf "%.1f", (b - a) / 1e9 }')
left=$(python3 -c "import sqlite3; print(sqlite3.connect('$out/bench.db').execute('select count(*) from OpenIddictTokens').fetchone()[0])")
{
  echo "# $(date -u +%Y-%m-%dT%H:%MZ) — $(nproc) cores, $rows token rows, ${share} prunable, Release, SQLite (WAL)"
  echo "prune: $(tail -1 "$out/prune.log")"
  echo "prune wall time (process start → exit): ${elapsed}s; rows left: $left"
  echo "client_credentials during the prune (wrk -t1 -c16, ${windows} windows of 3 s): $(awk -v a="$rps_sum" -v n="$windows" 'BEGIN {printf "%.0f", (n ? a / n : 0)}') req/s, worst p99 ${worst} ms, non-2xx/errors ${total_bad}"
} | tee "$out/summary.txt"
