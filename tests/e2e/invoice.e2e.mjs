// End-to-end: e-invoices in demo mode. The app starts the VNPT and EasyInvoice simulators on
// fixed loopback ports, so the test can set their faults and read what they issued.
//
//   node tests/e2e/run.mjs invoice   (after the UI build and `cargo build -p hoadon-app`)

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

import { freePort } from './harness.mjs';
import { sim } from './simulators.mjs';
import { heldUnderShownKey, issueAndReadNumber, issueThroughLostAnswer, pickSale, saveAnotherAccount } from './sale_invoice.mjs';
import { scenario } from './scenario.mjs';

const app = scenario('invoice', {
  env: async () => {
    vnptPort = await freePort();
    easyPort = await freePort();
    return { HOADON_NO_VIEWER: '1', HOADON_DEMO_VNPT_PORT: String(vnptPort), HOADON_DEMO_EASYINVOICE_PORT: String(easyPort) };
  },
});

let vnptPort;
let easyPort;


test('Cài đặt shows demo VNPT and the connection check answers', { timeout: 60_000 }, async () => {
  await app.session.click('nav-cai-dat');
  await app.session.byTestId('invoice-settings-form');
  assert.equal(await app.session.value('settings-provider'), 'vnpt');
  assert.equal(await app.session.script(`return document.querySelector('[data-testid="settings-demo"]').checked;`), true);
  // Real VNPT tenants name their form 1/001 beside a TT78 serial.
  assert.equal(await app.session.value('settings-template'), '1/001');
  assert.match(await app.session.value('settings-serial'), /^C\d\dTAA$/);
  // The tenant's registered forms, asked of VNPT (listPatternByCom, getSerialByPattern).
  await app.session.click('settings-patterns-load');
  const choices = await app.session.waitForText('settings-patterns', (t) => t.length > 0, 30_000);
  assert.match(choices, /1\/001 · C\d\dTAA/);
  assert.match(choices, /2\/001 · C\d\dTBB/);
  await app.session.scrollIntoView('settings-patterns');
  await app.shot('01a-settings-vnpt-patterns');
  await app.session.click('settings-check');
  const ok = await app.session.waitForText('settings-check-result', (t) => t.length > 0, 30_000);
  assert.match(ok, /Kết nối thành công/);
  assert.match(ok, /WSDL/, 'the check read the tenant\'s service descriptions');
  await app.session.scrollIntoView('settings-check-result');
  await app.shot('01-settings-demo-vnpt');

  // A real account's passwords: the screen says where they will be kept. The test machine
  // has no keyring session, so the encrypted file.
  await app.session.scrollIntoView('settings-demo');
  await app.session.click('settings-demo');
  assert.match(await app.session.waitForText('settings-passwords-kept', (t) => t.length > 0), /secrets\.enc/);
  await app.session.scrollIntoView('settings-passwords-kept');
  await app.shot('02-settings-where-passwords-go');
  await app.session.scrollIntoView('settings-demo');
  await app.session.click('settings-demo');
  assert.equal(await app.session.exists('settings-passwords-kept'), false);
});

let firstSale;
let firstNumber;

