// End-to-end: partner look-up by tax code in the real window, against the registry simulator
// the app starts in-process on its embedded default (no look-up settings saved). Screenshots
// go to ARTIFACTS/lookup (printed).
//
//   node tests/e2e/run.mjs lookup   (after `cargo build -p hoadon-app` and the UI build)

import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync, existsSync, rmSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { startDisplay, startDriver, stopAll } from './harness.mjs';
import { Session } from './webdriver.mjs';

const ROOT = resolve(import.meta.dirname, '..', '..');
const APP = process.env.HOADON_APP_BINARY ?? join(ROOT, 'target', 'debug', 'hoadon-app');
const ARTIFACTS = join(process.env.E2E_ARTIFACTS ?? join(ROOT, 'tests', 'e2e', 'artifacts'), 'lookup');
// The whole run, start-up included, must end within this; a hung window fails, never hangs.
const RUN_DEADLINE_MS = Number(process.env.E2E_DEADLINE_MS ?? 10 * 60_000);

// The simulator's demo tax codes (crates/sim-registry, `demo`).
const ACTIVE = '0109526016';
const CLOSED = '0110613182';

const watchdog = setTimeout(async () => {
  console.error(`end-to-end run exceeded ${RUN_DEADLINE_MS} ms: stopping everything`);
  await stopAll();
  process.exit(1);
}, RUN_DEADLINE_MS);
watchdog.unref();

let display;
let driver;
let session;
const dataDir = mkdtempSync(join(tmpdir(), 'hoadon-e2e-lookup-'));
const db = join(dataDir, 'hoadon.db');

async function shot(name) {
  const file = join(ARTIFACTS, `${name}.png`);
  writeFileSync(file, await session.screenshot());
  return file;
}

before(async () => {
  assert.ok(existsSync(APP), `the app binary is missing: ${APP} (run cargo build -p hoadon-app)`);
  rmSync(ARTIFACTS, { recursive: true, force: true });
  mkdirSync(ARTIFACTS, { recursive: true });
  console.log(`screenshots: ${ARTIFACTS}`);
  display = await startDisplay();
  driver = await startDriver({ DISPLAY: display.display, HOADON_DB: db, HOADON_LOG: 'info' });
  session = await Session.create(driver.url, APP);
  await session.byTestId('nav-ban-hang', 30_000);
});

after(async () => {
  if (session) await session.delete().catch(() => {});
  await stopAll();
  rmSync(dataDir, { recursive: true, force: true });
});

test('Cài đặt says the demo look-up is active, on 127.0.0.1', { timeout: 60_000 }, async () => {
  await session.click('nav-cai-dat');
  const demo = await session.waitForText('lookup-demo', (t) => t.includes('Đang dùng tra cứu thử'));
  assert.match(await session.text('lookup-demo-endpoint'), /^http:\/\/127\.0\.0\.1:\d+$/);
  assert.ok(demo.includes(ACTIVE) && demo.includes(CLOSED), demo);
  await session.scrollIntoView('lookup-demo');
  await shot('01-settings-demo-lookup');
});

test('an invalid MST is refused with the exact reason and fills nothing', { timeout: 60_000 }, async () => {
  await session.click('nav-khach-hang');
  await session.click('customer-new');
  await session.type('customer-tax-code', '0109526017');
  await session.click('customer-lookup');
  const reason = await session.waitForText('field-error-tax_code', (t) => t.length > 0);
  assert.equal(reason, 'Mã số thuế sai chữ số kiểm tra: chữ số thứ 10 phải là 6, không phải 7.');
  assert.equal(await session.value('customer-name'), '');
  assert.equal(await session.exists('customer-lookup-result'), false);
  await shot('02-invalid-mst');
});

test('a customer is created through a look-up: name, address and buyer filled, then saved', { timeout: 90_000 }, async () => {
  await session.type('customer-tax-code', ACTIVE);
  await session.click('customer-lookup');
  await session.waitForText('customer-lookup-status', 'Đang hoạt động');
  assert.equal(await session.exists('field-error-tax_code'), false, 'the earlier refusal is gone');
  const name = await session.value('customer-name');
  assert.match(name, /^CÔNG TY TNHH .*SEN VÀNG$/);
  assert.match(await session.value('customer-address'), /Hà Nội/);
  assert.equal(await session.value('customer-kind'), 'business');
  assert.equal(await session.value('customer-buyer-name'), 'Nguyễn Văn An');
  assert.match(await session.text('customer-lookup-source'), /^Hệ thống thông tin quốc gia về đăng ký doanh nghiệp, lúc \d{2}\/\d{2}\/\d{4} \d{2}:\d{2}$/);
  assert.equal(await session.exists('customer-lookup-warning'), false);
  assert.match(await session.text('customer-lookup-filled'), /^Đã điền tên đơn vị, địa chỉ và người mua hàng/);
  await shot('03-lookup-filled');
  await session.scrollIntoView('customer-lookup-result');
  await shot('03-lookup-result');

  await session.click('customer-save');
  await session.waitForText('success-banner-message', (t) => t.startsWith('Đã lưu khách hàng'));
  await session.type('customers-search', ACTIVE);
  await session.waitFor('the new customer in the list', async () => (await session.findAll('[data-testid^="customer-row-"]')).length === 1);
  const [row] = await session.findAll('[data-testid^="customer-row-"]');
  const rowText = await session.req('GET', `/element/${row}/text`);
  assert.ok(rowText.includes(name) && rowText.includes(ACTIVE), rowText);
  await shot('04-customer-saved');
});

