// A Viettel S-Invoice shop, as its owner clicks: Cài đặt names Viettel (demo mode: the app's
// own Viettel simulator on loopback, reached over HTTP by the real client), a sale is
// issued, printed, cancelled and issued again, and an answer lost on the wire still ends
// with exactly one invoice at Viettel.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { freePort } from './harness.mjs';
import { issueAndReadNumber, issueThroughLostAnswer, pickSale, saveAnotherAccount } from './sale_invoice.mjs';
import { sim } from './simulators.mjs';
import { scenario } from './scenario.mjs';

let viettelPort;

const app = scenario('viettel', {
  env: async () => {
    viettelPort = await freePort();
    return { HOADON_NO_VIEWER: '1', HOADON_DEMO_VIETTEL_PORT: String(viettelPort) };
  },
});

/// Every transaction id Viettel numbered, numbered once: nothing issued twice.
async function viettelHolds() {
  const held = await sim(viettelPort, 'GET', '/_sim/invoices');
  assert.ok(Object.values(held.issued_per_key).every((n) => n === 1), `a transaction id numbered twice: ${JSON.stringify(held.issued_per_key)}`);
  return held;
}

let firstSale;
let firstNumber;

test('Cài đặt: the owner picks Viettel S-Invoice and the connection check answers', { timeout: 90_000 }, async () => {
  await app.session.click('nav-cai-dat');
  await app.session.byTestId('invoice-settings-form');
  await app.session.select('settings-provider', 'viettel');
  assert.equal(await app.session.script(`return document.querySelector('[data-testid="settings-demo"]').checked;`), true);
  // Viettel writes the form in full, like VNPT.
  assert.equal(await app.session.value('settings-template'), '1/001');
  await saveAnotherAccount(app);
  await app.session.click('settings-check');
  const ok = await app.session.waitForText('settings-check-result', (t) => t.length > 0, 30_000);
  assert.match(ok, /Kết nối thành công với Viettel S-Invoice/);
  // The series the account holds, asked of Viettel (getAllInvoiceTemplates).
  await app.session.click('settings-patterns-load');
  const choices = await app.session.waitForText('settings-patterns', (t) => t.length > 0, 30_000);
  assert.match(choices, /1\/001 · C\d\dTAA/);
  await app.session.scrollIntoView('settings-check-result');
  await app.shot('01-settings-viettel');

  // A real account: the form asks Viettel's seller tax code and needs no host.
  await app.session.scrollIntoView('settings-demo');
  await app.session.click('settings-demo');
  await app.session.byTestId('settings-seller-tax-code');
  assert.match(await app.session.text('invoice-settings-form'), /supplierTaxCode/);
  assert.match(await app.session.text('invoice-settings-form'), /api-vinvoice\.viettel\.vn/);
  assert.equal(await app.session.exists('settings-account'), false, 'no VNPT issuing account for Viettel');
  await app.session.scrollIntoView('settings-base-url');
  await app.shot('02-settings-viettel-real-account');
  await app.session.scrollIntoView('settings-demo');
  await app.session.click('settings-demo');
});

test('Xuất hóa đơn on a sale issues one Viettel invoice and shows its number', { timeout: 120_000 }, async () => {
  const before = (await viettelHolds()).issued_count;
  firstSale = await pickSale(app);
  await app.session.click(`sales-row-${firstSale}`);
  await app.session.byTestId('invoice-section');
  firstNumber = await issueAndReadNumber(app);
  assert.match(await app.session.text('invoice-symbol'), /^1C\d\dTAA$/);
  await app.session.scrollIntoView('invoice-section');
  await app.shot('03-invoice-issued-viettel');
  const held = await viettelHolds();
  assert.equal(held.issued_count, before + 1, 'exactly one invoice at Viettel');
  const mine = held.invoices.filter((i) => i.number === firstNumber && i.serial.endsWith('TAA'));
  assert.equal(mine.length, 1);
  assert.equal(mine[0].pattern, '1/001');
  // What the owner types in Viettel's portal to find it: the transaction id Viettel holds.
  assert.equal(await app.session.text('invoice-portal-reference'), mine[0].key);
});

