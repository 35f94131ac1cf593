#!/usr/bin/env bash
# A local stand-in for the Kubernetes Deployment (docs/scale-out.md): N `rerank serve` replicas on loopback, every one
# serving one shared pipelines folder, behind Debian's nginx (installed with apt-get when missing) with passive health
# checks (max_fails) and retries on the next replica (proxy_next_upstream, POSTs included: a rerank call has no side
# effects). Responses carry X-Rerank-Upstream, the replica that answered.
#
#   scripts/cluster-local.sh start [N]      start N replicas (default 3) and nginx; prints the address
#   scripts/cluster-local.sh kill I         SIGKILL replica I (1-based)
#   scripts/cluster-local.sh term I         SIGTERM replica I and wait until it has drained and exited
#   scripts/cluster-local.sh restart I      start replica I again and wait until it is ready
#   scripts/cluster-local.sh status         each replica's pid and readiness
#   scripts/cluster-local.sh stop           stop nginx and every replica
#
# Environment: RERANK_CLUSTER_DIR (state, logs and nginx.conf; default out/cluster-local), RERANK_CLUSTER_PORT (nginx;
# replica i listens on PORT + i; default 18080), RERANK_PIPELINES (default deploy/k8s/base/pipelines, the ConfigMap's: every
# one loads without checkpoints, so every replica becomes ready), RERANK_PLUGINS (default: the
# nearest artifacts/plugins), RERANK_CMD (how to start rerank; default: the Release build's rerank.dll under dotnet),
# RERANK_SERVE_ARGS (extra `rerank serve` arguments, e.g. --workers 1).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dir=${RERANK_CLUSTER_DIR:-$root/out/cluster-local}
port=${RERANK_CLUSTER_PORT:-18080}
pipelines=${RERANK_PIPELINES:-$root/deploy/k8s/base/pipelines}
read -r -a rerank <<<"${RERANK_CMD:-dotnet $root/host/Rerank.Cli/bin/Release/net10.0/rerank.dll}"
read -r -a extra <<<"${RERANK_SERVE_ARGS:-}"
mkdir -p "$dir"

die() { echo "cluster-local: $*" >&2; exit 1; }

# alive PID: the process exists and is not a zombie (a replica killed after this script's earlier run exited is reparented
# to PID 1, which in a container may never reap it; kill -0 would still succeed on the zombie).
alive() {
  [ -n "${1:-}" ] && [ -r "/proc/$1/stat" ] || return 1
  local state
  state=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1)
  [ -n "$state" ] && [ "$state" != "Z" ] && [ "$state" != "X" ]
}

nginx_bin() {
  if command -v nginx >/dev/null 2>&1; then command -v nginx; return; fi
  if [ -x /usr/sbin/nginx ]; then echo /usr/sbin/nginx; return; fi
  echo "cluster-local: installing nginx (apt-get)" >&2
  if [ "$(id -u)" -eq 0 ]; then sudo=""; elif command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
    die "nginx is missing and this user can neither apt-get nor sudo: install it (apt-get install nginx-light or nginx)"
  fi
  $sudo apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends nginx >&2
  command -v nginx || echo /usr/sbin/nginx
}

ready() { # ready PORT: the replica answers /v2/health/ready with 200
  "${rerank[@]}" probe "http://127.0.0.1:$1/v2/health/ready" --timeout-ms 1000 >/dev/null 2>&1
}

wait_ready() { # wait_ready I
  local p=$((port + $1))
  for _ in $(seq 1 300); do
    if ready "$p"; then return 0; fi
    if ! alive "$(cat "$dir/replica-$1.pid")"; then
      die "replica $1 exited while starting; its log ($dir/replica-$1.log) ends: $(tail -n 5 "$dir/replica-$1.log")"
    fi
    sleep 0.2
  done
  die "replica $1 not ready after 60 s ($dir/replica-$1.log)"
}

start_replica() { # start_replica I
  local i=$1 p=$((port + $1))
  setsid "${rerank[@]}" serve --urls "http://127.0.0.1:$p" --pipelines "$pipelines" --debounce-ms 200 "${extra[@]}" \
    >>"$dir/replica-$i.log" 2>&1 < /dev/null &
  echo $! > "$dir/replica-$i.pid"
  wait_ready "$i"
}

replicas() { cat "$dir/replicas" 2>/dev/null || echo 0; }

