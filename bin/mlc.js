#!/usr/bin/env node
// `mlc` runs the TypeScript CLI through tsx (a dependency), so the command needs no build step.
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const result = spawnSync(process.execPath, [require.resolve('tsx/cli'), path.join(__dirname, '..', 'cli', 'mlc.ts'), ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(result.status ?? 1);