test('In hóa đơn prints the PDF Viettel renders', { timeout: 90_000 }, async () => {
  await app.session.click('invoice-print');
  const path = await app.session.waitForText('invoice-pdf-path', (t) => t.endsWith('.pdf'), 30_000);
  assert.ok(existsSync(path) && statSync(path).size > 1000, `the PDF is missing or empty: ${path}`);
  await app.session.scrollIntoView('invoice-pdf-path');
  await app.shot('04-invoice-printed');
  const png = spawnSync('pdftoppm', ['-r', '60', '-png', path, join(app.artifacts, '05-viettel-invoice-pdf')], { encoding: 'utf8' });
  assert.equal(png.status, 0, `pdftoppm failed: ${png.stderr}`);
  assert.ok(readdirSync(app.artifacts).some((f) => f.startsWith('05-viettel-invoice-pdf') && f.endsWith('.png')));
  // The app's own print of the same invoice, written under the same name.
  const providerPdf = statSync(path).mtimeMs;
  await app.session.click('invoice-print-app');
  await app.session.waitFor('the app\'s own PDF written', async () => existsSync(path) && statSync(path).mtimeMs !== providerPdf, 30_000);
  spawnSync('pdftoppm', ['-r', '60', '-png', path, join(app.artifacts, '06-app-invoice-pdf')]);
});

test('Hủy hóa đơn cancels it at Viettel, then Xuất hóa đơn gives a new number', { timeout: 120_000 }, async () => {
  await app.session.click('invoice-cancel');
  await app.session.byTestId('invoice-cancel-form');
  await app.session.type('invoice-cancel-reason', 'Sai số lượng hàng');
  await app.session.click('invoice-cancel-confirm');
  await app.session.waitForText('invoice-status', 'Đã hủy', 60_000);
  await app.session.scrollIntoView('invoice-section');
  await app.shot('07-invoice-cancelled');
  const cancelled = (await viettelHolds()).invoices.find((i) => i.number === firstNumber && i.serial.endsWith('TAA'));
  assert.equal(cancelled.status, 2, 'Viettel holds the invoice as cancelled (Hóa đơn xóa bỏ)');

  const second = await issueAndReadNumber(app);
  assert.notEqual(second, firstNumber);
  await app.session.scrollIntoView('invoice-section');
  await app.shot('08-invoice-issued-again');
});

test('an answer lost after Viettel stored the invoice still ends with exactly one invoice', { timeout: 180_000 }, async () => {
  await sim(viettelPort, 'POST', '/_sim/faults', { drop_after_commit: { count: 1 }, only: ['createInvoice'] });
  const before = (await viettelHolds()).issued_count;
  const sale = await pickSale(app, [firstSale]);
  await app.session.click(`sales-row-${sale}`);
  await app.session.byTestId('invoice-section');
  const number = await issueThroughLostAnswer(app, '09-viettel');
  const held = await viettelHolds();
  assert.equal(held.issued_count, before + 1, 'exactly one invoice issued for the sale');
  assert.equal(held.invoices.filter((i) => i.number === number && i.serial.endsWith('TAA')).length, 1);
  const faults = await sim(viettelPort, 'GET', '/_sim/faults');
  assert.equal(faults.drop_after_commit.count, 0, 'the dropped answer happened');
});

