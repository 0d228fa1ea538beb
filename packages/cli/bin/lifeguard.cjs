#!/usr/bin/env node
'use strict';
// The CLI is bundled by `pnpm build` into one file so start-up stays fast.
require('../dist/lifeguard.cjs');
