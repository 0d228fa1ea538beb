#!/usr/bin/env bash
# The README's test command: installs the workspace with the pinned pnpm, builds, type-checks
# and runs every test (unit, evaluation on ../shared/data, end-to-end with real pnpm/Yarn/npm).
set -euo pipefail
cd "$(dirname "$0")/.."
PNPM_VERSION=12.21.0
pnpm() { npx -y "pnpm@${PNPM_VERSION}" "$@"; }
pnpm install --frozen-lockfile
pnpm test
