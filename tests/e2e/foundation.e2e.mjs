// End-to-end: the real app in a real window under Xvfb, driven through tauri-driver and
// WebKitWebDriver, clicking what a shop owner clicks. Screenshots go to app.artifacts (printed).
//
//   node tests/e2e/run.mjs foundation   (after `cargo build -p hoadon-app` and the UI build)

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { scenario } from './scenario.mjs';

const app = scenario('foundation');

test('the first start shows the demo shop', { timeout: 60_000 }, async () => {
  await app.session.byTestId('demo-banner');
  await app.session.click('nav-don-hang');
  await app.session.waitFor('demo sales in the list', async () => (await app.session.findAll('[data-testid^="sales-row-"]')).length > 0);
  await app.shot('01-demo-sales');
});

test('a customer with a wrong check digit is refused and not saved; a valid one is saved', { timeout: 90_000 }, async () => {
  await app.session.click('nav-khach-hang');
  await app.session.click('customer-new');
  await app.session.select('customer-kind', 'business');
  await app.session.type('customer-name', 'Công ty TNHH Kiểm Thử Đắc Lộc');
  await app.session.type('customer-tax-code', '0100109107');
  await app.session.click('customer-save');
  const message = await app.session.waitForText('field-error-tax_code', (t) => t.includes('chữ số kiểm tra'));
  assert.equal(message, 'Mã số thuế sai chữ số kiểm tra: chữ số thứ 10 phải là 6, không phải 7.');
  await app.shot('02-customer-wrong-check-digit');

  // Nothing was saved: the list does not know the name.
  await app.session.type('customers-search', 'Kiểm Thử Đắc Lộc');
  await app.session.byTestId('customers-empty');

  await app.session.type('customer-tax-code', '0100109106');
  await app.session.click('customer-save');
  await app.session.byTestId('success-banner');
  await app.session.waitFor('the new customer in the list', async () => (await app.session.findAll('[data-testid^="customer-row-"]')).length === 1);
  const [row] = await app.session.findAll('[data-testid^="customer-row-"]');
  assert.match(await app.session.req('GET', `/element/${row}/text`), /Kiểm Thử Đắc Lộc[\s\S]*0100109106/);
  await app.shot('03-customer-saved');
});

const LINES = [
  { name: 'Gạo ST25', quantity: '2,5', price: '34.000', vat: '5' },
  { name: 'Nước mắm Phú Quốc', quantity: '2', price: '95.000', vat: '10' },
  { name: 'Nón lá Huế', quantity: '3', price: '120.000', vat: '10' },
];
let saleNumber;

test('a sale of three lines at two VAT rates shows its totals and words, and saves', { timeout: 120_000 }, async () => {
  await app.session.click('nav-ban-hang');
  const customerId = await app.session.waitFor('the new customer among the choices', () => app.session.script(
    `const o = [...document.querySelectorAll('[data-testid="sale-customer"] option')].find((o) => o.textContent.includes('Kiểm Thử Đắc Lộc'));
     return o ? o.value : null;`,
  ));
  await app.session.select('sale-customer', customerId);
  for (const [i, line] of LINES.entries()) {
    if (!(await app.session.exists(`line-${i}`))) await app.session.click('sale-add-line');
    await app.session.type(`line-${i}-name`, line.name);
    await app.session.type(`line-${i}-quantity`, line.quantity);
    await app.session.type(`line-${i}-price`, line.price);
    await app.session.select(`line-${i}-vat`, line.vat);
  }
  await app.session.waitForText('line-0-amount', (t) => t.includes('85.000'));
  await app.session.waitForText('totals-total', (t) => t.includes('694.250'));
  assert.match(await app.session.text('totals-subtotal'), /635\.000/);
  assert.match(await app.session.text('totals-vat'), /59\.250/);
  assert.match(await app.session.text('totals-rate-10-subtotal'), /550\.000/);
  assert.match(await app.session.text('totals-rate-10-vat'), /55\.000/);
  assert.match(await app.session.text('totals-rate-5-subtotal'), /85\.000/);
  assert.match(await app.session.text('totals-rate-5-vat'), /4\.250/);
  assert.equal(await app.session.text('amount-in-words'), 'Sáu trăm chín mươi bốn nghìn hai trăm năm mươi đồng');
  await app.shot('04-sale-lines');
  await app.session.scrollIntoView('amount-in-words');
  await app.shot('04-sale-totals');

  await app.session.click('sale-save');
  const saved = await app.session.waitForText('success-banner-message', (t) => t.startsWith('Đã lưu đơn hàng số'));
  saleNumber = saved.match(/số (\d+)/)[1];
  await app.shot('05-sale-saved');
});

test('after a restart the sale is in Đơn hàng', { timeout: 120_000 }, async () => {
  assert.ok(saleNumber, 'the previous test saved a sale');
  await app.closeApp();
  await app.openApp();
  await app.session.click('nav-don-hang');
  await app.session.type('sales-search', 'Kiểm Thử Đắc Lộc');
  await app.session.byTestId(`sales-row-${saleNumber}`);
  assert.match(await app.session.text(`sales-row-${saleNumber}`), /694\.250/);
  await app.session.click(`sales-row-${saleNumber}`);
  await app.session.waitForText('sale-detail', (t) => t.includes('Nón lá Huế') && t.includes('694.250'));
  await app.shot('06-sale-after-restart');
});
