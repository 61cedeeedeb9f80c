// Starts and always stops what an end-to-end run needs: an Xvfb display, tauri-driver
// (which starts WebKitWebDriver, which starts the app). Every wait has a deadline.

import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';

const children = new Set();

function track(child, name) {
  children.add(child);
  child.on('exit', () => children.delete(child));
  child.name = name;
  return child;
}

async function sleep(ms) {
  await new Promise((r) => setTimeout(r, ms));
}

async function until(what, check, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await sleep(100);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

export async function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/// An Xvfb display of its own, so a developer's desktop is never used.
export async function startDisplay() {
  let n = 90 + Math.floor(Math.random() * 400);
  while (existsSync(`/tmp/.X11-unix/X${n}`) || existsSync(`/tmp/.X${n}-lock`)) n += 1;
  const display = `:${n}`;
  const xvfb = track(spawn('Xvfb', [display, '-screen', '0', '1400x900x24', '-nolisten', 'tcp'], { stdio: 'ignore' }), 'Xvfb');
  await until(`Xvfb on ${display}`, () => existsSync(`/tmp/.X11-unix/X${n}`), 10_000);
  return { display, stop: () => stop(xvfb) };
}

export function tauriDriverPath() {
  const local = join(homedir(), '.cargo', 'bin', 'tauri-driver');
  return existsSync(local) ? local : 'tauri-driver';
}

/// tauri-driver on free ports; `env` reaches the app (HOADON_DB, DISPLAY, …). With `log`, the
/// output of the driver, WebKitWebDriver and the app they start (its log on stderr) is appended
/// to that file instead of the console.
export async function startDriver(env, { log } = {}) {
  const port = await freePort();
  const nativePort = await freePort();
  const out = log ? openSync(log, 'a') : 'inherit';
  const driver = track(
    spawn(tauriDriverPath(), ['--port', String(port), '--native-port', String(nativePort)], {
      // A file gets no colour codes (tracing-subscriber reads NO_COLOR).
      env: { ...process.env, ...(log ? { NO_COLOR: '1' } : {}), ...env },
      stdio: ['ignore', out, out],
    }),
    'tauri-driver',
  );
  if (log) closeSync(out);
  const url = `http://127.0.0.1:${port}`;
  await until('tauri-driver to answer', async () => {
    try {
      const res = await fetch(`${url}/status`, { signal: AbortSignal.timeout(1000) });
      return res.ok;
    } catch {
      return false;
    }
  }, 20_000);
  return { url, stop: () => stop(driver) };
}

/// SIGTERM, never SIGKILL, for tauri-driver: a killed driver leaves WebKitWebDriver holding
/// its port and the next run hangs. Xvfb gets SIGKILL only if it ignores SIGTERM.
async function stop(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const deadline = Date.now() + 10_000;
  while (child.exitCode === null && child.signalCode === null && Date.now() < deadline) await sleep(100);
  if (child.exitCode === null && child.signalCode === null && child.name === 'Xvfb') child.kill('SIGKILL');
}

export async function stopAll() {
  // Driver before display: the app must close while its display is still there.
  const order = [...children].sort((a, b) => (a.name === 'Xvfb') - (b.name === 'Xvfb'));
  for (const c of order) await stop(c);
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, async () => {
    await stopAll();
    process.exit(130);
  });
}
