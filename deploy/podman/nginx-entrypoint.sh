#!/bin/sh
# The official nginx image's start, for the Debian nginx stand-in: render
# /etc/nginx/templates/*.template with envsubst (only variables that are
# set), then run nginx in the foreground.
set -eu
mkdir -p /etc/nginx/conf.d
defined=$(env | cut -d= -f1 | sed 's/^/$/' | tr '\n' ' ')
for t in /etc/nginx/templates/*.template; do
  [ -e "$t" ] || continue
  out="/etc/nginx/conf.d/$(basename "$t" .template)"
  envsubst "$defined" < "$t" > "$out"
done
[ -z "${NGINX_CACHE_DIR:-}" ] || mkdir -p "$NGINX_CACHE_DIR"
exec nginx -g 'daemon off;'
