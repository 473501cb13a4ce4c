#!/usr/bin/env bash
# Load benchmark of the whole server, in Release, on a fresh SQLite database.
#   bench/run.sh [--peer URL] [--peer-es256 URL] [--start-peers] [--duration 10s] [--connections 16] [--rounds 3]
# Prints one table: scenario, req/s, p50, p99, non-2xx, server peak RSS — and, with a peer, the ratios
# measured in this same run: client_credentials is measured against the peer --rounds times back to back
# (ours, peer, ours, peer…) and the median of the per-round ratios is reported. --start-peers launches ../shared/peer/run-oidc-provider.sh twice (RS256, ES256).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
duration=10s warmup=15s connections=16 rounds=3 peer="" peer_es="" start_peers=0
while [ $# -gt 0 ]; do
  case "$1" in
    --peer) peer=$2; shift 2 ;;
    --peer-es256) peer_es=$2; shift 2 ;;
    --start-peers) start_peers=1; shift ;;
    --duration) duration=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

out="$here/results/$(date -u +%Y%m%d-%H%M%S)"
mkdir -p "$out/data"
echo "building (Release)…"
dotnet publish "$root/Server" -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o "$here/out/server" -v quiet -nologo >/dev/null
dotnet build "$here/Prep" -c Release -o "$here/out/prep" -v quiet -nologo >/dev/null
cp "$here/appsettings.Bench.json" "$here/out/server/"

port=5101
base="http://127.0.0.1:$port"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

