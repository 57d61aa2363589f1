#!/usr/bin/env bash
# Runs TiesOffice locally on the demo tenant: Azurite (in memory), the Graph simulator seeded from the Enron
# log and shifted to today, the fake Teams channel (the bot's Connector, with a page to chat with the bot), and the DevHost. Enrols every user, syncs and scores them, prints a summary and one
# user's network, then keeps running (the timer keeps syncing) until Ctrl+C.
#
# Usage: scripts/demo.sh [--user ADDRESS] [--data PATH] [--interval SECONDS] [--no-wait]
#   --user      whose network to show (default: the user with the most two-way ties)
#   --data      the mail-metadata log folder (default ../shared/data/enron)
#   --interval  seconds between scheduled syncs (default 300, so the first tick comes after the first full sync)
#   --no-wait   print the summary and stop instead of running until Ctrl+C
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

user="" data="$root/../shared/data/enron" interval=300 wait_forever=1
while [ $# -gt 0 ]; do
  case "$1" in
    --user) user="${2:?--user needs an address}"; shift 2 ;;
    --data) data="${2:?--data needs a folder}"; shift 2 ;;
    --interval) interval="${2:?--interval needs seconds}"; shift 2 ;;
    --no-wait) wait_forever=0; shift ;;
    -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "demo: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done
[[ "$interval" =~ ^[0-9]+$ ]] && [ "$interval" -ge 5 ] || { echo "demo: --interval must be a whole number of seconds, at least 5" >&2; exit 2; }
[ -f "$data/messages.tsv" ] || { echo "demo: no messages.tsv in '$data' (pass --data FOLDER)" >&2; exit 2; }
for tool in dotnet npm curl; do command -v $tool >/dev/null || { echo "demo: '$tool' is required but not installed" >&2; exit 2; }; done

