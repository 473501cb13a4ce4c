#!/usr/bin/env bash
# Accounts created per second through the admin API, under each password-hashing profile.
#   bench/users.sh [--duration 10s] [--warmup 5s] [--connections 4] [--no-build]
# For each of Standard and Fast: a fresh server (Release, fresh SQLite, Development — Fast is refused anywhere
# else — with the demo admin client), an unrecorded warm-up, then wrk POSTs a new user per request to
# /admin/api/users (UserManager: name and password rules, the hash, the row, the audit event). Prints users/s,
# p99 and non-2xx for each profile, and the number of accounts the database holds afterwards. A third run creates
# accounts without a password (no strength check, no hash): what the rest of the path costs.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
duration=10s warmup=5s connections=4 build=1
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) duration=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
out="$here/results/users-$(date -u +%Y%m%d-%H%M%S)"
mkdir -p "$out"
if [ "$build" = 1 ]; then
  echo "building (Release)…"
  dotnet publish "$root/Server" -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o "$here/out/server" -v quiet -nologo >/dev/null
fi

port=5103 base="http://127.0.0.1:5103"
server_pid=""
trap '[ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true' EXIT
rows=()
for profile in Standard Fast NoPassword; do
  hashing=$profile nopassword=0
  [ "$profile" = NoPassword ] && hashing=Standard nopassword=1
  (cd "$here/out/server" && exec env ASPNETCORE_ENVIRONMENT=Development ASPNETCORE_URLS="$base" \
    Logging__LogLevel__Default=Warning Logging__LogLevel__Microsoft.Hosting.Lifetime=Information \
    IdentityServer__Keys__Directory="$out/keys" IdentityServer__Accounts__Email__PickupDirectory="$out/mail-$profile" \
    IdentityServer__Database__ConnectionString="Data Source=$out/$profile.db" \
    IdentityServer__Accounts__PasswordHashing="$hashing" IdentityServer__RateLimits__AdminRequestsPerMinutePerAddress=1000000 \
    dotnet IdentityServer.dll >>"$out/server-$profile.log" 2>&1) &
  server_pid=$!
  until curl -sf -o /dev/null "$base/.well-known/openid-configuration"; do
    kill -0 "$server_pid" 2>/dev/null || { echo "the server exited; see $out/server-$profile.log" >&2; tail -20 "$out/server-$profile.log" >&2; exit 1; }
    sleep 0.05
  done
  token=$(curl -sf -u admin-cli:admin-cli-secret-change-me-0123456789 -d grant_type=client_credentials -d "scope=admin.read admin.write" \
    "$base/connect/token" | sed -nE 's/.*"access_token": *"([^"]+)".*/\1/p')
  export NOPASSWORD=$nopassword
  TOKEN=$token PREFIX="warm-$profile" wrk -t1 -c"$connections" -d"$warmup" -s "$here/lua/create_user.lua" "$base" >/dev/null 2>&1 || true
  log="$out/$profile.txt"
  cpu0=$(awk '{ print $14 + $15 }' "/proc/$server_pid/stat")
  TOKEN=$token PREFIX="$profile" wrk -t1 -c"$connections" -d"$duration" --latency -s "$here/lua/create_user.lua" "$base" >"$log" 2>&1 || true
  cpu1=$(awk '{ print $14 + $15 }' "/proc/$server_pid/stat")
  rps=$(awk '/Requests\/sec/ {printf "%.0f", $2}' "$log")
  # The server's CPU time (user + system) over the measured window, per account: steadier than users/s on a shared VM.
  cpu=$(awk -v a="$cpu0" -v b="$cpu1" -v hz="$(getconf CLK_TCK)" '/requests in/ { if ($1 > 0) printf "%.1f", (b - a) * 1000 / hz / $1 }' "$log")
  p99=$(awk '/^ +99%/ {print $2}' "$log")
  bad=$(awk '/Non-2xx/ {n = $5} END {print n + 0}' "$log")
  total=$(curl -sf -H "Authorization: Bearer $token" "$base/admin/api/users?pageSize=1" | sed -nE 's/.*"total": *([0-9]+).*/\1/p')
  rows+=("$(printf '%-10s %9s %9s %8s %10s %12s' "$profile" "${rps:-0}" "${p99:--}" "$bad" "$total" "${cpu:--}")")
  echo "  $profile: ${rps:-0} users/s, p99 ${p99:--}, non-2xx $bad, $total accounts in the database, ${cpu:--} ms CPU per account"
  kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""
done

{
  echo "# $(date -u +%Y-%m-%dT%H:%MZ) — $(nproc) cores, Release, SQLite, wrk -t1 -c$connections -d$duration, POST /admin/api/users"
  printf '%-10s %9s %9s %8s %10s %12s\n' profile "users/s" p99 non-2xx accounts "CPU ms/user"
  printf '%s\n' "${rows[@]}"
} | tee "$out/summary.txt"
