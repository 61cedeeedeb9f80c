// End-to-end: "Xuất cho kế toán" on Đơn hàng and Hóa đơn in the real app over the demo shop.
// A date that is no day is named under the box and no dialog opens; "Xuất Excel" writes the
// .xlsx where the (stubbed) save dialog said, and openpyxl reads it back: one row per sale the
// CLI lists (failed ones left out), and a totals row equal to those sales' totals as the
// Đơn hàng screen shows them; a 300,000-sale export shows its progress and "Hủy" leaves
// nothing behind; "Xuất CSV" on Hóa đơn writes the invoices listing with an invoice issued
// through the demo provider; a closed dialog writes nothing.
//
//   node tests/e2e/run.mjs accounting   (after the UI build and `cargo build -p hoadon-app -p hoadon-cli`)

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

import { scenario, CLI, ROOT } from './scenario.mjs';
import { issueAndReadNumber, pickSale } from './sale_invoice.mjs';

// The demo shop (its sales in the last two years) plus 300,000 sales of 2010 written straight
// into the file, so that an export runs long enough to be watched and cancelled.
const BULK = 300_000;
const BULK_SQL = `
  WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${BULK})
  INSERT INTO sales (id, customer_id, seller_id, status, sold_at, subtotal, vat, total, note, created_at)
  SELECT 1000000 + i, NULL, 1, 'completed', 1262304000 + i * 100,
         3 * (10000 + (i % 90) * 1000), 3 * (1000 + (i % 90) * 100), 3 * (11000 + (i % 90) * 1100), '', 1262304000 FROM n;
  INSERT INTO sale_lines (sale_id, line_no, product_id, name, unit, quantity, unit_price, amount, vat_rate, vat)
  SELECT s.id, l.no, NULL, 'Hàng ' || l.no, 'cái', 1000, 10000 + ((s.id - 1000000) % 90) * 1000,
         10000 + ((s.id - 1000000) % 90) * 1000, '10', 1000 + ((s.id - 1000000) % 90) * 100
  FROM sales s, (SELECT 1 AS no UNION ALL SELECT 2 UNION ALL SELECT 3) l WHERE s.id > 1000000;`;

const app = scenario('accounting', {
  needsCli: true,
  env: async () => {
    execFileSync(CLI, ['--db', app.db, 'demo-data'], { encoding: 'utf8' });
    execFileSync('sqlite3', [app.db], { input: BULK_SQL });
    return {};
  },
});

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
  // The demo shop's sales: the 2010 ones are left to the next test.
  await app.session.type('accounting-from', '01/01/2020');
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
  // The list's newest sales: the demo shop's, then some of 2010 (ids from 1,000,001).
  const listed = sales.filter((s) => s.status !== 'failed' && s.id < 1_000_000);
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
  assert.equal(rows.length - h - 1, listed.length + 1, `rows under the header: ${JSON.stringify(rows.slice(h + 1).map((r) => r[1]))}`);
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

test('a long export shows its progress, and Hủy leaves nothing under the chosen name', { timeout: 120_000 }, async () => {
  await app.session.type('accounting-from', '01/01/2010');
  await app.session.type('accounting-to', '31/12/2010');
  const dir = join(app.dataDir, 'lon');
  execFileSync('mkdir', ['-p', dir]);
  const path = join(dir, 'bang-ke-2010.xlsx');
  app.answerNextDialog(path);
  await press('accounting-xlsx');
  const shown = await app.session.waitForText('accounting-progress', (t) => /Đang ghi các dòng: [\d.]+\/300\.000/.test(t), 60_000);
  await app.shot('04-long-export-progress');
  assert.match(shown, /Hủy/);
  await app.session.click('accounting-cancel');
  const message = await app.session.waitForText('success-banner-message', (t) => t.startsWith('Đã hủy'), 30_000);
  assert.equal(message, 'Đã hủy xuất tệp; không có tệp nào được ghi.');
  await app.shot('05-long-export-cancelled');
  assert.ok(!(await app.session.exists('accounting-progress')));
  assert.deepEqual(readdirSync(dir), [], 'nothing under the chosen name, no temporary file');
});

test('Xuất CSV on Hóa đơn writes the invoices listing; a closed dialog writes nothing', { timeout: 120_000 }, async () => {
  // One invoice issued through the demo provider, so that the listing has a line to show.
  const sale = await pickSale(app);
  await app.session.click(`sales-row-${sale}`);
  await app.session.byTestId('invoice-section');
  const number = await issueAndReadNumber(app);
  const symbol = await app.session.text('invoice-symbol');

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
  const lines = text.slice(1).split('\r\n').filter((l) => l !== '');
  assert.equal(lines.length, 2, `the header and the one invoice: ${text}`);
  const [day, sym, num, kind, changes, status, , saleId] = lines[1].split(',');
  assert.equal(day, today());
  assert.deepEqual([sym, num, kind, changes, status, saleId], [symbol, String(number), 'Hóa đơn gốc', '', 'Đã phát hành', sale]);
  const listed = JSON.parse(execFileSync(CLI, ['--db', app.db, '--json', 'sales', 'list', '--search', `#${sale}`], { encoding: 'utf8' }));
  const shown = listed.find((s) => String(s.id) === sale);
  assert.deepEqual(lines[1].split(',').slice(-3).map(Number), [shown.subtotal, shown.vat, shown.total], 'the sale\'s amounts');
  await app.shot('03-invoices-csv-exported');
  assert.deepEqual(
    readdirSync(app.dataDir).filter((n) => n.includes('dang-xuat')),
    [],
    'no temporary file left',
  );
});
