// End-to-end: the shop's VietQR account in Cài đặt (wrong boxes named, then saved), a sale
// saved and its "Quét mã để thanh toán" code on the sale screen, and that code read back by
// an independent reader (`zbarimg`) from the window's screenshot and from the receipt the
// app prints (through the CLI on the same database): the same payload, its fields and CRC
// checked here with a CRC written apart from the Rust one.
//
//   node tests/e2e/run.mjs payment   (after the UI build and `cargo build -p hoadon-app -p hoadon-cli`)

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

import { scenario, CLI } from './scenario.mjs';

const app = scenario('payment', { needsCli: true });

/** CRC-16/CCITT-FALSE, bit by bit. */
function crc16(text) {
  let crc = 0xffff;
  for (const byte of Buffer.from(text, 'ascii')) {
    crc ^= byte << 8;
    for (let i = 0; i < 8; i++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc.toString(16).toUpperCase().padStart(4, '0');
}

/** The EMVCo data objects of `text` as a tag → value map; throws on a length past the end. */
function tlv(text) {
  const fields = {};
  for (let at = 0; at < text.length; ) {
    const tag = text.slice(at, at + 2);
    const len = Number(text.slice(at + 2, at + 4));
    assert.ok(Number.isInteger(len) && at + 4 + len <= text.length, `field ${tag} at ${at} runs past the end of ${text}`);
    fields[tag] = text.slice(at + 4, at + 4 + len);
    at += 4 + len;
  }
  return fields;
}

function checkPayload(payload, { amount, note }) {
  assert.equal(payload.slice(-4), crc16(payload.slice(0, -4)), 'the CRC covers everything up to 6304');
  const f = tlv(payload);
  assert.equal(f['00'], '01');
  assert.equal(f['01'], '12', 'a code with an amount is dynamic');
  const merchant = tlv(f['38']);
  assert.equal(merchant['00'], 'A000000727');
  assert.deepEqual(tlv(merchant['01']), { '00': '970436', '01': '0071000123456' });
  assert.equal(merchant['02'], 'QRIBFTTA');
  assert.equal(f['53'], '704');
  assert.equal(f['54'], String(amount));
  assert.equal(f['58'], 'VN');
  assert.equal(tlv(f['62'])['08'], note);
}

/** What zbarimg reads in a picture: one line per code. */
function decode(png) {
  return execFileSync('zbarimg', ['--quiet', '--raw', png], { encoding: 'utf8' }).trim().split('\n');
}

test('Cài đặt names each wrong box of the bank account, then saves it', { timeout: 90_000 }, async () => {
  await app.session.click('nav-cai-dat');
  await app.session.byTestId('payment-form');
  await app.session.type('payment-account', '0071 000 123');
  await app.session.click('payment-save');
  assert.equal(await app.session.waitForText('field-error-bank_bin', (t) => t.length > 0), 'Chưa chọn ngân hàng.');
  assert.match(await app.session.text('field-error-account_number'), /chỉ gồm chữ số/);
  assert.match(await app.session.text('field-error-account_name'), /tên chủ tài khoản/);
  await app.session.scrollIntoView('payment-form');
  await app.shot('01-payment-refused');

  await app.session.select('payment-bank', '970436');
  await app.session.type('payment-account', '0071000123456');
  await app.session.type('payment-account-name', 'HO KINH DOANH MINH KHAI');
  await app.session.click('payment-save');
  await app.session.waitForText('success-banner-message', (t) => t.includes('Đã lưu tài khoản nhận tiền'));
  assert.equal(await app.session.exists('field-error-account_number'), false);
  await app.session.scrollIntoView('payment-form');
  await app.shot('02-payment-saved');
});

let sale;

test('a saved sale shows its code, which scans to the sale total and number', { timeout: 120_000 }, async () => {
  await app.session.click('nav-ban-hang');
  if (!(await app.session.exists('line-0'))) await app.session.click('sale-add-line');
  await app.session.type('line-0-name', 'Gạo ST25 Sóc Trăng');
  await app.session.type('line-0-quantity', '12,5');
  await app.session.type('line-0-price', '32.000');
  await app.session.select('line-0-vat', '5');
  await app.session.waitForText('totals-total', (t) => t.includes('420.000'));
  await app.session.click('sale-save');
  const saved = await app.session.waitForText('success-banner-message', (t) => t.startsWith('Đã lưu đơn hàng số'));
  sale = Number(saved.match(/số (\d+)/)[1]);

  await app.session.byTestId('payment-qr-image');
  assert.equal(await app.session.text('payment-qr-amount'), '420.000 ₫');
  assert.equal(await app.session.text('payment-qr-note'), `Don hang ${sale}`);
  assert.equal(await app.session.text('payment-qr-account'), '0071000123456');
  assert.match(await app.session.text('payment-qr-bank'), /^Vietcombank – Ngân hàng TMCP Ngoại thương Việt Nam$/);
  await app.session.scrollIntoView('payment-qr');
  const shot = await app.shot('03-sale-payment-qr');

  const [payload] = decode(shot);
  checkPayload(payload, { amount: 420000, note: `Don hang ${sale}` });

  await app.session.click('payment-qr-close');
  await app.session.waitFor('the code closed', async () => !(await app.session.exists('payment-qr')));
});

test('the receipt printed for that sale carries the same code', { timeout: 60_000 }, async () => {
  assert.ok(sale, 'the previous test saved a sale');
  const pdf = join(app.artifacts, 'receipt.pdf');
  execFileSync(CLI, ['--db', app.db, 'pdf', String(sale), '-o', pdf, '--receipt'], { encoding: 'utf8' });
  const png = join(app.artifacts, '04-receipt');
  execFileSync('pdftoppm', ['-r', '150', '-png', '-singlefile', pdf, png]);
  const [payload] = decode(`${png}.png`);
  checkPayload(payload, { amount: 420000, note: `Don hang ${sale}` });
  const text = execFileSync('pdftotext', ['-raw', pdf, '-'], { encoding: 'utf8' });
  assert.match(text, /Quét mã để thanh toán/);
  assert.match(text, /Vietcombank - 0071000123456/);
});

test('a sale not settled yet shows its code on its page', { timeout: 120_000 }, async () => {
  await app.session.click('nav-ban-hang');
  await app.session.click('sale-clear');
  if (!(await app.session.exists('line-0'))) await app.session.click('sale-add-line');
  await app.session.type('line-0-name', 'Nước mắm Phú Quốc');
  await app.session.type('line-0-quantity', '2');
  await app.session.type('line-0-price', '95.000');
  await app.session.select('line-0-vat', '10');
  await app.session.select('sale-status', 'pending');
  await app.session.waitForText('totals-total', (t) => t.includes('209.000'));
  await app.session.click('sale-save');
  const saved = await app.session.waitForText('success-banner-message', (t) => t.startsWith('Đã lưu đơn hàng số'));
  const pending = Number(saved.match(/số (\d+)/)[1]);
  await app.session.click('success-open-sale');
  await app.session.waitForText('sale-detail-id', String(pending));
  await app.session.byTestId('payment-qr-image');
  assert.equal(await app.session.text('payment-qr-amount'), '209.000 ₫');
  await app.session.scrollIntoView('payment-qr');
  const [payload] = decode(await app.shot('05-pending-sale-page'));
  checkPayload(payload, { amount: 209000, note: `Don hang ${pending}` });
});