test('a restore asks Viettel what was issued since the copy: the app\'s invoice is attached again, one made on the portal is listed', { timeout: 150_000 }, async () => {
  await app.session.click('nav-cai-dat');
  await app.session.byTestId('backup-settings');
  await app.session.scrollIntoView('backup-now');
  await app.session.click('backup-now');
  await app.session.waitForText('success-banner-message', (t) => t.includes('Đã sao lưu và kiểm tra'), 30_000);
  const copy = await app.session.waitFor('the new copy listed', () =>
    app.session.script(`return [...document.querySelectorAll('[data-testid="backup-row"]')].map((r) => r.dataset.file)[0] ?? null;`),
  );

  // After the copy: one sale invoiced by the app, and one invoice made on Viettel's own portal.
  const sale = await pickSale(app, [firstSale]);
  await app.session.click(`sales-row-${sale}`);
  await app.session.byTestId('invoice-section');
  const number = await issueAndReadNumber(app);
  const mine = (await viettelHolds()).invoices.find((i) => i.number === number && i.serial.endsWith('TAA'));
  await sim(viettelPort, 'POST', '/_sim/seed', {
    key: 'cong-viettel-0000000001',
    pattern: mine.pattern,
    serial: mine.serial,
    number: number + 1,
    status: 1,
    currency: 'VND',
    total: 70000,
    vat_amount: 7000,
    amount: 77000,
    cus_name: 'Khách mua trên cổng Viettel',
    buyer: 'Khách mua trên cổng Viettel',
    issued_at_ms: Date.now(),
  });

  await app.session.click('nav-cai-dat');
  await app.session.byTestId('backup-settings');
  await app.session.script(
    `const b = document.querySelector('[data-file="${copy}"] [data-testid="backup-restore"]'); b.scrollIntoView({ block: 'center' }); b.click();`,
  );
  await app.session.byTestId('backup-restore-yes');
  await app.session.scrollIntoView('backup-restore-yes');
  await app.session.click('backup-restore-yes');
  await app.session.waitForText('backup-restored', (t) => t.includes(`Đã khôi phục ${copy}`), 30_000);
  const said = await app.session.text('backup-reattach');
  assert.match(said, /gắn lại 1, không gắn được 1/, said);
  assert.match(said, /danh sách hóa đơn lập từ ngày/, said);
  const portal = await app.session.text('backup-not-attached');
  assert.match(portal, /77\.000 đồng/, portal);
  assert.match(portal, /không tự gắn/, portal);
  assert.match(portal, /Khách mua trên cổng Viettel/, portal);
  await app.session.scrollIntoView('backup-restored');
  await app.shot('10-viettel-restore-reattached');

  // The same copy restored again, Viettel now answering one row for a day that holds more:
  // the set-aside file still names the app's invoice, and the report says which day was cut.
  await sim(viettelPort, 'POST', '/_sim/list-page-size', { rows: 1 });
  await app.session.script(
    `const b = document.querySelector('[data-file="${copy}"] [data-testid="backup-restore"]'); b.scrollIntoView({ block: 'center' }); b.click();`,
  );
  await app.session.byTestId('backup-restore-yes');
  await app.session.scrollIntoView('backup-restore-yes');
  await app.session.click('backup-restore-yes');
  const cut = await app.session.waitForText('backup-reattach-list-error', (t) => t.includes('Chưa lấy được đủ'), 30_000);
  assert.match(cut, /ngày \d\d\/\d\d\/\d{4}: nhà cung cấp chỉ trả 1 trong \d+ hóa đơn/, cut);
  assert.match(await app.session.text('backup-reattach'), /gắn lại 1/);
  await sim(viettelPort, 'POST', '/_sim/list-page-size', { rows: null });
  await app.session.scrollIntoView('backup-reattach-list-error');
  await app.shot('10b-viettel-restore-list-cut');

  await app.session.click('nav-don-hang');
  await app.session.byTestId(`sales-row-${sale}`, 15_000);
  await app.session.click(`sales-row-${sale}`);
  await app.session.waitForText('invoice-status', 'Đã phát hành', 15_000);
  assert.equal(Number(await app.session.text('invoice-number')), number, 'the app\'s own invoice, attached again by its key');
});

test('a passwords file that can no longer be read is moved aside when the owner saves, and Cài đặt says so', { timeout: 120_000 }, async () => {
  await app.session.click('nav-cai-dat');
  await app.session.byTestId('invoice-settings-form');
  await app.session.scrollIntoView('settings-demo');
  await app.session.click('settings-demo');
  await app.session.type('settings-username', '0426018158');
  await app.session.type('settings-password', 'mat-khau-viettel-1');
  await app.session.type('settings-seller-tax-code', '0426018158');
  await saveAnotherAccount(app);
  const key = join(app.dataDir, 'secrets.key');
  assert.ok(existsSync(key), 'the password went to the encrypted file beside the database');
  // The key file damaged (a bad copy from another machine): the saved password is unreadable.
  writeFileSync(key, 'hong');
  await app.session.type('settings-password', 'mat-khau-viettel-2');
  await app.session.click('settings-invoice-save');
  const notice = await app.session.waitForText('settings-secrets-notice', (t) => t.length > 0, 30_000);
  assert.match(notice, /cất sang bên cạnh: .*secrets\.(enc|key)\.hong-/);
  assert.match(notice, /cần nhập lại/);
  assert.ok(readdirSync(app.dataDir).some((f) => f.startsWith('secrets.key.hong-')), 'the damaged key is kept aside');
  await app.session.scrollIntoView('settings-secrets-notice');
  await app.shot('11-settings-secrets-moved-aside');
  // Back to the demo account for whatever runs next.
  await app.session.scrollIntoView('settings-demo');
  await app.session.click('settings-demo');
  await saveAnotherAccount(app);
});