AZ_BLOB=41000 AZ_QUEUE=41001 AZ_TABLE=41002 SIM_PORT=5599 HOST_PORT=5080 TEAMS_PORT=5690
BOT_APP_ID=00000000-0000-0000-0000-00000000d3e0 BOT_SECRET=demo-only-bot-secret
for port in $AZ_BLOB $AZ_QUEUE $AZ_TABLE $SIM_PORT $HOST_PORT $TEAMS_PORT; do
  if (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null; then echo "demo: port $port is already in use (another demo running?)" >&2; exit 2; fi
done

state="$root/.demo"; rm -rf "$state"; mkdir -p "$state"
pids=()
cleanup() {
  trap - INT TERM EXIT
  echo; echo "==> Stopping"
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  # Wait for the services to exit (each shuts down gracefully on SIGTERM), then end any helper such as the idle sleep.
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  kill $(jobs -p) 2>/dev/null || true
  echo "    stopped; logs were in $state"
}
trap cleanup INT TERM EXIT

step() { printf '\n==> %s\n' "$*"; }
wait_for() { # url name seconds
  local i
  for ((i = 0; i < $3 * 2; i++)); do
    curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
    sleep 0.5
  done
  echo "demo: $2 did not start; see $state/$2.log" >&2; tail -n 20 "$state/$2.log" >&2; exit 1
}

wait_for_port() { # port name seconds
  local i
  for ((i = 0; i < $3 * 2; i++)); do
    (exec 3<>/dev/tcp/127.0.0.1/$1) 2>/dev/null && return 0
    sleep 0.5
  done
  echo "demo: $2 did not start; see $state/$2.log" >&2; tail -n 20 "$state/$2.log" >&2; exit 1
}

start=$(date +%s)
step "Installing Node tools (Azurite) and building (Release)"
[ -x node_modules/.bin/azurite ] || npm ci --no-audit --no-fund --loglevel=error
dotnet build TiesOffice.sln -c Release --nologo -v quiet >"$state/build.log" 2>&1 || { tail -n 30 "$state/build.log"; exit 1; }

step "Building the Teams tab (src/TiesOffice.Tab)"
( cd src/TiesOffice.Tab && { [ -d node_modules ] || npm ci --no-audit --no-fund --loglevel=error; } && npm run build --silent ) >"$state/tab-build.log" 2>&1 \
  || { tail -n 30 "$state/tab-build.log"; exit 1; }

step "Starting Azurite (in memory) on 127.0.0.1:$AZ_TABLE"
node_modules/.bin/azurite --inMemoryPersistence --silent --disableTelemetry --skipApiVersionCheck --loose \
  --blobHost 127.0.0.1 --blobPort $AZ_BLOB --queueHost 127.0.0.1 --queuePort $AZ_QUEUE --tableHost 127.0.0.1 --tablePort $AZ_TABLE \
  >"$state/azurite.log" 2>&1 &
pids+=($!)
storage="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:$AZ_BLOB/devstoreaccount1;QueueEndpoint=http://127.0.0.1:$AZ_QUEUE/devstoreaccount1;TableEndpoint=http://127.0.0.1:$AZ_TABLE/devstoreaccount1;"
wait_for_port $AZ_TABLE azurite 30 && wait_for_port $AZ_QUEUE azurite 30

step "Starting the Graph simulator ($(basename "$data"), shifted to today) on 127.0.0.1:$SIM_PORT"
dotnet src/TiesOffice.GraphSimulator/bin/Release/net10.0/TiesOffice.GraphSimulator.dll \
  --data "$data" --shift-to-now --urls "http://127.0.0.1:$SIM_PORT" >"$state/simulator.log" 2>&1 &
pids+=($!)
wait_for "http://127.0.0.1:$SIM_PORT/_sim/stats" simulator 60

step "Starting the fake Teams channel on https://127.0.0.1:$TEAMS_PORT"
# Its users are the simulator's first five (same ids, the demo tenant), so installing the bot there enrols a real demo user.
demo_tenant="de770000-0000-4000-8000-000000000001" # the DevHost's Demo:TenantId default (a GUID, as Entra tenant ids are)
teams_users=()
while IFS=$'\t' read -r id address name; do teams_users+=(--user "$id,$name,$address"); done < <(
  curl -fsS "http://127.0.0.1:$SIM_PORT/_sim/users" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{for(const u of JSON.parse(s).slice(0,5))console.log([u.id,u.address,(u.displayName||u.address).replace(/[,\t]/g," ")].join("\t"))})')
renderer=""
[ -f tests/bot-node/node_modules/adaptivecards/dist/adaptivecards.min.js ] && renderer="tests/bot-node/node_modules/adaptivecards/dist/adaptivecards.min.js"
dotnet src/TiesOffice.FakeTeams/bin/Release/net10.0/TiesOffice.FakeTeams.dll --urls "https://127.0.0.1:$TEAMS_PORT" \
  --bot "http://127.0.0.1:$HOST_PORT/api/messages" --cert-out "$state/teams.pem" --app-id "$BOT_APP_ID" --secret "$BOT_SECRET" \
  --tenant "$demo_tenant" "${teams_users[@]}" ${renderer:+--renderer "$renderer"} >"$state/teams.log" 2>&1 &
pids+=($!)
wait_for_port $TEAMS_PORT teams 60
for ((i = 0; i < 60; i++)); do [ -s "$state/teams.pem" ] && break; sleep 0.5; done

step "Starting the DevHost on http://127.0.0.1:$HOST_PORT"
# Proactive__*: no quiet hours, so the demo user's digest can arrive whatever the hour and day the demo runs
# (a deployment keeps the default: 20:00-08:00 and weekends, docs/Bot.md).
ASPNETCORE_ENVIRONMENT=Development ASPNETCORE_URLS="http://127.0.0.1:$HOST_PORT" \
Graph__BaseUrl="http://127.0.0.1:$SIM_PORT/v1.0" Graph__DevelopmentToken=true \
Storage__ConnectionString="$storage" Storage__ContactKeySecret="demo-only-secret" \
Tab__Path="$root/src/TiesOffice.Tab/dist" Pane__Path="$root/src/TiesOffice.Tab/dist-pane" \
SyncSchedule__Interval="$(printf "%02d:%02d:%02d" $((interval / 3600)) $((interval % 3600 / 60)) $((interval % 60)))" Demo__SimulatorUrl="http://127.0.0.1:$SIM_PORT" \
Bot__AppId="$BOT_APP_ID" Bot__Credential=ClientSecret Bot__ClientSecret="$BOT_SECRET" \
Bot__OpenIdMetadataUrl="https://127.0.0.1:$TEAMS_PORT/v1/.well-known/openidconfiguration" Bot__TokenEndpoint="https://127.0.0.1:$TEAMS_PORT/" \
Bot__AllowedServiceUrls=127.0.0.1 Bot__LoopbackRootCertificatePath="$state/teams.pem" \
Proactive__QuietDays=none Proactive__QuietFrom=00:00 Proactive__QuietUntil=00:00 \
Logging__LogLevel__Default=Warning \
  dotnet src/TiesOffice.DevHost/bin/Release/net10.0/TiesOffice.DevHost.dll >"$state/devhost.log" 2>&1 &
pids+=($!)
wait_for "http://127.0.0.1:$HOST_PORT/api/health" devhost 60

step "Enrolling every user and queueing their first sync"
sync_start=$(date +%s)
curl -fsS -X POST "http://127.0.0.1:$HOST_PORT/api/dev/enrol-all" -o "$state/enrol.json"
echo "    $(cat "$state/enrol.json")"

step "Syncing and scoring"
declare -A s
read_status() { # [tiers]: also count ties per tier (reads every tie; only for the summary)
  local line kv
  line=$(curl -fsS "http://127.0.0.1:$HOST_PORT/api/dev/status?format=text&tiers=${1:-false}") || return 1
  for kv in $line; do s[${kv%%=*}]=${kv#*=}; done
}
while :; do
  read_status || { echo "demo: the DevHost stopped answering; see $state/devhost.log" >&2; exit 1; }
  printf '\r    %3d of %3d users scored, %4d jobs queued, %d poisoned, %3d s ' "${s[scored]}" "${s[enrolled]}" "${s[pending]}" "${s[poison]}" $(( $(date +%s) - sync_start ))
  # Done when every user has been synced and scored once (a user with an empty mailbox would have no ties, so
  # an idle queue ends the wait too).
  if [ "${s[scored]}" -ge "${s[enrolled]}" ]; then break; fi
  if [ "${s[pending]}" -eq 0 ] && [ $(( $(date +%s) - sync_start )) -gt 30 ]; then sleep 2; read_status; [ "${s[pending]}" -eq 0 ] && break; fi
  sleep 1
done
echo
end=$(date +%s)
traffic=$(curl -fsS "http://127.0.0.1:$HOST_PORT/api/dev/traffic?format=text")
declare -A t; for kv in $traffic; do t[${kv%%=*}]=${kv#*=}; done

read_status true
rescore=$(curl -fsS -X POST "http://127.0.0.1:$HOST_PORT/api/dev/rescore-all?format=text")
declare -A r; for kv in $rescore; do r[${kv%%=*}]=${kv#*=}; done

step "Summary"
printf '    users enrolled       %6d (scored %d)\n' "${s[enrolled]}" "${s[scored]}"
printf '    ties                 strong %d, weak %d, dormant %d, pseudo %d\n' "${s[strong]}" "${s[weak]}" "${s[dormant]}" "${s[pseudo]}"
printf '    Graph requests       %6d (%d KB; %d throttled; max %d concurrent per mailbox)\n' "${t[requests]}" $(( ${t[bytes]} / 1024 )) "${t[throttled]}" "${t[maxConcurrency]}"
storage=$(( ${t[tableTransactions]} + ${t[queueTransactions]} ))
printf '    storage transactions %6d (%d per user: tables %d, queue %d; this script'"'"'s progress polls made %d more)\n' "$storage" $(( storage / (${s[enrolled]} > 0 ? ${s[enrolled]} : 1) )) "${t[tableTransactions]}" "${t[queueTransactions]}" "${t[progressTransactions]}"
printf '    sync and scoring     %6d s\n' $(( end - sync_start ))
printf '    re-score everyone    %6d ms (%d ties, from saved ledgers)\n' "${r[milliseconds]}" "${r[ties]}"
printf '    command to summary   %6d s\n' $(( end - start ))

step "The tab"
echo "    http://127.0.0.1:$HOST_PORT/tab/  (pick a demo user to sign in and see that user's network)"
echo "    http://127.0.0.1:$HOST_PORT/dev-pane/  (the Outlook sender pane, with a stand-in for Office.js)"

step "One user's network"
curl -fsS -G "http://127.0.0.1:$HOST_PORT/api/dev/network" --data-urlencode "user=$user" --data-urlencode "top=5" | sed 's/^/    /'

step "The demo user's weekly digest, through the proactive path"
# The first fake-Teams user installs the app (the bot stores the conversation reference); the dev API then makes that
# user's digest due now (digest day and time = today, this minute, in the user's time zone) and queues the user's sync,
# whose proactive step sends the digest card to the fake channel.
demo_teams_user=${teams_users[1]} # "OBJECTID,NAME,EMAIL" of the first --user
curl -fsS --cacert "$state/teams.pem" -X POST "https://127.0.0.1:$TEAMS_PORT/_fake/install/0" -o /dev/null
curl -fsS -X POST "http://127.0.0.1:$HOST_PORT/api/dev/digest-due?user=${demo_teams_user%%,*}" -o "$state/digest-due.json"
digest_arrived=0
for ((i = 0; i < 120; i++)); do
  if curl -fsS --cacert "$state/teams.pem" "https://127.0.0.1:$TEAMS_PORT/_fake/transcript/0" | grep -q "Your week in ties"; then digest_arrived=1; break; fi
  sleep 1
done
demo_name=${demo_teams_user#*,}; demo_name=${demo_name%%,*}
if [ "$digest_arrived" -eq 1 ]; then
  echo "    the digest of $demo_name arrived: https://127.0.0.1:$TEAMS_PORT/ (self-signed certificate), user \"$demo_name\""
else
  echo "    the digest of $demo_name did not arrive within 120 s; see $state/devhost.log and $state/digest-due.json" >&2
fi

if [ "$wait_forever" -eq 0 ]; then exit 0; fi
cat <<EOM

==> Running. The DevHost syncs every ${interval} s.
    Open the tab: http://127.0.0.1:$HOST_PORT/tab/  (sign in by picking a demo user; add ?theme=dark for the dark theme)
    The Outlook pane: http://127.0.0.1:$HOST_PORT/dev-pane/  (type a sender; Office.js is a stand-in here)
    Try:
    curl -X POST http://127.0.0.1:$SIM_PORT/_sim/messages -H 'Content-Type: application/json' \\
      -d '{"from":"a@enron.com","to":["b@enron.com"],"subject":"hello"}'     (use real addresses from /_sim/users)
    curl 'http://127.0.0.1:$HOST_PORT/api/dev/network?user=ADDRESS'
    Chat with the bot: open https://127.0.0.1:$TEAMS_PORT/ (self-signed certificate), click "Install the app", type help.
    Logs: $state   Press Ctrl+C to stop.
EOM
while :; do sleep 3600 & wait $!; done
