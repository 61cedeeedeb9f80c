// End-to-end: the real app in a real window under Xvfb, driven through tauri-driver and
// WebKitWebDriver, clicking what a shop owner clicks. Screenshots go to ARTIFACTS (printed).
//
//   node tests/e2e/run.mjs foundation   (after `cargo build -p hoadon-app` and the UI build)

import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { startDisplay, startDriver, stopAll } from './harness.mjs';
import { Session } from './webdriver.mjs';

const ROOT = resolve(import.meta.dirname, '..', '..');
const APP = process.env.HOADON_APP_BINARY ?? join(ROOT, 'target', 'debug', 'hoadon-app');
const ARTIFACTS = join(process.env.E2E_ARTIFACTS ?? join(ROOT, 'tests', 'e2e', 'artifacts'), 'foundation');
// The whole run, start-up included, must end within this; a hung window fails, never hangs.
const RUN_DEADLINE_MS = Number(process.env.E2E_DEADLINE_MS ?? 10 * 60_000);

const watchdog = setTimeout(async () => {
  console.error(`end-to-end run exceeded ${RUN_DEADLINE_MS} ms: stopping everything`);
  await stopAll();
  process.exit(1);
}, RUN_DEADLINE_MS);
watchdog.unref();

let display;
let driver;
let session;
const dataDir = mkdtempSync(join(tmpdir(), 'hoadon-e2e-'));
const db = join(dataDir, 'hoadon.db');

async function shot(name) {
  const file = join(ARTIFACTS, `${name}.png`);
  writeFileSync(file, await session.screenshot());
  return file;
}

async function openApp() {
  session = await Session.create(driver.url, APP);
  // The first screen is up when the navigation is shown.
  await session.byTestId('nav-ban-hang', 30_000);
}

async function closeApp() {
  if (session) {
    await session.delete().catch(() => {});
    session = undefined;
  }
}

before(async () => {
  assert.ok(existsSync(APP), `the app binary is missing: ${APP} (run cargo build -p hoadon-app)`);
  rmSync(ARTIFACTS, { recursive: true, force: true });
  mkdirSync(ARTIFACTS, { recursive: true });
  console.log(`screenshots: ${ARTIFACTS}`);
  display = await startDisplay();
  driver = await startDriver({ DISPLAY: display.display, HOADON_DB: db, HOADON_LOG: 'info' });
  await openApp();
});

after(async () => {
  await closeApp();
  await stopAll();
  rmSync(dataDir, { recursive: true, force: true });
});

test('the first start shows the demo shop', { timeout: 60_000 }, async () => {
  await session.byTestId('demo-banner');
  await session.click('nav-don-hang');
  await session.waitFor('demo sales in the list', async () => (await session.findAll('[data-testid^="sales-row-"]')).length > 0);
  await shot('01-demo-sales');
});

test('a customer with a wrong check digit is refused and not saved; a valid one is saved', { timeout: 90_000 }, async () => {
  await session.click('nav-khach-hang');
  await session.click('customer-new');
  await session.select('customer-kind', 'business');
  await session.type('customer-name', 'Công ty TNHH Kiểm Thử Đắc Lộc');
  await session.type('customer-tax-code', '0100109107');
  await session.click('customer-save');
  const message = await session.waitForText('field-error-tax_code', (t) => t.includes('chữ số kiểm tra'));
  assert.equal(message, 'Mã số thuế sai chữ số kiểm tra: chữ số thứ 10 phải là 6, không phải 7.');
  await shot('02-customer-wrong-check-digit');

  // Nothing was saved: the list does not know the name.
  await session.type('customers-search', 'Kiểm Thử Đắc Lộc');
  await session.byTestId('customers-empty');

  await session.type('customer-tax-code', '0100109106');
  await session.click('customer-save');
  await session.byTestId('success-banner');
  await session.waitFor('the new customer in the list', async () => (await session.findAll('[data-testid^="customer-row-"]')).length === 1);
  const [row] = await session.findAll('[data-testid^="customer-row-"]');
  assert.match(await session.req('GET', `/element/${row}/text`), /Kiểm Thử Đắc Lộc[\s\S]*0100109106/);
  await shot('03-customer-saved');
});

const LINES = [
  { name: 'Gạo ST25', quantity: '2,5', price: '34.000', vat: '5' },
  { name: 'Nước mắm Phú Quốc', quantity: '2', price: '95.000', vat: '10' },
  { name: 'Nón lá Huế', quantity: '3', price: '120.000', vat: '10' },
];
let saleNumber;

test('a sale of three lines at two VAT rates shows its totals and words, and saves', { timeout: 120_000 }, async () => {
  await session.click('nav-ban-hang');
  const customerId = await session.waitFor('the new customer among the choices', () => session.script(
    `const o = [...document.querySelectorAll('[data-testid="sale-customer"] option')].find((o) => o.textContent.includes('Kiểm Thử Đắc Lộc'));
     return o ? o.value : null;`,
  ));
  await session.select('sale-customer', customerId);
  for (const [i, line] of LINES.entries()) {
    if (!(await session.exists(`line-${i}`))) await session.click('sale-add-line');
    await session.type(`line-${i}-name`, line.name);
    await session.type(`line-${i}-quantity`, line.quantity);
    await session.type(`line-${i}-price`, line.price);
    await session.select(`line-${i}-vat`, line.vat);
  }
  await session.waitForText('line-0-amount', (t) => t.includes('85.000'));
  await session.waitForText('totals-total', (t) => t.includes('694.250'));
  assert.match(await session.text('totals-subtotal'), /635\.000/);
  assert.match(await session.text('totals-vat'), /59\.250/);
  assert.match(await session.text('totals-rate-10-subtotal'), /550\.000/);
  assert.match(await session.text('totals-rate-10-vat'), /55\.000/);
  assert.match(await session.text('totals-rate-5-subtotal'), /85\.000/);
  assert.match(await session.text('totals-rate-5-vat'), /4\.250/);
  assert.equal(await session.text('amount-in-words'), 'Sáu trăm chín mươi bốn nghìn hai trăm năm mươi đồng');
  await shot('04-sale-lines');
  await session.scrollIntoView('amount-in-words');
  await shot('04-sale-totals');

  await session.click('sale-save');
  const saved = await session.waitForText('success-banner-message', (t) => t.startsWith('Đã lưu đơn hàng số'));
  saleNumber = saved.match(/số (\d+)/)[1];
  await shot('05-sale-saved');
});

test('after a restart the sale is in Đơn hàng', { timeout: 120_000 }, async () => {
  assert.ok(saleNumber, 'the previous test saved a sale');
  await closeApp();
  await openApp();
  await session.click('nav-don-hang');
  await session.type('sales-search', 'Kiểm Thử Đắc Lộc');
  await session.byTestId(`sales-row-${saleNumber}`);
  assert.match(await session.text(`sales-row-${saleNumber}`), /694\.250/);
  await session.click(`sales-row-${saleNumber}`);
  await session.waitForText('sale-detail', (t) => t.includes('Nón lá Huế') && t.includes('694.250'));
  await shot('06-sale-after-restart');
});