case "${1:-}" in
  start)
    n=${2:-3}
    [[ "$n" =~ ^[1-9][0-9]*$ ]] || die "start N: N must be a positive integer, got '$n'"
    [ ! -f "$dir/nginx.pid" ] || die "already started ($dir); run: $0 stop"
    nginx=$(nginx_bin)
    echo "$n" > "$dir/replicas"
    for i in $(seq 1 "$n"); do start_replica "$i"; done
    mkdir -p "$dir/nginx-temp"
    {
      echo "worker_processes 1;"
      echo "pid $dir/nginx.pid;"
      echo "error_log $dir/nginx-error.log warn;"
      echo "events { worker_connections 1024; }"
      echo "http {"
      echo "  access_log off;"
      echo "  client_body_buffer_size 1m;  # rerank bodies (tens of KB) stay in memory: one write upstream, no Nagle delay"
      echo "  client_body_temp_path $dir/nginx-temp/body; proxy_temp_path $dir/nginx-temp/proxy;"
      echo "  fastcgi_temp_path $dir/nginx-temp/fastcgi; uwsgi_temp_path $dir/nginx-temp/uwsgi; scgi_temp_path $dir/nginx-temp/scgi;"
      echo "  upstream rerank {"
      for i in $(seq 1 "$n"); do echo "    server 127.0.0.1:$((port + i)) max_fails=1 fail_timeout=2s;"; done
      echo "    keepalive 64;"
      echo "  }"
      echo "  server {"
      echo "    listen 127.0.0.1:$port;"
      echo "    location / {"
      echo "      proxy_pass http://rerank;"
      echo "      proxy_http_version 1.1;"
      echo "      proxy_set_header Connection \"\";"
      echo "      proxy_connect_timeout 1s;"
      echo "      proxy_read_timeout 10s;"
      echo "      proxy_next_upstream error timeout http_502 http_503 http_504 non_idempotent;"
      echo "      proxy_next_upstream_tries $((n + 1));"
      echo "      add_header X-Rerank-Upstream \$upstream_addr always;"
      echo "    }"
      echo "  }"
      echo "}"
    } > "$dir/nginx.conf"
    "$nginx" -p "$dir" -c "$dir/nginx.conf" -t >/dev/null 2>&1 || die "nginx rejected $dir/nginx.conf: $("$nginx" -p "$dir" -c "$dir/nginx.conf" -t 2>&1 | tail -n 2)"
    "$nginx" -p "$dir" -c "$dir/nginx.conf"
    for _ in $(seq 1 50); do [ -s "$dir/nginx.pid" ] && break; sleep 0.1; done
    echo "cluster-local: $n replica(s) on 127.0.0.1:$((port + 1))…$((port + n)) behind nginx on http://127.0.0.1:$port (state in $dir)"
    ;;
  kill|term|restart)
    i=${2:-}
    [[ "$i" =~ ^[1-9][0-9]*$ ]] && [ "$i" -le "$(replicas)" ] || die "$1 I: I must be a replica number in 1…$(replicas), got '${i}'"
    pid=$(cat "$dir/replica-$i.pid" 2>/dev/null || echo "")
    case "$1" in
      kill)
        [ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null || true
        for _ in $(seq 1 100); do alive "$pid" || break; sleep 0.1; done
        echo "cluster-local: replica $i killed (SIGKILL)" ;;
      term)
        [ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null || true
        for _ in $(seq 1 600); do alive "$pid" || break; sleep 0.1; done
        ! alive "$pid" || die "replica $i still running 60 s after SIGTERM"
        echo "cluster-local: replica $i drained and exited (SIGTERM)" ;;
      restart)
        if alive "$pid"; then die "replica $i is running (pid $pid); kill or term it first"; fi
        start_replica "$i"; echo "cluster-local: replica $i restarted and ready" ;;
    esac
    ;;
  status)
    for i in $(seq 1 "$(replicas)"); do
      pid=$(cat "$dir/replica-$i.pid" 2>/dev/null || echo "-")
      if ready $((port + i)); then state=ready; elif alive "$pid"; then state="running, not ready"; else state=down; fi
      echo "replica $i: pid $pid, 127.0.0.1:$((port + i)), $state"
    done
    ;;
  stop)
    if [ -s "$dir/nginx.pid" ]; then kill -QUIT "$(cat "$dir/nginx.pid")" 2>/dev/null || true; fi
    for f in "$dir"/replica-*.pid; do [ -f "$f" ] && { kill -TERM "$(cat "$f")" 2>/dev/null || true; rm -f "$f"; }; done
    rm -f "$dir/nginx.pid" "$dir/replicas"
    echo "cluster-local: stopped"
    ;;
  *)
    sed -n '2,/^set /{/^#/p}' "$0" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