test('Xuất hóa đơn on a demo sale shows the number', { timeout: 120_000 }, async () => {
  firstSale = await pickSale(app);
  await app.session.click(`sales-row-${firstSale}`);
  await app.session.byTestId('invoice-section');
  assert.equal(await app.session.text('invoice-status'), 'Chưa xuất hóa đơn');
  await app.shot('02-sale-before-invoice');
  firstNumber = await issueAndReadNumber(app);
  assert.match(await app.session.text('invoice-symbol'), /^1C\d\dTAA$/);
  await app.session.scrollIntoView('invoice-section');
  await app.shot('03-invoice-issued-vnpt');
  const { mine } = await heldUnderShownKey(app, vnptPort);
  assert.equal(mine.length, 1);
  assert.equal(mine[0].number, firstNumber);
  assert.equal(mine[0].pattern, '1/001', 'the VNPT pattern as the tenant names it');

  // The tax authority's verdict, asked of VNPT (GetMCCQThueByFkeys).
  assert.match(await app.session.waitForText('invoice-tax-verdict-label', (t) => t.length > 0, 30_000), /^CQT đã cấp mã 00[0-9A-F]{32}$/);
  await app.session.scrollIntoView('invoice-tax-verdict');
  await app.shot('03a-tax-verdict-accepted');
  await sim(vnptPort, 'POST', '/_sim/verdict', { key: mine[0].key, verdict: { state: 'rejected', code: '20101', message: 'Sai mã số thuế người bán' } });
  await app.session.click('invoice-tax-verdict-check');
  assert.match(await app.session.waitForText('invoice-tax-verdict-label', (t) => t.startsWith('CQT từ chối'), 30_000), /^CQT từ chối: Sai mã số thuế người bán \(mã 20101\)$/);
  await app.shot('03b-tax-verdict-rejected');
  await sim(vnptPort, 'POST', '/_sim/verdict', { key: mine[0].key, verdict: null });
});

test('In hóa đơn writes the PDF and shows its path', { timeout: 90_000 }, async () => {
  await app.session.click('invoice-print');
  const path = await app.session.waitForText('invoice-pdf-path', (t) => t.endsWith('.pdf'), 30_000);
  assert.ok(existsSync(path), `the PDF is missing: ${path}`);
  assert.ok(statSync(path).size > 1000, 'the PDF is not empty');
  await app.session.scrollIntoView('invoice-pdf-path');
  await app.shot('04-invoice-printed');
  const png = spawnSync('pdftoppm', ['-r', '60', '-png', path, join(app.artifacts, '05-invoice-pdf')], { encoding: 'utf8' });
  assert.equal(png.status, 0, `pdftoppm failed: ${png.stderr}`);
  assert.ok(readdirSync(app.artifacts).some((f) => f.startsWith('05-invoice-pdf') && f.endsWith('.png')));

  await app.session.click('invoice-print-receipt');
  const receipt = await app.session.waitForText('invoice-pdf-path', (t) => t.includes('bien-lai'), 30_000);
  assert.ok(existsSync(receipt), `the receipt is missing: ${receipt}`);
  spawnSync('pdftoppm', ['-r', '60', '-png', receipt, join(app.artifacts, '06-receipt-pdf')]);
});

test('Lưu PDF writes where the save dialog says, and nothing when the owner cancels', { timeout: 60_000 }, async () => {
  const before = readdirSync(app.dataDir).length;
  app.answerNextDialog(null);
  await app.session.click('invoice-save-pdf');
  await app.session.waitFor('the button is back after the cancelled dialog', async () =>
    app.session.script(`return !document.querySelector('[data-testid="invoice-save-pdf"]').disabled;`),
  );
  assert.equal(await app.session.exists('invoice-saved-path'), false, 'a cancelled dialog saves nothing');
  assert.equal(readdirSync(app.dataDir).length, before);

  const target = join(app.dataDir, 'hoa-don-luu.pdf');
  app.answerNextDialog(target);
  await app.session.click('invoice-save-pdf');
  assert.equal(await app.session.waitForText('invoice-saved-path', (t) => t.endsWith('.pdf'), 30_000), target);
  assert.equal(readFileSync(target).subarray(0, 5).toString('latin1'), '%PDF-');
});

