// Starts an installed app (by default /usr/bin/hoadon-app) under an Xvfb display of its own,
// through tauri-driver, and waits for its first screen: the navigation's "Bán hàng". Used by
// scripts/check-package; not an *.e2e.mjs file, so tests/e2e/run.mjs does not pick it up.
//
//   node tests/e2e/installed-start.mjs APP HOME_DIR SCREENSHOT.png
//
// The app runs with HOME=HOME_DIR (and no HOADON_DB, no XDG_DATA_HOME), so its database goes to
// the data folder a shop owner's install uses, ~/.local/share/vn.hoadon.cuahang/, inside that
// throwaway home: no real shop is touched. Its output goes to HOME_DIR/app.log.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { startDisplay, startDriver, stopAll } from './harness.mjs';
import { Session } from './webdriver.mjs';

const [app = '/usr/bin/hoadon-app', home, screenshot] = process.argv.slice(2);
if (!home || !screenshot) {
  console.error('usage: node tests/e2e/installed-start.mjs APP HOME_DIR SCREENSHOT.png');
  process.exit(2);
}

const t0 = performance.now();
try {
  const display = await startDisplay();
  for (const v of ['HOADON_DB', 'XDG_DATA_HOME', 'XDG_CONFIG_HOME', 'XDG_CACHE_HOME', 'DBUS_SESSION_BUS_ADDRESS']) delete process.env[v];
  const driver = await startDriver({ DISPLAY: display.display, HOME: home }, { log: join(home, 'app.log') });
  const session = await Session.create(driver.url, app);
  await session.byTestId('nav-ban-hang', 60_000);
  const ms = performance.now() - t0;
  const png = await session.req('GET', '/screenshot');
  writeFileSync(screenshot, Buffer.from(png, 'base64'));
  const title = await session.req('GET', '/title');
  await session.delete();
  console.log(`first screen of ${app} in ${ms.toFixed(0)} ms (window "${title}"), screenshot ${screenshot}`);
} catch (e) {
  console.error(`the installed app did not reach its first screen: ${e.message}`);
  process.exitCode = 1;
} finally {
  await stopAll();
}
