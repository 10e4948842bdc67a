#!/bin/sh
# Starts CleverSync in the image (deploy/Dockerfile): /app/cleversync.jar is Spring Boot's extracted application
# layer, whose manifest names its libraries in /app/lib/. Arguments are the application's (e.g.
# --cleversync.run-once=true). With APPLICATIONINSIGHTS_CONNECTION_STRING set, the Azure Application Insights Java
# agent is attached (it reads the connection string itself); without it, nothing is sent anywhere.
# exec: java becomes the container's PID 1 and receives the SIGTERM of `docker stop` or Kubernetes, which Spring
# Boot answers with a graceful shutdown.
set -eu
if [ -n "${APPLICATIONINSIGHTS_CONNECTION_STRING:-}" ]; then
  exec java -javaagent:/app/applicationinsights-agent.jar -jar /app/cleversync.jar "$@"
fi
exec java -jar /app/cleversync.jar "$@"