test('Hủy hóa đơn asks for a reason, then Xuất hóa đơn gives a new number', { timeout: 120_000 }, async () => {
  await app.session.click('invoice-cancel');
  await app.session.byTestId('invoice-cancel-form');
  assert.equal(await app.session.script(`return document.querySelector('[data-testid="invoice-cancel-confirm"]').disabled;`), true);
  await app.session.type('invoice-cancel-reason', 'Ghi sai tên người mua');
  await app.session.scrollIntoView('invoice-cancel-form');
  await app.shot('07-cancel-reason');
  await app.session.click('invoice-cancel-confirm');
  await app.session.waitForText('invoice-status', 'Đã hủy', 60_000);
  await app.session.byTestId('invoice-issue');
  await app.session.click('invoice-events-toggle');
  await app.session.waitFor('the cancel in the event log', () => app.session.script(
    `return document.querySelector('[data-testid="invoice-events"]').textContent.includes('Ghi sai tên người mua');`,
  ));
  await app.session.scrollIntoView('invoice-events');
  await app.shot('08-invoice-cancelled');

  const second = await issueAndReadNumber(app);
  assert.notEqual(second, firstNumber);
  await app.session.scrollIntoView('invoice-section');
  await app.shot('09-invoice-issued-again');
});

test('Hóa đơn lists the invoices by status and opens a sale', { timeout: 60_000 }, async () => {
  await app.session.click('nav-hoa-don');
  await app.session.byTestId('screen-hoa-don');
  await app.session.waitFor('two invoices', async () => (await app.session.findAll('[data-testid^="invoices-row-"][tabindex]')).length === 2);
  await app.shot('10-invoices-all');
  await app.session.click('invoices-filter-cancelled');
  await app.session.waitFor('one cancelled invoice', async () => (await app.session.findAll('[data-testid^="invoices-row-"][tabindex]')).length === 1);
  await app.session.click('invoices-filter-needs_reconcile');
  await app.session.byTestId('invoices-empty');
  await app.session.byTestId('invoices-process-queue');
  await app.shot('11-invoices-needs-reconcile');
  await app.session.click('invoices-filter-issued');
  const rowId = await app.session.waitFor('the issued invoice', () => app.session.script(
    `const rows = [...document.querySelectorAll('[data-testid^="invoices-row-"][tabindex]')];
     return rows.length === 1 ? rows[0].dataset.testid : null;`,
  ));
  await app.session.click(rowId);
  await app.session.waitForText('sale-detail-id', String(firstSale));
});

test('EasyInvoice: a dropped answer still ends with exactly one invoice', { timeout: 180_000 }, async () => {
  await app.session.click('nav-cai-dat');
  await app.session.byTestId('invoice-settings-form');
  await app.session.select('settings-provider', 'easyinvoice');
  // Each provider names the form its own way: VNPT's 1/001 is refused for EasyInvoice, on
  // the field, before anything is saved.
  await app.session.click('settings-invoice-save');
  assert.match(await app.session.waitForText('field-error-template', (t) => t.length > 0), /EasyInvoice ghi mẫu số là một chữ số/);
  await app.session.scrollIntoView('settings-template');
  await app.shot('11b-settings-easyinvoice-template-refused');
  await app.session.type('settings-template', '1');
  assert.equal(await app.session.script(`return document.querySelector('[data-testid="settings-demo"]').checked;`), true);
  await saveAnotherAccount(app);
  await app.session.click('settings-check');
  assert.match(await app.session.waitForText('settings-check-result', (t) => t.length > 0, 30_000), /Kết nối thành công/);
  await app.session.scrollIntoView('settings-check-result');
  await app.shot('12-settings-easyinvoice');

  await sim(easyPort, 'POST', '/_sim/faults', { drop_after_commit: { count: 1 }, only: ['importAndIssueInvoice'] });
  const issuedBefore = (await sim(easyPort, 'GET', '/_sim/invoices')).issued_count;
  const sale = await pickSale(app, [firstSale]);
  await app.session.click(`sales-row-${sale}`);
  await app.session.byTestId('invoice-section');
  const number = await issueThroughLostAnswer(app, '13-easyinvoice');

  const { key, held, mine } = await heldUnderShownKey(app, easyPort);
  assert.equal(mine.length, 1, `one invoice for sale ${sale} on the simulator under ${key}`);
  assert.equal(held.issued_per_key[key], 1);
  assert.equal(held.issued_count, issuedBefore + 1, 'exactly one invoice issued for the sale');
  assert.equal(mine[0].number, number);
  const faults = await sim(easyPort, 'GET', '/_sim/faults');
  assert.equal(faults.drop_after_commit.count, 0, 'the dropped answer happened');
});