test('a closed business shows a warning in Vietnamese', { timeout: 60_000 }, async () => {
  // The saved-customer banner and the sticky top bar sit over the header once the form scrolled.
  await session.click('success-banner-close');
  await session.scrollIntoView('customer-new');
  await session.click('customer-new');
  await session.type('customer-tax-code', CLOSED);
  await session.click('customer-lookup');
  const warning = await session.waitForText('customer-lookup-warning', (t) => t.length > 0);
  assert.ok(warning.startsWith('Cảnh báo: doanh nghiệp này đang ở tình trạng «Đã chấm dứt hoạt động»'), warning);
  assert.equal(await session.text('customer-lookup-status'), 'Đã chấm dứt hoạt động');
  assert.match(await session.value('customer-name'), /^CÔNG TY/);
  await session.scrollIntoView('customer-lookup-warning');
  await shot('05-closed-business-warning');

  // The answer belongs to the code: another code in the box hides it.
  await session.type('customer-tax-code', ACTIVE);
  await session.waitFor('the stale answer to go', async () => !(await session.exists('customer-lookup-warning')));
});

test('Hồ sơ đăng ký: dossiers received in a period, and one dossier read', { timeout: 90_000 }, async () => {
  await session.click('nav-ho-so-dang-ky');
  await session.byTestId('dossiers-demo-hint');
  await session.type('dossiers-from', '01/03/2026');
  await session.type('dossiers-to', '31/03/2026');
  await session.type('dossiers-site', 'HN');
  await session.click('dossiers-search');
  await session.click('dossiers-item-2026000101');
  await session.waitForText('dossier-status', 'Đã trả kết quả (mã 10)');
  assert.equal(await session.text('dossier-receipt-no'), 'HN-2026-000101');
  assert.match(await session.text('dossier-fees'), /100\.000 ₫/);
  await shot('06-dossier-latest');

  await session.type('dossier-journal-no', 'HN-2026-000101');
  await session.click('dossier-detail-search');
  await session.waitForText('dossier-processing-state', 'Đã trả kết quả (mã 10)');
  assert.match(await session.text('dossier-supplements'), /^03\/03\/2026 10:00 — Bổ sung biên bản họp hội đồng thành viên/);
  await session.scrollIntoView('dossier-view');
  await shot('07-dossier-detail');
});

test('saved settings replace the demo; out of reach, the cache answers with its time; Xóa cài đặt brings the demo back', { timeout: 90_000 }, async () => {
  await session.click('nav-cai-dat');
  const endpoint = await session.text('lookup-demo-endpoint');
  await session.scrollIntoView('lookup-vietqr-enabled');
  await session.click('lookup-vietqr-enabled');
  await session.type('lookup-vietqr-base-url', `${endpoint}/vietqr`);
  await session.type('lookup-vietqr-api-key', 'khoa-thu-nghiem-123');
  await session.click('lookup-save');
  await session.waitForText('success-banner-message', (t) => t.startsWith('Đã lưu cài đặt tra cứu'));
  await session.byTestId('lookup-configured');
  assert.equal(await session.exists('lookup-demo'), false, 'the demo registry is no longer in use');
  assert.equal(await session.value('lookup-vietqr-api-key'), '', 'the key never comes back to the screen');
  await session.scrollIntoView('lookup-settings-form');
  await shot('08-settings-saved');
  // The key went to the encrypted file, and nowhere else beside the database.
  const files = readdirSync(dataDir);
  assert.ok(files.includes('secrets.enc'), files.join(', '));
  for (const f of files.filter((f) => f.startsWith('hoadon.'))) {
    assert.equal(readFileSync(join(dataDir, f)).includes('khoa-thu-nghiem-123'), false, `the key is in ${f}`);
  }
  assert.ok(files.some((f) => f.startsWith('hoadon.log')), `a log is written: ${files.join(', ')}`);

  // Saving stopped the demo registry, so the saved source is out of reach: the closed
  // business looked up earlier is answered from the shop's cache, marked so, with its time.
  await session.click('success-banner-close');
  await session.click('nav-khach-hang');
  await session.click('customer-new');
  await session.type('customer-tax-code', CLOSED);
  await session.click('customer-lookup');
  const note = await session.waitForText('customer-lookup-cached', (t) => t.length > 0, 30_000);
  assert.match(note, /^Thông tin lưu lúc \d{2}\/\d{2}\/\d{4} \d{2}:\d{2}:\d{2} \(không kết nối được nguồn tra cứu\)$/);
  assert.match(await session.text('customer-lookup-warning'), /Đã chấm dứt hoạt động/);
  await session.scrollIntoView('customer-lookup-result');
  await shot('09-cached-answer');

  await session.click('nav-cai-dat');
  await session.scrollIntoView('lookup-use-demo');
  await session.click('lookup-use-demo');
  await session.waitForText('lookup-demo-endpoint', (t) => /^http:\/\/127\.0\.0\.1:\d+$/.test(t));
  assert.equal(await session.exists('lookup-configured'), false);
});
