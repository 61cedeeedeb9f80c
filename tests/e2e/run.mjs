// Runs every end-to-end scenario file (`*.e2e.mjs`) one after the other: each starts its own
// Xvfb display, tauri-driver and app, on a database of its own, and stops them all at the end.
//
//   node tests/e2e/run.mjs [moit lookup …]   (only the files whose name contains one of these)

import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const dir = import.meta.dirname;
const files = readdirSync(dir).filter((f) => f.endsWith('.e2e.mjs')).sort().map((f) => join(dir, f));
const only = process.argv.slice(2);
const chosen = only.length ? files.filter((f) => only.some((o) => f.includes(o))) : files;
// One line per test and the failures on the console (reporter.mjs); each app's log in its
// scenario's artifacts folder (harness.mjs); `N passed, N failed` last.
const reporter = join(dir, 'reporter.mjs');
const args = ['--test', '--test-concurrency=1', `--test-reporter=${reporter}`, '--test-reporter-destination=stdout'];
const result = spawnSync(process.execPath, [...args, ...chosen], { stdio: 'inherit' });
process.exit(result.status ?? 1);
