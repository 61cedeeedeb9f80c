// End-to-end: partner look-up by tax code in the real window, against the registry simulator
// the app starts in-process on its embedded default (no look-up settings saved). Screenshots
// go to app.artifacts/lookup (printed).
//
//   node tests/e2e/run.mjs lookup   (after `cargo build -p hoadon-app` and the UI build)

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { scenario } from './scenario.mjs';

const app = scenario('lookup');

// The simulator's demo tax codes (crates/sim-registry, `demo`).
const ACTIVE = '0109526016';
const CLOSED = '0110613182';

test('Cài đặt says the demo look-up is active, on 127.0.0.1', { timeout: 60_000 }, async () => {
  await app.session.click('nav-cai-dat');
  const demo = await app.session.waitForText('lookup-demo', (t) => t.includes('Đang dùng tra cứu thử'));
  assert.match(await app.session.text('lookup-demo-endpoint'), /^http:\/\/127\.0\.0\.1:\d+$/);
  assert.ok(demo.includes(ACTIVE) && demo.includes(CLOSED), demo);
  await app.session.scrollIntoView('lookup-demo');
  await app.shot('01-settings-demo-lookup');
});

test('an invalid MST is refused with the exact reason and fills nothing', { timeout: 60_000 }, async () => {
  await app.session.click('nav-khach-hang');
  await app.session.click('customer-new');
  await app.session.type('customer-tax-code', '0109526017');
  await app.session.click('customer-lookup');
  const reason = await app.session.waitForText('field-error-tax_code', (t) => t.length > 0);
  assert.equal(reason, 'Mã số thuế sai chữ số kiểm tra: chữ số thứ 10 phải là 6, không phải 7.');
  assert.equal(await app.session.value('customer-name'), '');
  assert.equal(await app.session.exists('customer-lookup-result'), false);
  await app.shot('02-invalid-mst');
});

test('a customer is created through a look-up: name, address and buyer filled, then saved', { timeout: 90_000 }, async () => {
  await app.session.type('customer-tax-code', ACTIVE);
  await app.session.click('customer-lookup');
  await app.session.waitForText('customer-lookup-status', 'Đang hoạt động');
  assert.equal(await app.session.exists('field-error-tax_code'), false, 'the earlier refusal is gone');
  const name = await app.session.value('customer-name');
  assert.match(name, /^CÔNG TY TNHH .*SEN VÀNG$/);
  assert.match(await app.session.value('customer-address'), /Hà Nội/);
  assert.equal(await app.session.value('customer-kind'), 'business');
  assert.equal(await app.session.value('customer-buyer-name'), 'Nguyễn Văn An');
  assert.match(await app.session.text('customer-lookup-source'), /^Hệ thống thông tin quốc gia về đăng ký doanh nghiệp, lúc \d{2}\/\d{2}\/\d{4} \d{2}:\d{2}$/);
  assert.equal(await app.session.exists('customer-lookup-warning'), false);
  assert.match(await app.session.text('customer-lookup-filled'), /^Đã điền tên đơn vị, địa chỉ và người mua hàng/);
  await app.shot('03-lookup-filled');
  await app.session.scrollIntoView('customer-lookup-result');
  await app.shot('03-lookup-result');

  await app.session.click('customer-save');
  await app.session.waitForText('success-banner-message', (t) => t.startsWith('Đã lưu khách hàng'));
  await app.session.type('customers-search', ACTIVE);
  await app.session.waitFor('the new customer in the list', async () => (await app.session.findAll('[data-testid^="customer-row-"]')).length === 1);
  const [row] = await app.session.findAll('[data-testid^="customer-row-"]');
  const rowText = await app.session.req('GET', `/element/${row}/text`);
  assert.ok(rowText.includes(name) && rowText.includes(ACTIVE), rowText);
  await app.shot('04-customer-saved');
});

test('a closed business shows a warning in Vietnamese', { timeout: 60_000 }, async () => {
  // The saved-customer banner and the sticky top bar sit over the header once the form scrolled.
  await app.session.click('success-banner-close');
  await app.session.scrollIntoView('customer-new');
  await app.session.click('customer-new');
  await app.session.type('customer-tax-code', CLOSED);
  await app.session.click('customer-lookup');
  const warning = await app.session.waitForText('customer-lookup-warning', (t) => t.length > 0);
  assert.ok(warning.startsWith('Cảnh báo: doanh nghiệp này đang ở tình trạng «Đã chấm dứt hoạt động»'), warning);
  assert.equal(await app.session.text('customer-lookup-status'), 'Đã chấm dứt hoạt động');
  assert.match(await app.session.value('customer-name'), /^CÔNG TY/);
  await app.session.scrollIntoView('customer-lookup-warning');
  await app.shot('05-closed-business-warning');

  // The answer belongs to the code: another code in the box hides it.
  await app.session.type('customer-tax-code', ACTIVE);
  await app.session.waitFor('the stale answer to go', async () => !(await app.session.exists('customer-lookup-warning')));
});