test('a buyer whose business is closed: Xuất hóa đơn asks first', { timeout: 180_000 }, async () => {
  const CLOSED = '0110613182';
  await app.session.click('nav-khach-hang');
  await app.session.click('customer-new');
  await app.session.select('customer-kind', 'business');
  await app.session.type('customer-tax-code', CLOSED);
  await app.session.click('customer-lookup');
  await app.session.waitForText('customer-lookup-warning', (t) => t.length > 0, 30_000);
  await app.session.click('customer-save');
  await app.session.byTestId('success-banner');

  await app.session.click('nav-ban-hang');
  const customerId = await app.session.waitFor('the closed business among the choices', () => app.session.script(
    `const o = [...document.querySelectorAll('[data-testid="sale-customer"] option')].find((o) => o.textContent.includes(arguments[0]));
     return o ? o.value : null;`,
    [CLOSED],
  ));
  await app.session.select('sale-customer', customerId);
  await app.session.type('line-0-name', 'Gạo ST25');
  await app.session.type('line-0-quantity', '2');
  await app.session.type('line-0-price', '34.000');
  await app.session.select('line-0-vat', '5');
  await app.session.waitForText('totals-total', (t) => t.includes('71.400'));
  await app.session.click('sale-save');
  await app.session.waitForText('success-banner-message', (t) => t.startsWith('Đã lưu đơn hàng số'));
  await app.session.click('success-open-sale');
  await app.session.byTestId('invoice-section');

  await app.session.click('invoice-issue');
  const warning = await app.session.waitForText('invoice-warning-message', (t) => t.length > 0, 30_000);
  assert.match(warning, new RegExp(`MST ${CLOSED}`));
  assert.match(warning, /Đã chấm dứt hoạt động/);
  await app.session.scrollIntoView('invoice-warning');
  await app.shot('15-buyer-warning');
  await app.session.click('invoice-warning-cancel');
  assert.equal(await app.session.text('invoice-status'), 'Chưa xuất hóa đơn');

  await app.session.click('invoice-issue');
  await app.session.byTestId('invoice-warning');
  await app.session.click('invoice-warning-confirm');
  const number = await app.session.waitForText('invoice-number', (t) => /^\d+$/.test(t), 60_000);
  assert.equal(await app.session.text('invoice-status'), 'Đã phát hành');
  await app.session.scrollIntoView('invoice-section');
  await app.shot('16-issued-after-warning');
  assert.ok(Number(number) > 0);
});

test('an answer lost twice: "Cần xử lý", then Thử lại in Hóa đơn issues exactly one', { timeout: 180_000 }, async () => {
  // Every EasyInvoice answer is lost (the issue and the look-up by key), so the outcome stays unclear.
  await sim(easyPort, 'POST', '/_sim/faults', { drop_after_commit: { count: 1000 } });
  const issuedBefore = (await sim(easyPort, 'GET', '/_sim/invoices')).issued_count;
  const sale = await pickSale(app, [firstSale]);
  await app.session.click(`sales-row-${sale}`);
  await app.session.byTestId('invoice-section');
  await app.session.click('invoice-issue');
  const error = await app.session.waitForText('invoice-error', (t) => t.length > 0, 120_000);
  const key = await app.session.text('invoice-key');
  assert.match(error, /Cần xử lý/);
  assert.equal(await app.session.text('invoice-status'), 'Cần xử lý');
  assert.equal(await app.session.exists('invoice-issue'), false, 'no second Xuất hóa đơn while unclear');
  await app.session.byTestId('invoice-reconcile');
  await app.session.scrollIntoView('invoice-section');
  await app.shot('17-needs-reconcile');

  await sim(easyPort, 'POST', '/_sim/faults', {});
  await app.session.click('nav-hoa-don');
  await app.session.click('invoices-filter-needs_reconcile');
  const retry = await app.session.waitFor('the unclear invoice (or the queue already settled it)', () => app.session.script(
    `const b = document.querySelector('[data-testid^="invoices-retry-"]');
     return b ? b.dataset.testid : (document.querySelector('[data-testid="invoices-empty"]') ? 'settled' : null);`,
  ));
  await app.shot('18-invoices-needs-reconcile');
  if (retry !== 'settled') {
    await app.session.click(retry);
    await app.session.waitForText('success-banner-message', (t) => t.includes('đã được phát hành'), 60_000);
    await app.session.byTestId('invoices-empty');
    await app.shot('19-after-retry');
  }

  const held = await sim(easyPort, 'GET', '/_sim/invoices');
  const mine = held.invoices.filter((i) => i.key === key);
  assert.equal(mine.length, 1, `one invoice for sale ${sale} under ${key}`);
  assert.equal(held.issued_per_key[key], 1);
  assert.equal(held.issued_count, issuedBefore + 1, 'exactly one invoice issued for the sale');
  await app.session.click('invoices-filter-issued');
  await app.session.waitFor('the sale among the issued', () => app.session.script(
    `return [...document.querySelectorAll('[data-testid^="invoices-row-"][tabindex]')].some((r) => r.children[2].textContent.trim() === arguments[0]);`,
    [String(sale)],
  ));
});

