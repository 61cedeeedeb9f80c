// Runs every end-to-end scenario file (`*.e2e.mjs`) one after the other: each starts its own
// Xvfb display, tauri-driver and app, on a database of its own, and stops them all at the end.

import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const dir = import.meta.dirname;
const files = readdirSync(dir).filter((f) => f.endsWith('.e2e.mjs')).sort().map((f) => join(dir, f));
const only = process.argv.slice(2);
const chosen = only.length ? files.filter((f) => only.some((o) => f.includes(o))) : files;
const result = spawnSync(process.execPath, ['--test', '--test-concurrency=1', '--test-reporter=spec', ...chosen], {
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
