#!/usr/bin/env bash
# Runs a synthetic tenant end to end through the DevHost (Azurite in memory, the Graph simulator's synthetic tenant,
# the DevHost's queue worker) and measures, per phase, Graph requests and bytes, storage transactions and the CPU
# seconds of each process: the initial sync, an idle round, an incremental round with typical new mail (each person
# sends one message to three colleagues, so about four new messages per mailbox), a second idle round, and a
# backlog round: three fan-outs at once, as when ticks queue up behind a long sync, where a job that a newer sync
# has served should cost one read and no Graph request.
# A round is one fan-out (POST /api/dev/sync-now) run to the end. docs/Scale.md section 1 reports its figures.
#
# Usage: scripts/scale-run.sh [--mailboxes N] [--messages M] [--concurrency C] [--base-port P] [--state DIR]
#   --mailboxes    synthetic mailboxes (default 1000)
#   --messages     mean messages each person sends in the year (default 20)
#   --concurrency  users the DevHost syncs side by side (SyncSchedule:Concurrency, default 8)
#   --base-port    Azurite on P..P+2, the simulator on P+10, the DevHost on P+20 (default 46000)
#   --state        where logs and the figures go (default .scale-run)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

mailboxes=1000 messages=20 concurrency=8 base=46000 state="$root/.scale-run"
while [ $# -gt 0 ]; do
  case "$1" in
    --mailboxes) mailboxes="${2:?}"; shift 2 ;;
    --messages) messages="${2:?}"; shift 2 ;;
    --concurrency) concurrency="${2:?}"; shift 2 ;;
    --base-port) base="${2:?}"; shift 2 ;;
    --state) state="${2:?}"; shift 2 ;;
    -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "scale-run: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done