test('Thay thế hóa đơn issues exactly one replacing invoice and marks the original', { timeout: 90_000 }, async () => {
  const saleId = await pickSale(app);
  await app.session.click(`sales-row-${saleId}`);
  const original = await issueAndReadNumber(app);
  const before = (await sim(easyPort, 'GET', '/_sim/invoices')).invoices?.length ?? null;
  await app.session.click('invoice-replace');
  await app.session.byTestId('invoice-change-form');
  await app.shot('20-replace-confirm');
  await app.session.click('invoice-change-confirm');
  const replacement = Number(await app.session.waitForText('invoice-number', (t) => /^\d+$/.test(t) && Number(t) !== original, 60_000));
  assert.equal(await app.session.text('invoice-status'), 'Đã phát hành');
  assert.notEqual(replacement, original);
  const after = await sim(easyPort, 'GET', '/_sim/invoices');
  assert.ok(Object.values(after.issued_per_key).every((n) => n === 1), 'no key issued twice');
  if (before !== null) assert.equal(after.invoices.length, before + 1, 'exactly one replacing invoice');
  await app.shot('21-replaced');
});

test('Điều chỉnh giảm: the typed difference is issued once and shown on the invoice', { timeout: 120_000 }, async () => {
  const saleId = await pickSale(app);
  await app.session.click(`sales-row-${saleId}`);
  const original = await issueAndReadNumber(app);
  const before = (await sim(easyPort, 'GET', '/_sim/invoices')).invoices.length;
  await app.session.click('invoice-adjust-amounts');
  await app.session.byTestId('adjustment-form');
  await app.session.click('adjustment-decrease');

  // Nothing typed: refused in Vietnamese, nothing sent.
  await app.session.click('adjustment-confirm');
  assert.match(await app.session.waitForText('field-error-reason', (t) => t.length > 0), /lý do điều chỉnh/);
  assert.equal((await sim(easyPort, 'GET', '/_sim/invoices')).invoices.length, before);

  await app.session.type('adjustment-reason', 'Giảm giá 50.000 đồng theo biên bản thỏa thuận ngày 20/11');
  await app.session.type('line-0-name', 'Giảm giá theo thỏa thuận');
  await app.session.type('line-0-unit', 'lần');
  await app.session.type('line-0-price', '50.000');
  await app.session.select('line-0-vat', '10');
  await app.session.waitForText('adjustment-totals-total', '55.000 ₫');
  assert.equal(await app.session.text('adjustment-amount-in-words'), 'Năm mươi lăm nghìn đồng');
  await app.shot('22-adjust-decrease-form');

  await app.session.click('adjustment-confirm');
  const adjusting = Number(await app.session.waitForText('invoice-number', (t) => /^\d+$/.test(t) && Number(t) !== original, 60_000));
  assert.equal(await app.session.text('invoice-status'), 'Đã phát hành');
  assert.equal(await app.session.text('invoice-kind'), 'Hóa đơn điều chỉnh giảm');
  assert.match(await app.session.waitForText('invoice-adjustment-total', (t) => t.includes('55.000')), /^Giảm 55\.000 ₫/);
  assert.match(await app.session.text('success-banner-message'), new RegExp(`số ${adjusting} điều chỉnh giảm hóa đơn số ${original}`));

  const after = await sim(easyPort, 'GET', '/_sim/invoices');
  assert.equal(after.invoices.length, before + 1, 'exactly one adjusting invoice');
  assert.ok(Object.values(after.issued_per_key).every((n) => n === 1), 'no key issued twice');
  const sent = after.invoices.find((i) => i.number === adjusting);
  assert.ok(sent, 'the provider holds the adjusting invoice');
  assert.deepEqual([sent.lines.length, sent.total, sent.vat_amount, sent.amount], [1, 50_000, 5_000, 55_000]);
  await app.shot('23-adjusted-decrease');

  // The app's own print of the adjusting invoice: the difference, and the invoice it adjusts.
  await app.session.click('invoice-print-app');
  const path = await app.session.waitForText('invoice-pdf-path', (t) => t.endsWith('.pdf'), 30_000);
  const text = spawnSync('pdftotext', ['-layout', path, '-'], { encoding: 'utf8' }).stdout.replace(/\s+/g, ' ');
  assert.match(text, new RegExp(`Điều chỉnh giảm cho hóa đơn mẫu số 1, ký hiệu C\\d\\dTAA, số ${original}`));
  assert.match(text, /Lý do: Giảm giá 50\.000 đồng theo biên bản thỏa thuận ngày 20\/11\./);
  assert.match(text, /Năm mươi lăm nghìn đồng/);
  spawnSync('pdftoppm', ['-r', '60', '-png', path, join(app.artifacts, '23b-adjusting-invoice-pdf')]);
});

