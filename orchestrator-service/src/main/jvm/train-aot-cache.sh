#!/usr/bin/env bash
# Writes <app>/jvm.options (the JVM options every orchestrator instance is started with: the
# local-process runtime passes it as @jvm.options, the container image as JAVA_OPTS) and, with a
# JDK 25+, trains the JDK AOT cache <app>/app.aot (JEP 514/515: classes loaded and linked ahead,
# method profiles) and adds -XX:AOTCache=<app>/app.aot to jvm.options.
#
#   train-aot-cache.sh <quarkus-app dir> [java]
#
# The training run is an unbound instance started with the same options, asked for its readiness,
# status and OpenAPI document, then stopped; the JVM writes the cache as it exits. No Kafka, Redis
# or other service is needed. A cache only works for the same JDK and the same jars at the same
# paths: train where the instance runs (the build output, or inside the container image). The jar
# is named by its absolute path, as the launchers (container-broker's local-process runtime, the
# image's entry point) name it: a cache trained on a relative path is refused by a JVM started
# from another directory. With the aot-jar layout (the module's aot-jar profile) every class of the
# application is in the cache, not only the JDK's and the launcher's.
set -euo pipefail
APP="$(cd "$1" && pwd)"
JAVA="${2:-java}"
HERE="$(cd "$(dirname "$0")" && pwd)"
OPTIONS="$APP/jvm.options"
AOT="$APP/app.aot"
cp "$HERE/jvm.options" "$OPTIONS"
rm -f "$AOT" "$AOT.config"

major="$("$JAVA" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')"
if [[ "${major%%.*}" -lt 25 ]]; then
  echo "train-aot-cache: $JAVA is JDK $major; no AOT cache (needs 25+), $OPTIONS written" >&2
  exit 0
fi

port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null || echo 18999)"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
(cd "$APP" && QUARKUS_HTTP_PORT="$port" QUARKUS_HTTP_HOST=127.0.0.1 ENGRAM_INSTANCE_NAME=aot-training \
  QUARKUS_OTEL_SDK_DISABLED=true QUARKUS_LOG_LEVEL=WARN \
  exec "$JAVA" "@$OPTIONS" -XX:AOTCacheOutput="$AOT" -jar "$APP/quarkus-run.jar") >"$log" 2>&1 &
pid=$!
for _ in $(seq 1 1200); do
  curl -fs -o /dev/null "http://127.0.0.1:$port/q/health/live" && break
  kill -0 "$pid" 2>/dev/null || { cat "$log" >&2; echo "train-aot-cache: the training run died" >&2; exit 1; }
  sleep 0.1
done
for path in /q/health/ready /q/health/live /q/openapi /app/ /internal/v1/status /api/v1/stm; do
  curl -s -o /dev/null "http://127.0.0.1:$port$path" || true
done
kill -TERM "$pid"
wait "$pid" || true   # the JVM assembles the cache as it exits
if [[ -s "$AOT" ]]; then
  echo "-XX:AOTCache=$AOT" >>"$OPTIONS"
  echo "train-aot-cache: $AOT ($(du -h "$AOT" | cut -f1)), $OPTIONS" >&2
else
  tail -20 "$log" >&2
  echo "train-aot-cache: no AOT cache written; $OPTIONS without it" >&2
fi
