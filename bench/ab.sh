#!/usr/bin/env bash
# A/B of one scenario across commits, side by side: each commit is published (Release, as run.sh does) into
# bench/out/ab/<commit>, all of them are started at once on their own ports and fresh SQLite files, warmed up,
# then measured in short bursts in rotating order, so the machine's drift (2–3× over an hour) falls on every
# build alike. Prints each build's requests/s and server CPU per request over all its bursts.
#   bench/ab.sh [--rounds 40] [--burst 2] [--alg ES256] [--lua client_credentials.lua] REV [REV...]
# Repeat a REV (e.g. `main main`) to see the noise between identical builds.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
rounds=40 burst=2 alg=ES256 lua=client_credentials.lua revs=()
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds=$2; shift 2 ;;
    --burst) burst=$2; shift 2 ;;
    --alg) alg=$2; shift 2 ;;
    --lua) lua=$2; shift 2 ;;
    *) revs+=("$1"); shift ;;
  esac
done
[ ${#revs[@]} -ge 2 ] || { echo "usage: bench/ab.sh [options] REV REV [REV...]" >&2; exit 2; }
command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

pids=() ports=() dirs=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
for i in "${!revs[@]}"; do
  sha=$(git -C "$root" rev-parse --short "${revs[$i]}")
  d="$here/out/ab/$sha"
  if [ ! -f "$d/out/IdentityServer.dll" ]; then
    echo "publishing $sha…"
    rm -rf "$d/src"; mkdir -p "$d"
    git -C "$root" archive "$sha" | tar -x -C "$d" --one-top-level=src
    dotnet publish "$d/src/Server" -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o "$d/out" -v quiet -nologo >/dev/null
  fi
  cp "$here/appsettings.Bench.json" "$d/out/"
  run="$d/run-$i"; rm -rf "$run"; mkdir -p "$run"; port=$((5301 + i))
  (cd "$d/out" && exec env ASPNETCORE_ENVIRONMENT=Bench ASPNETCORE_URLS="http://127.0.0.1:$port" IdentityServer__Issuer="http://127.0.0.1:$port/" \
    IdentityServer__Keys__Directory="$run/keys" IdentityServer__Keys__AccessTokenSigningAlgorithm="$alg" \
    IdentityServer__Database__ConnectionString="Data Source=$run/bench.db" \
    dotnet IdentityServer.dll >"$run/server.log" 2>&1) &
  pids+=($!) ports+=("$port") dirs+=("$sha")
done
for i in "${!ports[@]}"; do
  until curl -sf -o /dev/null "http://127.0.0.1:${ports[$i]}/.well-known/openid-configuration"; do
    kill -0 "${pids[$i]}" 2>/dev/null || { echo "${dirs[$i]} exited; see its server.log" >&2; exit 1; }
    sleep 0.05
  done
  wrk -t1 -c16 -d6s -s "$here/lua/$lua" "http://127.0.0.1:${ports[$i]}/connect/token" >/dev/null 2>&1
done
n=${#revs[@]}; req=() cpu=() bad=0
for r in $(seq 1 "$rounds"); do
  for s in $(seq 0 $((n - 1))); do
    i=$(( (s + r) % n ))
    c0=$(awk '{ print $14 + $15 }' "/proc/${pids[$i]}/stat")
    out=$(wrk -t1 -c16 -d"${burst}s" -s "$here/lua/$lua" "http://127.0.0.1:${ports[$i]}/connect/token" 2>&1)
    c1=$(awk '{ print $14 + $15 }' "/proc/${pids[$i]}/stat")
    req[$i]=$(( ${req[$i]:-0} + $(echo "$out" | awk '/requests in/ { print $1 }') ))
    cpu[$i]=$(( ${cpu[$i]:-0} + c1 - c0 ))
    echo "$out" | grep -q "Non-2xx" && bad=1
  done
done
echo "# $(date -u +%Y-%m-%dT%H:%MZ) — $(nproc) cores, $lua, $alg, wrk -t1 -c16, $rounds rounds of ${burst} s bursts per build"
for i in "${!revs[@]}"; do
  awk -v n="${revs[$i]} (${dirs[$i]})" -v q="${req[$i]}" -v c="${cpu[$i]}" -v hz="$(getconf CLK_TCK)" -v t=$((rounds * burst)) \
    'BEGIN { printf "%-28s %7.0f req/s  CPU %.4f ms/req\n", n, q / t, c * 1000 / hz / q }'
done
[ "$bad" = 0 ] || { echo "some answers were not 2xx" >&2; exit 1; }