test('USB Token: Xuất hóa đơn leaves a VNPT draft; after signing, Kiểm tra lại shows its number', { timeout: 120_000 }, async () => {
  await app.session.click('nav-cai-dat');
  await app.session.byTestId('invoice-settings-form');
  await app.session.select('settings-provider', 'vnpt');
  await app.session.type('settings-template', '1/001');
  await app.session.select('settings-signing', 'token');
  await saveAnotherAccount(app);
  await app.session.scrollIntoView('settings-signing');
  await app.shot('24-settings-token');

  const saleId = await pickSale(app);
  await app.session.click(`sales-row-${saleId}`);
  const signedBefore = (await sim(vnptPort, 'GET', '/_sim/invoices')).issued_count;
  await app.session.click('invoice-issue');
  await app.session.waitForText('invoice-status', 'Bản nháp', 60_000);
  assert.equal(await app.session.text('invoice-number'), '—');
  assert.match(await app.session.text('invoice-draft-hint'), /USB Token/);
  assert.match(await app.session.text('success-banner-message'), /Đã tạo hóa đơn nháp/);
  assert.equal(await app.session.exists('invoice-issue'), false, 'a draft is never imported again');
  await app.shot('25-draft-at-vnpt');

  const draftKey = await app.session.text('invoice-key');
  const held = (await sim(vnptPort, 'GET', '/_sim/invoices')).invoices.filter((i) => i.key === draftKey);
  assert.equal(held.length, 1, 'one draft at VNPT for the sale');
  assert.equal(held[0].number, null);
  assert.equal((await sim(vnptPort, 'GET', '/_sim/invoices')).issued_count, signedBefore, 'nothing signed by the app');

  // The owner signs it with the token in VNPT's software.
  const { number } = await sim(vnptPort, 'POST', '/_sim/sign', { key: held[0].key });
  await app.session.click('invoice-reconcile');
  await app.session.waitForText('invoice-status', 'Đã phát hành', 60_000);
  assert.equal(Number(await app.session.text('invoice-number')), number);
  const after = await sim(vnptPort, 'GET', '/_sim/invoices');
  assert.equal(after.issued_count, signedBefore + 1);
  assert.ok(Object.values(after.issued_per_key).every((n) => n === 1), 'no key issued twice');
  await app.shot('26-draft-signed');

  await app.session.click('nav-cai-dat');
  await app.session.byTestId('invoice-settings-form');
  await app.session.select('settings-signing', 'provider');
  await app.session.click('settings-invoice-save');
  await app.session.waitForText('success-banner-message', (t) => t.includes('hóa đơn điện tử'));
});

