#!/usr/bin/env bash
# Builds the repository's Dockerfile, unchanged, with podman on a machine
# without a Docker engine or a reachable image registry, then checks the
# image as production runs it.
#
# The base images the Dockerfile names are made here from Debian packages
# (mmdebstrap) and tagged with the exact names of its FROM lines:
#   rust:1.95-slim-bookworm           Debian bookworm (minbase) + gcc, libc6-dev,
#                                     pkg-config + this machine's Rust 1.95 and
#                                     CA certificates (cargo reaches crates.io
#                                     through the same proxies as the machine)
#   gcr.io/distroless/cc-debian12:nonroot
#                                     as close to distroless cc as Debian
#                                     packages allow: glibc, libgcc, libstdc++,
#                                     libssl3, CA certificates, tzdata, netbase,
#                                     users root/nonroot(65532)/nobody, no
#                                     shell, no package manager
# They are kept in podman's store (and the dependency layer with them), so
# a second run rebuilds only what changed. Set SPARES_REBUILD_BASES=1 to
# make them again.
#
# Checks: both programs run; `spares serve` answers through the published
# port with its data on a named volume that survives a restart; the
# HEALTHCHECK command passes; the container runs as 65532 with a read-only
# root filesystem; `spares-bot` without a token fails with a clear message;
# the image is under 60 MB.
#
# Needs root, podman, runc, mmdebstrap (apt-get install podman runc
# mmdebstrap slirp4netns uidmap) and a Rust 1.95 toolchain under ~/.rustup.
set -euo pipefail
cd "$(dirname "$0")/../.."

builder_tag="docker.io/library/rust:1.95-slim-bookworm"
runtime_tag="gcr.io/distroless/cc-debian12:nonroot"
image="localhost/spares:podman-test"
# podman's defaults ask for more than this machine allows (and crun is
# refused): runc, and limits no higher than the machine's own.
podman=(podman --runtime runc)
limits=(--ulimit "nofile=$(ulimit -n):$(ulimit -n)" --ulimit "nproc=4096:4096")
max_mb=60

