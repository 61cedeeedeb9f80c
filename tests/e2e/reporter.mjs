// The console of an end-to-end run: one line per test, then each failure with its error and
// where to look (the app's log and the screenshots of its scenario), then the summary
// `N passed, N failed` alone on the last line, which CI reads. What the scenario files print
// (and the app, the driver and WebKitWebDriver, which harness.mjs sends to `app.log`) stays
// out of the console: it goes to `console.log` beside the app's log.

import { appendFileSync, mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';

/** scenario.mjs prints this line (to the captured stdout) with the scenario's artifacts folder. */
export const ARTIFACTS_MARK = 'E2E_ARTIFACTS ';

export default async function* reporter(source) {
  const files = new Map(); // file → { artifacts, pending: [] }
  const failures = [];
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  const fileOf = (path) => {
    if (!files.has(path)) files.set(path, { artifacts: undefined, pending: [] });
    return files.get(path);
  };
  const label = (data) => `${data.file ? basename(data.file, '.e2e.mjs') : 'e2e'} › ${data.name}`;

  for await (const event of source) {
    const { type, data } = event;
    if (type === 'test:stdout' || type === 'test:stderr') {
      const file = fileOf(data.file ?? '');
      for (const line of data.message.split('\n')) {
        if (line.startsWith(ARTIFACTS_MARK)) file.artifacts = line.slice(ARTIFACTS_MARK.length).trim();
      }
      file.pending.push(data.message);
      if (file.artifacts) {
        mkdirSync(file.artifacts, { recursive: true });
        appendFileSync(join(file.artifacts, 'console.log'), file.pending.join(''));
        file.pending = [];
      }
    } else if (type === 'test:pass' && data.nesting === 0) {
      const seconds = ((data.details?.duration_ms ?? 0) / 1000).toFixed(1);
      if (data.skip || data.todo) {
        skipped += 1;
        yield `- ${label(data)} (skipped)\n`;
      } else {
        passed += 1;
        yield `✔ ${label(data)} (${seconds} s)\n`;
      }
    } else if (type === 'test:fail' && data.nesting === 0) {
      failed += 1;
      failures.push(data);
      yield `✖ ${label(data)}\n`;
    }
  }

  const told = new Map(); // file and message of a failed hook → the failure that told it
  for (const [n, data] of failures.entries()) {
    const error = data.details?.error;
    // A failed hook or a cancelled test wraps the error that made it fail.
    const cause = error?.cause instanceof Error || typeof error?.cause?.message === 'string' ? error.cause : error;
    const message = String(cause?.message ?? error ?? 'failed').trim();
    const key = `${data.file}\n${message}`;
    if (error?.failureType !== 'testCodeFailure' && told.has(key)) {
      yield `\n${n + 1}) ${label(data)}: as ${told.get(key)})\n`;
      continue;
    }
    told.set(key, n + 1);
    const where = (cause?.stack ?? '').split('\n').find((l) => l.includes('.e2e.mjs') || l.includes('scenario.mjs'));
    const artifacts = files.get(data.file ?? '')?.artifacts;
    yield `\n${n + 1}) ${label(data)}\n`;
    yield `${message.split('\n').map((l) => `   ${l}`).join('\n')}\n`;
    if (where) yield `   at ${where.trim().replace(/^at /, '')}\n`;
    if (error?.failureType && error.failureType !== 'testCodeFailure') yield `   (${error.failureType})\n`;
    if (artifacts) {
      yield `   log: ${join(artifacts, 'app.log')}\n`;
      yield `   screenshots and console: ${artifacts}${artifacts.endsWith('/') ? '' : '/'}\n`;
    }
  }
  if (skipped) yield `\n${skipped} skipped\n`;
  yield `\n${passed} passed, ${failed} failed\n`;
}