test('Hồ sơ đăng ký: dossiers received in a period, and one dossier read', { timeout: 90_000 }, async () => {
  await app.session.click('nav-ho-so-dang-ky');
  await app.session.byTestId('dossiers-demo-hint');
  await app.session.type('dossiers-from', '01/03/2026');
  await app.session.type('dossiers-to', '31/03/2026');
  await app.session.type('dossiers-site', 'HN');
  await app.session.click('dossiers-search');
  await app.session.click('dossiers-item-2026000101');
  await app.session.waitForText('dossier-status', 'Đã trả kết quả (mã 10)');
  assert.equal(await app.session.text('dossier-receipt-no'), 'HN-2026-000101');
  assert.match(await app.session.text('dossier-fees'), /100\.000 ₫/);
  await app.shot('06-dossier-latest');

  await app.session.type('dossier-journal-no', 'HN-2026-000101');
  await app.session.click('dossier-detail-search');
  await app.session.waitForText('dossier-processing-state', 'Đã trả kết quả (mã 10)');
  assert.match(await app.session.text('dossier-supplements'), /^03\/03\/2026 10:00 — Bổ sung biên bản họp hội đồng thành viên/);
  await app.session.scrollIntoView('dossier-view');
  await app.shot('07-dossier-detail');
});

test('saved settings replace the demo; out of reach, the cache answers with its time; Xóa cài đặt brings the demo back', { timeout: 90_000 }, async () => {
  await app.session.click('nav-cai-dat');
  const endpoint = await app.session.text('lookup-demo-endpoint');
  await app.session.scrollIntoView('lookup-vietqr-enabled');
  await app.session.click('lookup-vietqr-enabled');
  await app.session.type('lookup-vietqr-base-url', `${endpoint}/vietqr`);
  await app.session.type('lookup-vietqr-api-key', 'khoa-thu-nghiem-123');
  await app.session.click('lookup-save');
  await app.session.waitForText('success-banner-message', (t) => t.startsWith('Đã lưu cài đặt tra cứu'));
  await app.session.byTestId('lookup-configured');
  assert.equal(await app.session.exists('lookup-demo'), false, 'the demo registry is no longer in use');
  assert.equal(await app.session.value('lookup-vietqr-api-key'), '', 'the key never comes back to the screen');
  await app.session.scrollIntoView('lookup-settings-form');
  await app.shot('08-settings-saved');
  // The key went to the encrypted file, and nowhere else beside the database.
  const files = readdirSync(app.dataDir);
  assert.ok(files.includes('secrets.enc'), files.join(', '));
  for (const f of files.filter((f) => f.startsWith('hoadon.'))) {
    assert.equal(readFileSync(join(app.dataDir, f)).includes('khoa-thu-nghiem-123'), false, `the key is in ${f}`);
  }
  assert.ok(files.some((f) => f.startsWith('hoadon.log')), `a log is written: ${files.join(', ')}`);

  // Saving stopped the demo registry, so the saved source is out of reach: the closed
  // business looked up earlier is answered from the shop's cache, marked so, with its time.
  await app.session.click('success-banner-close');
  await app.session.click('nav-khach-hang');
  await app.session.click('customer-new');
  await app.session.type('customer-tax-code', CLOSED);
  await app.session.click('customer-lookup');
  const note = await app.session.waitForText('customer-lookup-cached', (t) => t.length > 0, 30_000);
  assert.match(note, /^Thông tin lưu lúc \d{2}\/\d{2}\/\d{4} \d{2}:\d{2}:\d{2} \(không kết nối được nguồn tra cứu\)$/);
  assert.match(await app.session.text('customer-lookup-warning'), /Đã chấm dứt hoạt động/);
  await app.session.scrollIntoView('customer-lookup-result');
  await app.shot('09-cached-answer');

  await app.session.click('nav-cai-dat');
  await app.session.scrollIntoView('lookup-use-demo');
  await app.session.click('lookup-use-demo');
  await app.session.waitForText('lookup-demo-endpoint', (t) => /^http:\/\/127\.0\.0\.1:\d+$/.test(t));
  assert.equal(await app.session.exists('lookup-configured'), false);
});