if [ "$start_peers" = 1 ]; then
  (ALG=RS256 PORT=3000 PEER_DIR=/tmp/oidc-provider-peer "$root/../shared/peer/run-oidc-provider.sh" >"$out/peer-rs256.log" 2>&1) & pids+=($!)
  (ALG=ES256 PORT=3001 PEER_DIR=/tmp/oidc-provider-peer "$root/../shared/peer/run-oidc-provider.sh" >"$out/peer-es256.log" 2>&1) & pids+=($!)
  peer=${peer:-http://127.0.0.1:3000/token} peer_es=${peer_es:-http://127.0.0.1:3001/token}
fi

server_pid=""
start_server() { # $1 = access token signing algorithm
  (cd "$here/out/server" && exec env ASPNETCORE_ENVIRONMENT=Bench ASPNETCORE_URLS="$base" \
    IdentityServer__Issuer="$base/" IdentityServer__Keys__Directory="$out/keys" \
    IdentityServer__Keys__AccessTokenSigningAlgorithm="$1" \
    IdentityServer__Database__ConnectionString="Data Source=$out/bench.db" \
    dotnet IdentityServer.dll >>"$out/server.log" 2>&1) &
  server_pid=$!
  pids+=("$server_pid")
}
wait_ready() { # prints seconds from $1 (start, ns) until discovery answers 200
  while ! curl -sf -o /dev/null "$base/.well-known/openid-configuration"; do
    kill -0 "$server_pid" 2>/dev/null || { echo "the server exited; see $out/server.log" >&2; tail -20 "$out/server.log" >&2; exit 1; }
    sleep 0.005
  done
  awk -v a="$1" -v b="$(date +%s%N)" 'BEGIN { printf "%.2f", (b - a) / 1e9 }'
}
stop_server() { kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; }
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$server_pid/stat" 2>/dev/null || echo 0; }
peak_rss() { awk '/VmHWM/ {printf "%dMB", $2/1024}' "/proc/$server_pid/status" 2>/dev/null || echo "?"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }

rows=()
run() { # $1 = name, $2 = url, $3 = lua script (optional), extra env in the caller
  local name=$1 url=$2 script=${3:-} log="$out/$1.txt"
  # Warm-up (JIT, caches, connection pools), not recorded. Codes and refresh tokens work once, so their
  # warm-up consumes a second prepared set (WARM=1 selects warm-codes.txt / warm-refresh.txt).
  WARM=1 wrk -t1 -c"$connections" -d"$warmup" ${script:+-s "$here/lua/$script"} "$url" >/dev/null 2>&1 || true
  local cpu0 cpu1 cpu
  cpu0=$(cpu_ticks)
  wrk -t1 -c"$connections" -d"$duration" --latency ${script:+-s "$here/lua/$script"} "$url" >"$log" 2>&1 || true
  cpu1=$(cpu_ticks)
  # The server's CPU time (user + system, from /proc) over the measured window, per request answered.
  cpu=$(awk -v a="$cpu0" -v b="$cpu1" -v hz="$(getconf CLK_TCK)" '/requests in/ { if ($1 > 0) printf "%.3f", (b - a) * 1000 / hz / $1 }' "$log")
  local rps p50 p99 bad
  rps=$(awk '/Requests\/sec/ {printf "%.0f", $2}' "$log")
  p50=$(awk '/^ +50%/ {print $2}' "$log")
  p99=$(awk '/^ +99%/ {print $2}' "$log")
  bad=$(awk '/Non-2xx/ {print $5}' "$log"); bad=${bad:-0}
  errs=$(awk '/Socket errors/ {print $0}' "$log")
  [ -n "$errs" ] && bad="$bad ($errs)"
  [ -n "${4:-}" ] && cpu="-"  # the peer is another process
  rows+=("$(printf '%-34s %9s %9s %9s %8s %9s %11s' "$name" "${rps:-0}" "${p50:--}" "${p99:--}" "$bad" "${4:-$(peak_rss)}" "${cpu:--}")")
  echo "  $name: ${rps:-0} req/s, p99 ${p99:--}, non-2xx $bad"
  eval "rps_$(echo "$name" | tr -c 'a-zA-Z0-9\n' '_')=${rps:-0}"
}

measure() { wrk -t1 -c"$connections" -d"$duration" -s "$here/lua/client_credentials.lua" "$1" 2>/dev/null | awk '/Requests\/sec/ {printf "%.0f", $2}'; }
median() { tr ' ' '\n' | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
# The VM's speed drifts by tens of percent over minutes, so one pair of runs can mislead: round 1 is the
# table's pair of rows, then each further round measures ours and the peer back to back.
duel() { # $1 = algorithm, $2 = the peer's token URL
  local alg=$1 purl=$2 ppath list o p
  ppath=$(echo "$purl" | sed -E 's#https?://[^/]+##')
  for i in $(seq 1 100); do curl -sf -o /dev/null "${purl%/token}/.well-known/openid-configuration" && break; sleep 0.2; done
  TOKEN_PATH=$ppath run "peer_client_credentials_$alg" "$purl" client_credentials.lua peer
  list=$(ratio "$(eval echo "\$rps_client_credentials_$alg")" "$(eval echo "\$rps_peer_client_credentials_$alg")")
  for _ in $(seq 2 "$rounds"); do
    o=$(measure "$base/connect/token"); p=$(TOKEN_PATH=$ppath measure "$purl")
    echo "  round: ours $o, peer $p"
    list="$list $(ratio "$o" "$p")"
  done
  eval "ratios_$alg=\"$list\""
}

export BENCH_DATA="$out/data"
echo "starting server (RS256 access tokens)…"
t0=$(date +%s%N); start_server RS256; first_start=$(wait_ready "$t0")
codes=$(( ${duration%s} * 1500 ))  # per set: enough for 1,500 exchanges/s; Prep makes a second set for the warm-up
dotnet "$here/out/prep/Prep.dll" "$base" "$out/data" "$codes" 64

# The introspection scenario must measure a real answer, not a rejection (which is also a 200).
curl -s -d "client_id=demo-api&client_secret=demo-api-secret-bench-demo-api-secret&token=$(cat "$out/data/access.txt")" \
  "$base/connect/introspect" | grep -q '"active": *true' || { echo "introspection of the prepared token is not active" >&2; exit 1; }

run client_credentials_RS256 "$base/connect/token" client_credentials.lua
[ -n "$peer" ] && duel RS256 "$peer"
run authorization_code "$base/connect/token" authorization_code.lua
run refresh_token "$base/connect/token" refresh_token.lua
run userinfo "$base/connect/userinfo" userinfo.lua
run introspection "$base/connect/introspect" introspect.lua
run discovery "$base/.well-known/openid-configuration"
run jwks "$base/.well-known/jwks"
stop_server

echo "restarting with ES256 access tokens (cold start on the existing database)…"
sleep 1
t0=$(date +%s%N); start_server ES256; cold=$(wait_ready "$t0")
run client_credentials_ES256 "$base/connect/token" client_credentials.lua
[ -n "$peer_es" ] && duel ES256 "$peer_es"
rows+=("$(printf '%-34s %9s %9s %9s %8s %9s %11s' "cold start → discovery" "-" "${cold}s" "-" "-" "-" "-")")

stop_server

{
  echo "# $(date -u +%Y-%m-%dT%H:%MZ) — $(nproc) cores, wrk -t1 -c$connections -d$duration, Release, fresh SQLite"
  printf '%-34s %9s %9s %9s %8s %9s %11s\n' scenario "req/s" p50 p99 non-2xx "peak RSS" "CPU ms/req"
  printf '%s\n' "${rows[@]}"
  [ -n "$peer" ] && echo "ratio client_credentials RS256 (ours / peer), per round: $ratios_RS256 — median $(echo "$ratios_RS256" | median)"
  [ -n "$peer_es" ] && echo "ratio client_credentials ES256 (ours / peer), per round: $ratios_ES256 — median $(echo "$ratios_ES256" | median)"
  echo "first start (migrations + seeding) → discovery: ${first_start}s"
} | tee "$out/summary.txt"