work=$(mktemp -d)
cleanup() {
  "${podman[@]}" rm -f spares-image-test >/dev/null 2>&1 || true
  "${podman[@]}" volume rm -f spares-image-test-data >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

say() { printf '== %s\n' "$*"; }
fail() { printf 'FAIL: %s\n' "$*" >&2; exit 1; }

have_image() { "${podman[@]}" image exists "$1"; }

make_builder() {
  local toolchain
  toolchain=$(rustc +1.95 --print sysroot 2>/dev/null || rustc --print sysroot)
  "$toolchain/bin/rustc" --version | grep -e '^rustc 1\.95\.' >/dev/null \
    || fail "the Rust toolchain at $toolchain is not 1.95"
  say "builder base image ($builder_tag) from Debian bookworm + $toolchain"
  mmdebstrap --quiet --variant=minbase --include=gcc,libc6-dev,pkg-config,ca-certificates \
    --customize-hook="mkdir -p \"\$1/usr/local/rust\" \"\$1/usr/local/cargo/bin\"" \
    --customize-hook="cp -a '$toolchain/bin' '$toolchain/lib' \"\$1/usr/local/rust/\"" \
    --customize-hook="for b in cargo rustc rustdoc; do ln -s /usr/local/rust/bin/\$b \"\$1/usr/local/cargo/bin/\$b\"; done" \
    --customize-hook="rm -rf \"\$1/usr/share/doc\" \"\$1/usr/share/man\" \"\$1/var/cache/apt\"/*.bin" \
    --customize-hook="cp /etc/ssl/certs/ca-certificates.crt \"\$1/etc/ssl/certs/ca-certificates.crt\"" \
    bookworm "$work/builder.tar"
  "${podman[@]}" import \
    --change 'ENV CARGO_HOME=/usr/local/cargo' \
    --change 'ENV PATH=/usr/local/cargo/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'WORKDIR /' \
    "$work/builder.tar" "$builder_tag" >/dev/null
  rm -f "$work/builder.tar"
}

make_runtime() {
  say "runtime base image ($runtime_tag) from Debian bookworm packages"
  # extract: the packages' files only, no maintainer scripts, no dpkg/apt.
  mmdebstrap --quiet --variant=extract \
    --include=libc6,libgcc-s1,libstdc++6,libssl3,ca-certificates,tzdata,netbase,base-files \
    --customize-hook="mkdir -p \"\$1/etc/ssl/certs\" && cat \"\$1\"/usr/share/ca-certificates/mozilla/*.crt > \"\$1/etc/ssl/certs/ca-certificates.crt\"" \
    --customize-hook="printf 'root:x:0:0:root:/root:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n' > \"\$1/etc/passwd\"" \
    --customize-hook="printf 'root:x:0:\nnobody:x:65534:\nnonroot:x:65532:\n' > \"\$1/etc/group\"" \
    --customize-hook="mkdir -p \"\$1/home/nonroot\" \"\$1/tmp\" && chown 65532:65532 \"\$1/home/nonroot\" && chmod 1777 \"\$1/tmp\"" \
    --customize-hook="cd \"\$1\" && rm -rf usr/share/doc usr/share/man usr/share/info usr/share/lintian usr/share/locale usr/share/ca-certificates usr/share/debconf usr/share/perl5 usr/bin/debconf* usr/sbin/*ca-certificates* usr/bin/openssl usr/lib/ssl/misc etc/apt etc/dpkg var/cache/* var/lib/apt var/log/* usr/share/zoneinfo/right usr/share/zoneinfo/posix" \
    --customize-hook="cd \"\$1\" && for s in bin/sh bin/bash bin/dash usr/bin/perl; do [ ! -e \"\$s\" ] || { echo \"unexpected \$s in the runtime image\" >&2; exit 1; }; done" \
    bookworm "$work/runtime.tar"
  "${podman[@]}" import \
    --change 'USER 65532:65532' \
    --change 'WORKDIR /home/nonroot' \
    --change 'ENV SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt' \
    "$work/runtime.tar" "$runtime_tag" >/dev/null
  rm -f "$work/runtime.tar"
}

if [ "${SPARES_REBUILD_BASES:-0}" = 1 ] || ! have_image "$builder_tag"; then make_builder; fi
if [ "${SPARES_REBUILD_BASES:-0}" = 1 ] || ! have_image "$runtime_tag"; then make_runtime; fi

say "podman build (the repository's Dockerfile, unchanged; bases from the local store)"
# Docker's image format keeps the Dockerfile's HEALTHCHECK (OCI drops it).
start=$(date +%s)
"${podman[@]}" build --pull=never --format docker "${limits[@]}" --layers -t "$image" -f Dockerfile . \
  > "$work/build.log" 2>&1 || { tail -50 "$work/build.log" >&2; fail "podman build"; }
echo "built in $(( $(date +%s) - start )) s"

say "image size"
bytes=$("${podman[@]}" image inspect "$image" --format '{{.Size}}')
runtime_bytes=$("${podman[@]}" image inspect "$runtime_tag" --format '{{.Size}}')
mb=$(( bytes / 1000000 ))
echo "image $mb MB (runtime base $(( runtime_bytes / 1000000 )) MB; distroless cc-debian12 is about 23 MB)"
[ "$mb" -lt "$max_mb" ] || fail "the image is $mb MB, over $max_mb MB"

# No periodic health timers (they need systemd, which this machine does not
# run; podman's complaints about that go to $work/podman.log);
# `podman healthcheck run` still runs the image's HEALTHCHECK on demand.
run() { "${podman[@]}" run --rm "${limits[@]}" --health-interval=disable "$@"; }

say "both programs run"
run "$image" --version | grep -e '^spares ' >/dev/null || fail "spares --version"
run --entrypoint /usr/local/bin/spares-bot "$image" --version | grep -e '^spares-bot ' >/dev/null || fail "spares-bot --version"

say "no shell in the image"
if run --entrypoint /bin/sh "$image" -c true >/dev/null 2>&1; then fail "the image has a shell"; fi

say "spares-bot without a token stops with a clear message"
if out=$(run --entrypoint /usr/local/bin/spares-bot "$image" 2>&1); then fail "spares-bot started without a token"; fi
grep -q 'TELOXIDE_TOKEN is not set' <<<"$out" || fail "spares-bot said: $out"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
start_web() {
  "${podman[@]}" run -d --name spares-image-test "${limits[@]}" --health-interval=disable --read-only \
    -p "127.0.0.1:$port:8080" -v spares-image-test-data:/data \
    -e SPARES_API_TOKEN=podman-test-token-0123456789 "$image" >/dev/null 2>>"$work/podman.log"
  for _ in $(seq 1 100); do
    if curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; then return 0; fi
    sleep 0.2
  done
  "${podman[@]}" logs spares-image-test >&2 || true
  cat "$work/podman.log" >&2
  fail "spares serve did not answer on 127.0.0.1:$port"
}

say "spares serve through the published port, data on a named volume"
start_web
[ "$("${podman[@]}" exec spares-image-test /usr/local/bin/spares --version | cut -d' ' -f1)" = spares ]
user=$("${podman[@]}" inspect spares-image-test --format '{{.Config.User}}')
[ "$user" = "65532:65532" ] || fail "runs as $user, not 65532:65532"
readonly_root=$("${podman[@]}" inspect spares-image-test --format '{{.HostConfig.ReadonlyRootfs}}')
[ "$readonly_root" = true ] || fail "the root filesystem is not read-only"
curl -fsS -X POST "http://127.0.0.1:$port/api/spares" \
  -H 'Authorization: Bearer podman-test-token-0123456789' -H 'Content-Type: application/json' \
  -d '{"category":"resistor","value":"10k","package":"0805","quantity":100,"location":"A1"}' >/dev/null \
  || fail "adding a part through the API"
curl -fsS "http://127.0.0.1:$port/api/spares?q=10k+resistor" | grep -e '"total":1' >/dev/null || fail "finding the part"

say "the HEALTHCHECK command passes"
"${podman[@]}" healthcheck run spares-image-test || fail "HEALTHCHECK"

say "the data survives a restart"
"${podman[@]}" restart spares-image-test >/dev/null 2>>"$work/podman.log"
for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.2; done
curl -fsS "http://127.0.0.1:$port/api/spares?q=10k+resistor" | grep -e '"total":1' >/dev/null || fail "the part is gone after a restart"
"${podman[@]}" rm -f spares-image-test >/dev/null 2>>"$work/podman.log"
start_web
curl -fsS "http://127.0.0.1:$port/api/spares?q=10k+resistor" | grep -e '"total":1' >/dev/null || fail "the part is gone in a new container on the same volume"

echo "image checks: 9 passed, 0 failed"
