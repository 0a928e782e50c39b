#!/bin/bash
# The container's HEALTHCHECK: GET /health/live on the server's HTTP port, healthy on 200. bash's /dev/tcp, so the
# image needs no curl. It reads the same CLINICFLOW_HTTP_BIND and CLINICFLOW_HTTP_PORT as the server: configure the
# container by variables, not by flags, or this asks the wrong port.
set -u
host=${CLINICFLOW_HTTP_BIND:-127.0.0.1}
case $host in
    '' | 0.0.0.0 | '::' | '[::]') host=127.0.0.1 ;; # every interface: the loopback is one of them
esac
host=${host#[}
host=${host%]}
port=${CLINICFLOW_HTTP_PORT:-8080}
exec 3<>"/dev/tcp/$host/$port" || { echo "unhealthy: nothing listens on $host:$port"; exit 1; }
printf 'GET /health/live HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n' "$host" >&3
status=
read -r -t 4 status <&3
exec 3<&-
case $status in
    'HTTP/1.'?' 200 '*) exit 0 ;;
esac
echo "unhealthy: GET /health/live on $host:$port answered '${status%$'\r'}'"
exit 1
