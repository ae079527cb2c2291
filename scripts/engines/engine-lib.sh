# Shared by kafka.sh and cassandra.sh: fetch with mvn into the cache once, start in the background with a pid file,
# wait until the port answers, stop (TERM, then KILL after 30 s), and the up|down|status|reset commands.
# The sourcing script sets: engine, pom, cache, run, port, pidfile, log_file, wait_seconds, and defines
# configure (write config, format storage) and launch (start the process in the background, stdout to $run/stdout.log).

log() { echo "$engine.sh: $*" >&2; }
running() { [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; }
answers() { (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; }

fetch() {
  if [ -f "$cache/libs/.complete" ]; then return; fi
  log "fetching $engine from Maven Central into $cache/libs (once) …"
  mkdir -p "$cache"
  mvn -q -B -f "$pom" dependency:copy-dependencies -DoutputDirectory="$cache/libs" -DincludeScope=runtime
  touch "$cache/libs/.complete"
}

up() {
  if running; then log "already running on 127.0.0.1:$port (pid $(cat "$pidfile"))"; return; fi
  if answers; then log "something already listens on 127.0.0.1:$port; using it"; return; fi
  command -v java >/dev/null || { log "java not found: install Java 17"; exit 1; }
  command -v mvn >/dev/null || { log "mvn not found: install Maven"; exit 1; }
  fetch
  configure
  log "starting $engine on 127.0.0.1:$port (data in $run, log in $log_file)"
  launch
  echo $! > "$pidfile"
  for _ in $(seq 1 $((wait_seconds * 2))); do
    if answers; then log "ready"; return; fi
    if ! running; then log "$engine exited; see $run/stdout.log and $log_file"; tail -30 "$run/stdout.log" >&2 || true; exit 1; fi
    sleep 0.5
  done
  log "$engine did not answer on 127.0.0.1:$port within $wait_seconds s; see $log_file"; exit 1
}

down() {
  if ! running; then log "not running"; rm -f "$pidfile"; return; fi
  local pid; pid="$(cat "$pidfile")"
  kill "$pid"
  for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
  rm -f "$pidfile"
  log "stopped"
}

status() {
  if running; then echo "$engine running on 127.0.0.1:$port (pid $(cat "$pidfile")), data in $run"; else echo "$engine not running (cache $cache)"; return 1; fi
}

engine_main() {
  case "${1:-}" in
    up) up ;;
    down) down ;;
    status) status ;;
    reset) down; rm -rf "$run"; log "data deleted" ;;
    *) echo "usage: $0 up|down|status|reset" >&2; exit 2 ;;
  esac
}
