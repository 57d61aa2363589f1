#!/usr/bin/env bash
# Builds the TiesOffice app package (the .zip a Teams or Microsoft 365 admin uploads) for one deployment.
# Installs the manifest tools (manifest/package-lock.json) on first use, then runs manifest/package.mjs.
#   scripts/package.sh --outputs outputs.json          # values from the Bicep deployment's outputs
#   scripts/package.sh --domain HOST --bot-id GUID --client-id GUID [--app-id GUID] [--version X.Y.Z]
# docs/Deploy.md, "Build and publish the app package", has the whole step.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
if [ ! -d "$root/manifest/node_modules/@microsoft/app-manifest" ] || [ ! -d "$root/manifest/node_modules/fs-extra" ]; then
  (cd "$root/manifest" && npm ci --no-audit --no-fund --loglevel=error)
fi
exec node "$root/manifest/package.mjs" "$@"
