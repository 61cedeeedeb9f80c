// Benchmark: cold start of the app to its first screen under Xvfb, through tauri-driver.
// Prints the time from "start the app" to "the navigation is displayed", for a first start
// (empty data folder: demo data is filled) and for later starts (existing database).
//
//   node tests/e2e/bench-start.mjs [runs]

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { startDisplay, startDriver, stopAll } from './harness.mjs';
import { Session } from './webdriver.mjs';

const ROOT = resolve(import.meta.dirname, '..', '..');
const APP = process.env.HOADON_APP_BINARY ?? join(process.env.CARGO_TARGET_DIR ?? join(ROOT, 'target'), 'debug', 'hoadon-app');
const RUNS = Number(process.argv[2] ?? 5);

async function timeStart(driverUrl) {
  const t0 = performance.now();
  const session = await Session.create(driverUrl, APP);
  await session.byTestId('nav-ban-hang', 60_000);
  const ms = performance.now() - t0;
  await session.delete();
  return ms;
}

function summary(label, xs) {
  const s = [...xs].sort((a, b) => a - b);
  const median = s[Math.floor(s.length / 2)];
  console.log(`${label.padEnd(28)} median ${median.toFixed(0)} ms  min ${s[0].toFixed(0)} ms  max ${s.at(-1).toFixed(0)} ms  (n=${s.length})`);
}

const display = await startDisplay();
const first = [];
const later = [];
try {
  for (let i = 0; i < RUNS; i++) {
    const dir = mkdtempSync(join(tmpdir(), 'hoadon-bench-'));
    const driver = await startDriver({ DISPLAY: display.display, HOADON_DB: join(dir, 'hoadon.db'), HOADON_LOG: 'warn' });
    first.push(await timeStart(driver.url));
    later.push(await timeStart(driver.url));
    await driver.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`cold start to first screen (${APP.includes('release') ? 'release' : 'debug'} build, Xvfb)`);
  summary('first start (demo fill)', first);
  summary('start on existing database', later);
} finally {
  await stopAll();
}
