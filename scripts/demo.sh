#!/usr/bin/env bash
# The README's main-job command: set up on a fresh machine, then run the demo.
set -euo pipefail
cd "$(dirname "$0")/.."
PNPM_VERSION=12.21.0
pnpm() { npx -y "pnpm@${PNPM_VERSION}" "$@"; }
pnpm install --frozen-lockfile
pnpm demo
