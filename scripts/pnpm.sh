#!/usr/bin/env bash
# Set-up and run on a fresh machine with only Node 20 and npm: installs the workspace with the
# pinned pnpm, then runs one of its scripts. The README's two commands:
#   bash scripts/pnpm.sh demo   # the main job
#   bash scripts/pnpm.sh test   # build, type-check, every test (what .ci/run runs)
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -eq 1 ] || { echo "usage: bash scripts/pnpm.sh demo|test|bench" >&2; exit 2; }
PNPM_VERSION=12.21.0
npx -y "pnpm@${PNPM_VERSION}" install --frozen-lockfile
npx -y "pnpm@${PNPM_VERSION}" run "$1"