test('a buyer without an address is refused before sending, naming the field; with it, the invoice issues', { timeout: 150_000 }, async () => {
  await app.session.click('nav-khach-hang');
  await app.session.click('customer-new');
  await app.session.select('customer-kind', 'person');
  await app.session.type('customer-name', 'Trần Thị Không Địa Chỉ');
  await app.session.click('customer-save');
  await app.session.byTestId('success-banner');

  await app.session.click('nav-ban-hang');
  const customerId = await app.session.waitFor('the new customer among the choices', () => app.session.script(
    `const o = [...document.querySelectorAll('[data-testid="sale-customer"] option')].find((o) => o.textContent.includes('Không Địa Chỉ'));
     return o ? o.value : null;`,
  ));
  await app.session.select('sale-customer', customerId);
  await app.session.type('line-0-name', 'Bánh pía Sóc Trăng');
  await app.session.type('line-0-quantity', '2');
  await app.session.type('line-0-price', '45.000');
  await app.session.select('line-0-vat', '8');
  await app.session.waitForText('totals-total', (t) => t.includes('97.200'));
  await app.session.click('sale-save');
  const saved = await app.session.waitForText('success-banner-message', (t) => t.startsWith('Đã lưu đơn hàng số'));
  const saleId = saved.match(/số (\d+)/)[1];

  const before = await sim(vnptPort, 'GET', '/_sim/invoices');
  await app.session.click('nav-don-hang');
  await app.session.click(`sales-row-${saleId}`);
  await app.session.byTestId('invoice-section');
  await app.session.click('invoice-issue');
  const error = await app.session.waitForText('invoice-error', (t) => t.length > 0, 60_000);
  assert.match(error, /Địa chỉ người mua còn trống/);
  assert.match(error, /VNPT Invoice bắt buộc/);
  await app.session.scrollIntoView('invoice-section');
  await app.shot('02a-buyer-without-address-refused');
  const after = await sim(vnptPort, 'GET', '/_sim/invoices');
  assert.equal(after.invoices.length, before.invoices.length, 'nothing was sent to VNPT');
  assert.equal(after.issued_count, before.issued_count);

  // The owner adds the address; the same sale then issues.
  await app.session.click('nav-khach-hang');
  await app.session.type('customers-search', 'Không Địa Chỉ');
  const row = await app.session.waitFor('the customer in the list', () => app.session.script(
    `const rows = [...document.querySelectorAll('[data-testid^="customer-row-"]')];
     return rows.length === 1 ? rows[0].dataset.testid : null;`,
  ));
  await app.session.click(row);
  await app.session.type('customer-address', '7 Hai Bà Trưng, Phường Sóc Trăng, TP. Cần Thơ');
  await app.session.click('customer-save');
  await app.session.byTestId('success-banner');
  await app.session.click('nav-don-hang');
  await app.session.click(`sales-row-${saleId}`);
  await app.session.byTestId('invoice-section');
  await issueAndReadNumber(app);
  const { mine } = await heldUnderShownKey(app, vnptPort);
  assert.equal(mine.length, 1);
  assert.equal(mine[0].address, '7 Hai Bà Trưng, Phường Sóc Trăng, TP. Cần Thơ');
  await app.session.scrollIntoView('invoice-section');
  await app.shot('02b-buyer-with-address-issued');
});
