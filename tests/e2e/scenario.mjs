// What every scenario file (`*.e2e.mjs`) needs, once: its own data folder and screenshot
// folder, an Xvfb display, tauri-driver, the app on its first screen, a watchdog on the whole
// file (a hung window fails the run, never hangs it), and cleanup whatever happens.

import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { startDisplay, startDriver, stopAll } from './harness.mjs';
import { Session } from './webdriver.mjs';

export const ROOT = resolve(import.meta.dirname, '..', '..');
// Where cargo put the debug build: CARGO_TARGET_DIR when set, as cargo itself does.
const DEBUG = join(process.env.CARGO_TARGET_DIR ?? join(ROOT, 'target'), 'debug');
export const APP = process.env.HOADON_APP_BINARY ?? join(DEBUG, 'hoadon-app');
export const CLI = process.env.HOADON_CLI_BINARY ?? join(DEBUG, 'hoadon');
const RUN_DEADLINE_MS = Number(process.env.E2E_DEADLINE_MS ?? 10 * 60_000);

/**
 * Registers the `before`/`after` hooks of a scenario file and returns its fixture:
 * `app.session` (the WebDriver session of the running app), `app.db`, `app.artifacts`,
 * `app.log` (the app's output), `app.shot(name)`, `app.openApp()` / `app.closeApp()` (a restart is close then open).
 * `env` (an object, or an async function returning one) reaches the app through tauri-driver.
 */
export function scenario(name, { env = {}, needsCli = false } = {}) {
  const watchdog = setTimeout(async () => {
    console.error(`end-to-end scenario ${name} exceeded ${RUN_DEADLINE_MS} ms: stopping everything`);
    await stopAll();
    process.exit(1);
  }, RUN_DEADLINE_MS);
  watchdog.unref();

  const dataDir = mkdtempSync(join(tmpdir(), `hoadon-e2e-${name}-`));
  let driver;
  const app = {
    session: undefined,
    dataDir,
    db: join(dataDir, 'hoadon.db'),
    /** Read by the app's file dialogs instead of opening them (`src-tauri/src/file_dialog.rs`). */
    dialogAnswerFile: join(dataDir, 'dialog-answer'),
    artifacts: join(process.env.E2E_ARTIFACTS ?? join(ROOT, 'tests', 'e2e', 'artifacts'), name),
    /** Where the app, tauri-driver and WebKitWebDriver write: `<artifacts>/app.log`. */
    get log() {
      return join(app.artifacts, 'app.log');
    },

    async shot(file) {
      const path = join(app.artifacts, `${file}.png`);
      writeFileSync(path, await app.session.screenshot());
      return path;
    },

    /**
     * The native file dialogs cannot be driven through WebDriver: the next one the app opens
     * takes `path` as if the owner had picked it (`null`: the owner cancels). The command that
     * opened it is real.
     */
    answerNextDialog(path) {
      if (path === null) rmSync(app.dialogAnswerFile, { force: true });
      else writeFileSync(app.dialogAnswerFile, path);
    },

    /** Starts the app and waits for its first screen (the navigation is shown). */
    async openApp() {
      app.session = await Session.create(driver.url, APP);
      await app.session.byTestId('nav-ban-hang', 30_000);
    },

    async closeApp() {
      if (app.session) {
        await app.session.delete().catch(() => {});
        app.session = undefined;
      }
    },
  };

  before(async () => {
    rmSync(app.artifacts, { recursive: true, force: true });
    mkdirSync(app.artifacts, { recursive: true });
    // Read by reporter.mjs, which names this folder (and app.log in it) beside a failure.
    console.log(`E2E_ARTIFACTS ${app.artifacts}`);
    assert.ok(existsSync(APP), `the app binary is missing: ${APP} (run cargo build -p hoadon-app)`);
    if (needsCli) assert.ok(existsSync(CLI), `the CLI binary is missing: ${CLI} (run cargo build -p hoadon-cli)`);
    const display = await startDisplay();
    const extra = typeof env === 'function' ? await env() : env;
    const appEnv = {
      DISPLAY: display.display,
      HOADON_DB: app.db,
      HOADON_LOG: 'info',
      HOADON_E2E_DIALOG_ANSWER_FILE: app.dialogAnswerFile,
      ...extra,
    };
    driver = await startDriver(appEnv, { log: app.log });
    await app.openApp();
  });

  after(async () => {
    await app.closeApp();
    await stopAll();
    rmSync(dataDir, { recursive: true, force: true });
  });

  return app;
}
