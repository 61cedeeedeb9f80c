// End-to-end: "Xuất cho kế toán" on Đơn hàng and Hóa đơn in the real app over the demo shop.
// A date that is no day is named under the box and no dialog opens; "Xuất Excel" writes the
// .xlsx where the (stubbed) save dialog said, and openpyxl reads it back: one row per sale the
// CLI lists (failed ones left out), and a totals row equal to those sales' totals as the
// Đơn hàng screen shows them; "Xuất CSV" on Hóa đơn writes the invoices listing; a closed
// dialog writes nothing.
//
//   node tests/e2e/run.mjs accounting   (after the UI build and `cargo build -p hoadon-app -p hoadon-cli`)

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

import { scenario, CLI, ROOT } from './scenario.mjs';

const app = scenario('accounting', { needsCli: true });

const READER = join(ROOT, 'crates', 'accounting', 'tests', 'read_xlsx.py');
// python3-openpyxl is installed for the system's Python (scripts/install-deps --test).
const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

function today() {
  const d = new Date(Date.now() + 7 * 3600_000);
  const two = (n) => String(n).padStart(2, '0');
  return `${two(d.getUTCDate())}/${two(d.getUTCMonth() + 1)}/${d.getUTCFullYear()}`;
}

async function press(testId) {
  await app.session.scrollIntoView(testId);
  await app.session.click(testId);
}

async function successMessage() {
  return app.session.waitForText('success-banner-message', (t) => t.startsWith('Đã xuất'), 20_000);
}

test('a date that is no day is named and no dialog opens', { timeout: 60_000 }, async () => {
  await app.session.byTestId('demo-banner');
  await app.session.click('nav-don-hang');
  await app.session.byTestId('accounting-export');
  assert.equal(await app.session.value('accounting-listing'), 'sales');
  app.answerNextDialog(join(app.dataDir, 'never.xlsx'));
  await app.session.type('accounting-from', '31/02/2026');
  await press('accounting-xlsx');
  const error = await app.session.waitForText('accounting-error', (t) => t.length > 0);
  assert.match(error, /«Từ ngày»: «31\/02\/2026» không phải ngày hợp lệ/);
  await app.shot('01-wrong-date');
  assert.ok(existsSync(app.dialogAnswerFile), 'the dialog was not opened');
  assert.ok(!existsSync(join(app.dataDir, 'never.xlsx')));
});

test('Xuất Excel on Đơn hàng writes the listing where the dialog said, its totals the screen\'s', { timeout: 90_000 }, async () => {
  await app.session.type('accounting-from', '01/01/2000');
  await app.session.type('accounting-to', today());
  const path = join(app.dataDir, 'ke-toan', 'bang-ke.xlsx');
  execFileSync('mkdir', ['-p', join(app.dataDir, 'ke-toan')]);
  app.answerNextDialog(path);
  await press('accounting-xlsx');
  const message = await successMessage();
  assert.ok(message.endsWith(path), message);
  await app.shot('02-sales-exported');
  assert.ok(existsSync(path), `${path} written`);
  assert.deepEqual(readdirSync(join(app.dataDir, 'ke-toan')), ['bang-ke.xlsx'], 'no temporary file left');

  const sales = JSON.parse(execFileSync(CLI, ['--db', app.db, '--json', 'sales', 'list'], { encoding: 'utf8' }));
  const listed = sales.filter((s) => s.status !== 'failed');
  assert.ok(listed.length > 50, `demo sales: ${listed.length}`);
  const sum = (key) => listed.reduce((a, s) => a + s[key], 0);

  const book = JSON.parse(execFileSync(PYTHON, [READER, path], { encoding: 'utf8' }));
  assert.deepEqual(Object.keys(book), ['Bảng kê bán hàng', 'Tổng hợp thuế GTGT']);
  const rows = book['Bảng kê bán hàng'];
  assert.equal(rows[0][0], 'BẢNG KÊ BÁN HÀNG');
  const h = rows.findIndex((r) => r[0] === 'Ngày bán');
  const header = rows[h];
  const col = (name) => {
    const i = header.indexOf(name);
    assert.ok(i >= 0, `column ${name} in ${header}`);
    return i;
  };
  const data = rows.slice(h + 1, h + 1 + listed.length);
  assert.deepEqual(
    data.map((r) => r[col('Số đơn')].number).sort((a, b) => a - b),
    listed.map((s) => s.id).sort((a, b) => a - b),
    'one row per sale the Đơn hàng list shows, failed ones left out',
  );
  const totals = rows[h + 1 + listed.length];
  assert.equal(totals[0], `Cộng (${listed.length} đơn)`);
  assert.equal(totals[col('Cộng tiền hàng')].number, sum('subtotal'));
  assert.equal(totals[col('Thuế GTGT')].number, sum('vat'));
  assert.equal(totals[col('Tổng cộng')].number, sum('total'));
  assert.equal(totals[col('Tổng cộng')].format, '#,##0');
  assert.match(data[0][0].date, /^\d{4}-\d{2}-\d{2}$/, 'dates are dates');
  // Each row is its sale as the list shows it.
  const byId = new Map(listed.map((s) => [s.id, s]));
  for (const r of data) {
    const s = byId.get(r[col('Số đơn')].number);
    assert.equal(r[col('Tổng cộng')].number, s.total, `sale ${s.id}`);
    assert.equal(r[col('Thuế GTGT')].number, s.vat, `sale ${s.id}`);
  }
  const vat = book['Tổng hợp thuế GTGT'];
  const last = vat.find((r) => r[0] === 'Tổng cộng');
  assert.deepEqual([last[1].number, last[2].number, last[3].number], [sum('subtotal'), sum('vat'), sum('total')]);
});

test('Xuất CSV on Hóa đơn writes the invoices listing; a closed dialog writes nothing', { timeout: 60_000 }, async () => {
  await app.session.click('nav-hoa-don');
  await app.session.byTestId('screen-hoa-don');
  await app.session.byTestId('accounting-export');
  assert.equal(await app.session.value('accounting-listing'), 'invoices');
  await app.session.type('accounting-from', '01/01/2000');
  await app.session.type('accounting-to', today());

  app.answerNextDialog(null);
  await press('accounting-csv');
  await app.session.waitFor('the export button again', async () =>
    app.session.script(`return !document.querySelector('[data-testid="accounting-csv"]').disabled;`),
  );

  const path = join(app.dataDir, 'hoa-don.csv');
  app.answerNextDialog(path);
  await press('accounting-csv');
  const message = await successMessage();
  assert.ok(message.endsWith(path), message);
  const text = readFileSync(path, 'utf8');
  assert.ok(text.startsWith('\ufeff'), 'UTF-8 mark for Excel');
  assert.equal(
    text.slice(1).split('\r\n')[0],
    'Ngày lập,Ký hiệu,Số hóa đơn,Loại hóa đơn,Thay thế / điều chỉnh cho hóa đơn,Trạng thái,Mã của CQT,Số đơn,Người mua,MST người mua,Tiền hàng,Thuế GTGT,Tổng cộng',
  );
  await app.shot('03-invoices-csv-exported');
  assert.deepEqual(
    readdirSync(app.dataDir).filter((n) => n.includes('dang-xuat')),
    [],
    'no temporary file left',
  );
});
