#!/usr/bin/env bash
# The README's run command: one-time machine set-up (libstdc++ fix where needed), then the dashboard
# on http://127.0.0.1:5080 (see appsettings.json "Urls"). Extra arguments go to the app.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
exec dotnet run -c Release --project DistillLab.Web -- "$@"
