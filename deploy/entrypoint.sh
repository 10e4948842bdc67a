#!/bin/sh
# Starts CleverSync; arguments are the application's (e.g. --cleversync.run-once=true). With
# APPLICATIONINSIGHTS_CONNECTION_STRING set, the Azure Application Insights Java agent is attached
# (it reads the connection string itself); without it, nothing is sent anywhere.
set -eu
if [ -n "${APPLICATIONINSIGHTS_CONNECTION_STRING:-}" ]; then
  exec java -javaagent:/app/applicationinsights-agent.jar -jar /app/cleversync.jar "$@"
fi
exec java -jar /app/cleversync.jar "$@"
