// End-to-end: never the wrong invoice. A sale whose outcome was lost finds, under its key,
// an invoice the provider holds for another sale (a restored backup, a copied data folder):
// the app says "Trùng mã" with what differs, records nothing as issued, and issues the sale
// under a new key only after the owner confirms.
//
//   node tests/e2e/run.mjs integrity   (after the UI build and `cargo build -p hoadon-app`)

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { freePort } from './harness.mjs';
import { sim as simAt } from './simulators.mjs';
import { scenario } from './scenario.mjs';

let vnptPort;
const sim = (method, path, body) => simAt(vnptPort, method, path, body);
const app = scenario('integrity', {
  env: async () => {
    vnptPort = await freePort();
    return { HOADON_NO_VIEWER: '1', HOADON_DEMO_VNPT_PORT: String(vnptPort), HOADON_DEMO_EASYINVOICE_PORT: String(await freePort()) };
  },
});


function today() {
  const d = new Date(Date.now() + 7 * 3600 * 1000);
  return `${String(d.getUTCDate()).padStart(2, '0')}/${String(d.getUTCMonth() + 1).padStart(2, '0')}/${d.getUTCFullYear()}`;
}

test('another sale\'s invoice under the key: Trùng mã, nothing issued; Xuất lại với mã mới issues once', { timeout: 240_000 }, async () => {
  await app.session.click('nav-don-hang');
  const sale = await app.session.waitFor('a completed sale without invoice', () => app.session.script(
    `const r = [...document.querySelectorAll('[data-testid^="sales-row-"]')].find((r) => r.textContent.includes('Hoàn thành') && r.textContent.includes('Chưa xuất'));
     return r ? r.dataset.testid.slice('sales-row-'.length) : null;`,
  ));
  await app.session.click(`sales-row-${sale}`);
  await app.session.byTestId('invoice-section');

  // Every request is cut before VNPT stores anything: the outcome stays unclear.
  await sim('POST', '/_sim/faults', { reset_before_commit: { count: 1000 } });
  await app.session.click('invoice-issue');
  await app.session.waitForText('invoice-status', 'Cần xử lý', 120_000);
  const key = await app.session.text('invoice-key');

  // Meanwhile the provider holds another sale's invoice under that very key. (Seeded while
  // the faults still hold, so that the background queue cannot send this sale first.)
  const yy = today().slice(-2);
  await sim('POST', '/_sim/seed', {
    key, pattern: '1/001', serial: `C${yy}TAA`, number: 4242, status: 1, cus_code: 'KH-KHAC', cus_name: 'Cửa hàng Bình Minh',
    arising_date: today(), total: 1_000_000, vat_amount: 100_000, amount: 1_100_000, amount_in_words: 'Một triệu một trăm nghìn đồng',
    lines: [{ name: 'Hàng của đơn khác', unit: 'cái', quantity: '1', price: 1_000_000, amount: 1_000_000, vat_rate: '10', vat_amount: 100_000 }],
  });
  await sim('POST', '/_sim/faults', {});
  const issuedBefore = (await sim('GET', '/_sim/invoices')).issued_count;
  await app.session.click('invoice-reconcile');
  await app.session.waitForText('invoice-status', 'Trùng mã', 60_000);
  const conflict = await app.session.text('invoice-conflict');
  assert.match(conflict, /số 4242/);
  assert.match(conflict, /tổng tiền/);
  assert.match(conflict, /người mua «Cửa hàng Bình Minh»/);
  assert.equal(await app.session.text('invoice-number'), '—', 'nothing recorded as issued');
  await app.session.scrollIntoView('invoice-section');
  await app.shot('01-key-conflict');

  // Listed in Hóa đơn under Trùng mã too.
  await app.session.click('nav-hoa-don');
  await app.session.click('invoices-filter-key_conflict');
  await app.session.waitFor('the conflicting invoice in the list', () => app.session.script(
    `return !!document.querySelector('[data-testid^="invoices-reissue-"]');`,
  ));
  await app.shot('02-invoices-key-conflict');

  // The owner checks, then asks for a new key; exactly one invoice is issued for the sale.
  await app.session.click('nav-don-hang');
  await app.session.click(`sales-row-${sale}`);
  await app.session.click('invoice-reissue');
  await app.session.byTestId('invoice-reissue-form');
  await app.shot('03-reissue-confirm');
  await app.session.click('invoice-reissue-confirm');
  await app.session.waitForText('invoice-status', 'Đã phát hành', 60_000);
  const newKey = await app.session.text('invoice-key');
  assert.notEqual(newKey, key);
  const held = await sim('GET', '/_sim/invoices');
  assert.equal(held.issued_count, issuedBefore + 1, 'one new invoice, for this sale');
  assert.equal(held.issued_per_key[newKey], 1);
  const mine = held.invoices.find((i) => i.key === newKey);
  assert.equal(mine.number, Number(await app.session.text('invoice-number')));
  assert.equal(held.invoices.find((i) => i.key === key).number, 4242, 'the other sale\'s invoice untouched');
  await app.session.scrollIntoView('invoice-section');
  await app.shot('04-reissued-new-key');
});