AZ_BLOB=$base AZ_QUEUE=$((base + 1)) AZ_TABLE=$((base + 2)) SIM_PORT=$((base + 10)) HOST_PORT=$((base + 20))
for port in $AZ_BLOB $AZ_QUEUE $AZ_TABLE $SIM_PORT $HOST_PORT; do
  if (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null; then echo "scale-run: port $port is already in use" >&2; exit 2; fi
done
sim_dll=src/TiesOffice.GraphSimulator/bin/Release/net10.0/TiesOffice.GraphSimulator.dll
host_dll=src/TiesOffice.DevHost/bin/Release/net10.0/TiesOffice.DevHost.dll
[ -f "$sim_dll" ] && [ -f "$host_dll" ] || { echo "scale-run: build first: dotnet build src/TiesOffice.DevHost -c Release && dotnet build src/TiesOffice.GraphSimulator -c Release" >&2; exit 2; }
[ -x node_modules/.bin/azurite ] || { echo "scale-run: run npm ci --prefer-offline first (Azurite)" >&2; exit 2; }

rm -rf "$state"; mkdir -p "$state"
pids=()
cleanup() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap cleanup INT TERM EXIT

wait_for() { # url name seconds
  local i
  for ((i = 0; i < $3 * 2; i++)); do curl -fsS -o /dev/null "$1" 2>/dev/null && return 0; sleep 0.5; done
  echo "scale-run: $2 did not start; see $state/$2.log" >&2; tail -n 20 "$state/$2.log" >&2; exit 1
}

node_modules/.bin/azurite --inMemoryPersistence --silent --disableTelemetry --skipApiVersionCheck --loose \
  --blobHost 127.0.0.1 --blobPort $AZ_BLOB --queueHost 127.0.0.1 --queuePort $AZ_QUEUE --tableHost 127.0.0.1 --tablePort $AZ_TABLE \
  >"$state/azurite.log" 2>&1 &
azurite_pid=$!; pids+=($azurite_pid)
for ((i = 0; i < 60; i++)); do (exec 3<>/dev/tcp/127.0.0.1/$AZ_TABLE) 2>/dev/null && break; sleep 0.5; done
storage="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:$AZ_BLOB/devstoreaccount1;QueueEndpoint=http://127.0.0.1:$AZ_QUEUE/devstoreaccount1;TableEndpoint=http://127.0.0.1:$AZ_TABLE/devstoreaccount1;"

dotnet "$sim_dll" --synthetic "$mailboxes" --synthetic-messages "$messages" --urls "http://127.0.0.1:$SIM_PORT" >"$state/simulator.log" 2>&1 &
sim_pid=$!; pids+=($sim_pid)
wait_for "http://127.0.0.1:$SIM_PORT/_sim/stats" simulator 300

# The timer is set to a day: the rounds are started by hand, one at a time.
ASPNETCORE_ENVIRONMENT=Development ASPNETCORE_URLS="http://127.0.0.1:$HOST_PORT" \
Graph__BaseUrl="http://127.0.0.1:$SIM_PORT/v1.0" Graph__DevelopmentToken=true \
Storage__ConnectionString="$storage" Storage__ContactKeySecret="scale-run-only-secret" \
SyncSchedule__Interval=1.00:00:00 SyncSchedule__Concurrency="$concurrency" Demo__SimulatorUrl="http://127.0.0.1:$SIM_PORT" \
Bot__AppId=00000000-0000-0000-0000-00000000d3e0 Bot__Credential=ClientSecret Bot__ClientSecret=scale-run-only-secret \
Logging__LogLevel__Default=Warning \
  dotnet "$host_dll" >"$state/devhost.log" 2>&1 &
host_pid=$!; pids+=($host_pid)
wait_for "http://127.0.0.1:$HOST_PORT/api/health" devhost 120

tck=$(getconf CLK_TCK)
cpu() { awk -v t="$tck" '{ printf "%.2f", ($14 + $15) / t }' "/proc/$1/stat"; }
declare -A t
traffic() { local kv; for kv in $(curl -fsS "http://127.0.0.1:$HOST_PORT/api/dev/traffic?format=text"); do t[${kv%%=*}]=${kv#*=}; done; }
declare -A prev
snapshot() { # fills prev[] with the counters now
  traffic
  prev[requests]=${t[requests]} prev[bytes]=${t[bytes]} prev[table]=${t[tableTransactions]} prev[queue]=${t[queueTransactions]}
  prev[host]=$(cpu $host_pid) prev[sim]=$(cpu $sim_pid) prev[azurite]=$(cpu $azurite_pid) prev[at]=$(date +%s)
}
# Waits until the round is over: no Graph request and no table transaction for three polls in a row (15 s). Queue
# transactions go on while idle: the DevHost's worker asks the empty queue for messages about once a second.
wait_quiet() {
  local last="" same=0 now
  while [ $same -lt 3 ]; do
    sleep 5
    traffic
    now="${t[requests]}/${t[tableTransactions]}"
    if [ "$now" = "$last" ]; then same=$((same + 1)); else same=0; fi
    last=$now
    printf '\r    %s requests, %s table and %s queue transactions, %d s ' "${t[requests]}" "${t[tableTransactions]}" "${t[queueTransactions]}" $(( $(date +%s) - prev[at] ))
  done
  echo
}
report() { # phase
  local host sim az wall
  host=$(cpu $host_pid) sim=$(cpu $sim_pid) az=$(cpu $azurite_pid) wall=$(( $(date +%s) - prev[at] - 15 ))
  traffic
  awk -v phase="$1" -v n="$mailboxes" -v r=$(( t[requests] - prev[requests] )) -v b=$(( t[bytes] - prev[bytes] )) \
      -v tt=$(( t[tableTransactions] - prev[table] )) -v qt=$(( t[queueTransactions] - prev[queue] )) \
      -v h="$(echo "$host - ${prev[host]}" | bc)" -v s="$(echo "$sim - ${prev[sim]}" | bc)" -v a="$(echo "$az - ${prev[azurite]}" | bc)" -v w="$wall" \
      -v load="$(cut -d' ' -f1-3 /proc/loadavg)" 'BEGIN {
        printf "%s: %d users; %d Graph requests (%.2f per user), %.1f MiB (%.1f KiB per user); table %d, queue %d transactions (%.1f per user); CPU s DevHost %.1f (%.1f ms per user), simulator %.1f (%.1f ms), Azurite %.1f (%.1f ms); about %d s wall; load %s\n",
          phase, n, r, r / n, b / 1048576, b / 1024 / n, tt, qt, (tt + qt) / n, h, h * 1000 / n, s, s * 1000 / n, a, a * 1000 / n, w, load }' | tee -a "$state/figures.txt"
}

echo "==> $mailboxes synthetic mailboxes ($messages messages sent per person); logs in $state"
echo "    $(grep -m1 'Graph simulator' "$state/simulator.log" || true)"
echo "==> Initial sync: enrol everyone (one immediate job each)"
snapshot
curl -fsS -X POST "http://127.0.0.1:$HOST_PORT/api/dev/enrol-all" >"$state/enrol.json"; echo "    $(cat "$state/enrol.json")"
wait_quiet
report initial
curl -fsS "http://127.0.0.1:$HOST_PORT/api/dev/status?format=text&tiers=false" | tee -a "$state/figures.txt"

round() { # phase
  echo "==> $1 round: one fan-out"
  snapshot
  curl -fsS -X POST "http://127.0.0.1:$HOST_PORT/api/dev/sync-now" >/dev/null
  wait_quiet
  report "$1"
}
round idle

echo "==> New mail: each person sends one message to three colleagues"
curl -fsS "http://127.0.0.1:$SIM_PORT/_sim/users" >"$state/users.json"
node -e '
  const users = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const base = process.argv[2]; let next = 0, failed = 0;
  async function worker() {
    while (next < users.length) {
      const i = next++, to = [1, 2, 3].map(k => users[(i + k) % users.length].address);
      const r = await fetch(base + "/_sim/messages", { method: "POST", headers: { "content-type": "application/json" },
        body: JSON.stringify({ from: users[i].address, to, subject: "scale run" }) });
      if (!r.ok) failed++;
    }
  }
  Promise.all(Array.from({ length: 8 }, worker)).then(() => { console.log(`    ${users.length} messages sent, ${failed} failed`); process.exit(failed ? 1 : 0); });
' "$state/users.json" "http://127.0.0.1:$SIM_PORT"
round incremental
round idle-2

echo "==> backlog round: three fan-outs back to back (every user's later two jobs should be served by its first)"
snapshot
for i in 1 2 3; do curl -fsS -X POST "http://127.0.0.1:$HOST_PORT/api/dev/sync-now" >/dev/null; done
wait_quiet
report backlog-3-fan-outs
echo "==> Figures in $state/figures.txt"
