// End-to-end: "Báo cáo Bộ Công Thương" in the real app. The screen shows the demo shop's figures
// of this year and they equal what the CLI prints for the same database
// (`hoadon --db <db> --json moit report --year <year>`); a day's visits typed on the screen and a
// visits CSV imported through the (stubbed) file dialog change the report; the exports write the
// files the dialog named; Cài đặt starts and stops the report server, which answers the API.
//
//   node tests/e2e/run.mjs moit   (after the UI build and `cargo build -p hoadon-app -p hoadon-cli`)

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { scenario, CLI } from './scenario.mjs';

const app = scenario('moit', { needsCli: true });

const KEYS = [
  'soLuongTruyCap',
  'soNguoiBan',
  'soNguoiBanMoi',
  'tongSoSanPham',
  'soSanPhamMoi',
  'soLuongGiaoDich',
  'tongSoDonHangThanhCong',
  'tongSoDongHangKhongThanhCong',
  'tongGiaTriGiaoDich',
];

// This year in Vietnam (UTC+7), as the app and the CLI count it.
const year = new Date(Date.now() + 7 * 3600_000).getUTCFullYear();

/** The CLI's JSON answer for the same database, run now. */
function cliJson(args = ['--json', 'moit', 'report', '--year', String(year)]) {
  const out = execFileSync(CLI, ['--db', app.db, ...args], { encoding: 'utf8' });
  return JSON.parse(out);
}

/** The figures on screen: the API block and the table's "Số lượng" cells, by key. */
async function screenFigures() {
  return app.session.script(
    `const pick = (prefix) => Object.fromEntries([...document.querySelectorAll('[data-testid^="' + prefix + '"]')]
        .map((el) => [el.dataset.testid.slice(prefix.length), Number(el.dataset.value)]));
     return { api: pick('moit-api-'), table: pick('moit-value-') };`,
  );
}

/** Scrolls the element to the middle first, clear of the sticky banners at the top, then clicks. */
async function press(testId) {
  await app.session.scrollIntoView(testId);
  await app.session.click(testId);
}

test('the report screen shows the demo figures of this year, equal to the CLI JSON', { timeout: 90_000 }, async () => {
  await app.session.byTestId('demo-banner');
  await app.session.click('nav-bao-cao');
  await app.session.byTestId('screen-bao-cao');
  await app.session.waitForText('moit-value-tongSoDonHangThanhCong', (t) => /\d/.test(t), 20_000);
  assert.equal(await app.session.value('moit-year'), String(year));
  assert.equal(await app.session.text('moit-heading'), 'BÁO CÁO SỐ LIỆU');
  assert.equal(await app.session.text('moit-period-line'), `Từ ngày 01/01/${year} – đến thời điểm truy cập`);
  // Rows in the guide's order.
  const order = await app.session.script(
    `return [...document.querySelectorAll('[data-testid^="moit-row-"]')].map((r) => r.dataset.key);`,
  );
  assert.deepEqual(order, KEYS);
  assert.match(await app.session.text('moit-row-0'), /Số lượng truy cập/);
  assert.match(await app.session.text('moit-row-8'), /Tổng giá trị giao dịch/);
  // The visits row says which period it uses.
  assert.match(await app.session.text('moit-visits-period'), /không thống nhất/);
  assert.match(await app.session.text('moit-covers-tongSoDonHangThanhCong'), new RegExp(`Từ 01/01/${year} đến`));

  const cli = cliJson();
  assert.deepEqual(Object.keys(cli), KEYS, 'the CLI answers with the guide keys in order');
  const shown = await screenFigures();
  assert.deepEqual(shown.api, cli, 'the API block equals the CLI JSON');
  for (const key of KEYS.slice(1)) assert.equal(shown.table[key], cli[key], `table ${key}`);
  assert.ok(cli.soLuongGiaoDich > 0 && cli.tongGiaTriGiaoDich > 0, `demo figures expected: ${JSON.stringify(cli)}`);
  // The table's money cell is printed as the guide does: "78.819.660 đồng".
  assert.equal(
    await app.session.text('moit-value-tongGiaTriGiaoDich'),
    `${cli.tongGiaTriGiaoDich.toLocaleString('de-DE')} đồng`,
  );
  // The chart's bars add up to the year's orders.
  const bars = await app.session.script(
    `return [...document.querySelectorAll('[data-testid^="moit-bar-orders-"]')].map((b) => Number(b.dataset.value));`,
  );
  assert.equal(bars.length, 12);
  assert.equal(bars.reduce((a, b) => a + b, 0), cli.soLuongGiaoDich);
  await app.shot('01-report-table');
  await app.session.scrollIntoView('moit-chart');
  await app.shot('02-api-exports-chart');
});

test("a day's visits typed on the screen change the report the CLI sees", { timeout: 60_000 }, async () => {
  const before = cliJson();
  const today = await app.session.value('moit-visits-day');
  assert.match(today, /^\d{2}\/\d{2}\/\d{4}$/);
  await app.session.type('moit-visits-count', 'nhiều');
  await press('moit-visits-save');
  await app.session.waitForText('field-error-visits', (t) => t.includes('số nguyên'));
  await app.session.type('moit-visits-count', '54321');
  await press('moit-visits-save');
  await app.session.waitForText('success-banner-message', (t) => t.includes('54321'));
  const [d, m, y] = today.split('/');
  const stored = execFileSync('sqlite3', [app.db, `SELECT visits FROM visits WHERE day = '${y}-${m}-${d}'`], { encoding: 'utf8' });
  assert.equal(stored.trim(), '54321', 'the day is stored as typed');
  const after = cliJson();
  assert.notEqual(after.soLuongTruyCap, before.soLuongTruyCap, 'the report counts the new visits');
  await app.session.waitFor('the screen shows the new visits', async () => {
    const shown = await screenFigures();
    return shown.api.soLuongTruyCap === after.soLuongTruyCap;
  });
  await app.shot('02b-visits-saved');
});

test('a visits CSV is imported through the file dialog and its report shown', { timeout: 60_000 }, async () => {
  const csv = join(app.dataDir, 'luot-truy-cap.csv');
  writeFileSync(csv, `Ngày,Lượt truy cập\n02/01/${year},1000\n${year}-01-03,"2.000"\n31/02/${year},5\nkhông phải ngày,7\n`);
  const before = cliJson();
  app.answerNextDialog(csv);
  await press('moit-visits-import');
  await app.session.waitForText('moit-import-taken', (t) => t.includes('Đã nhận 2 ngày'));
  assert.match(await app.session.text('moit-import-taken'), /3\.000 lượt truy cập/);
  assert.match(await app.session.text('moit-import-refused-count'), /Từ chối 2 dòng/);
  assert.match(await app.session.text('moit-import-refused-0'), /Dòng 4/);
  assert.match(await app.session.text('moit-import-refused-1'), /Dòng 5/);
  const after = cliJson();
  assert.notEqual(after.soLuongTruyCap, before.soLuongTruyCap, 'the imported days count');
  await app.session.waitFor('the screen follows the import', async () => (await screenFigures()).api.soLuongTruyCap === after.soLuongTruyCap);
  await app.session.scrollIntoView('moit-import-report');
  await app.shot('03-visits-import');
});

test('the exports write what the save dialog named', { timeout: 60_000 }, async () => {
  const cli = cliJson();
  const listed = () => readdirSync(app.dataDir).filter((f) => f.startsWith('bao-cao'));
  app.answerNextDialog(null);
  await press('moit-export-json');
  await app.session.waitFor('the buttons are back after the cancelled dialog', async () =>
    app.session.script(`return !document.querySelector('[data-testid="moit-export-json"]').disabled;`),
  );
  assert.deepEqual(listed(), [], 'a cancelled dialog writes nothing');
  const files = {};
  for (const [testId, name] of [
    ['moit-export-json', 'bao-cao.json'],
    ['moit-export-json-pascal', 'bao-cao-pascal.json'],
    ['moit-export-csv', 'bao-cao.csv'],
    ['moit-export-pdf', 'bao-cao.pdf'],
  ]) {
    const path = join(app.dataDir, name);
    app.answerNextDialog(path);
    await press(testId);
    await app.session.waitForText('success-banner-message', (t) => t.includes(path));
    files[testId] = readFileSync(path);
  }
  assert.deepEqual(JSON.parse(files['moit-export-json'].toString('utf8')), cli);
  const pascal = JSON.parse(files['moit-export-json-pascal'].toString('utf8'));
  assert.deepEqual(Object.keys(pascal), KEYS.map((k) => k[0].toUpperCase() + k.slice(1)));
  assert.deepEqual(Object.values(pascal), Object.values(cli));
  const csv = files['moit-export-csv'].toString('utf8');
  assert.ok(csv.startsWith('\uFEFFTiêu chí,Số lượng,Diễn giải'), csv.slice(0, 60));
  assert.equal(csv, execFileSync(CLI, ['--db', app.db, 'moit', 'report', '--csv', '--year', String(year)], { encoding: 'utf8' }));
  assert.equal(files['moit-export-pdf'].subarray(0, 5).toString('latin1'), '%PDF-');
});

test('Cài đặt starts the report server, which answers the API with the same figures, and stops it', { timeout: 90_000 }, async () => {
  await app.session.click('nav-cai-dat');
  await app.session.byTestId('moit-server-form');
  await app.session.waitForText('moit-server-status', (t) => t.includes('Đang tắt'));
  // Off by default: starting is refused until it is turned on.
  await press('moit-server-toggle');
  await app.session.waitForText('field-error-enabled', (t) => t.includes('đang tắt'));
  await press('moit-server-enabled');
  await press('moit-server-api-enabled');
  await app.session.type('moit-server-port', '0');
  await app.session.type('moit-server-api-user', 'bocongthuong');
  await app.session.type('moit-server-api-password', 'ngan');
  await press('moit-server-save');
  await app.session.waitForText('field-error-api_password', (t) => t.includes('ít nhất'));
  await app.session.type('moit-server-api-password', 'matkhau-e2e-api');
  await app.session.type('moit-server-domain', 'camhoa.vn');
  await press('moit-server-save');
  await app.session.waitForText('success-banner-message', (t) => t.includes('Đã lưu cài đặt báo cáo'));
  assert.equal(await app.session.value('moit-server-api-password'), '', 'the password box is write-only');
  const stored = execFileSync('sqlite3', [app.db, "SELECT value FROM settings WHERE key = 'moit.server'"], { encoding: 'utf8' });
  assert.ok(!stored.includes('matkhau-e2e-api') && stored.includes('$argon2'), 'only a hash is stored');
  await press('moit-server-toggle');
  const status = await app.session.waitForText('moit-server-url', (t) => t.startsWith('http://127.0.0.1:'));
  const answer = await fetch(`${status}/api/baocao`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ UserName: 'bocongthuong', PassWord: 'matkhau-e2e-api' }),
  });
  assert.equal(answer.status, 200);
  assert.deepEqual(await answer.json(), cliJson());
  const wrong = await fetch(`${status}/api/baocao`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ UserName: 'bocongthuong', PassWord: 'sai-mat-khau' }),
  });
  assert.equal(wrong.status, 401);
  await app.session.scrollIntoView('moit-server-form');
  await app.shot('04-settings-server-running');
  await app.session.script(`document.querySelector('[data-testid="moit-publishing-help"]').open = true;`);
  const help = await app.session.text('moit-publishing-help');
  assert.match(help, /baocao\.camhoa\.vn/);
  assert.ok(help.includes(`cổng ${new URL(status).port})`), `the help names the port the server got: ${help.slice(0, 200)}`);
  await app.session.scrollIntoView('moit-publishing-help');
  await app.shot('05-publishing-help');
  await press('moit-server-toggle');
  await app.session.waitForText('moit-server-status', (t) => t.includes('Đang tắt'));
  await assert.rejects(fetch(`${status}/api/baocao`, { method: 'POST', body: '{}' }));
});

test('Cài đặt: opening the report server beyond this computer warns and needs the explicit confirmation', { timeout: 60_000 }, async () => {
  await app.session.type('moit-server-bind', '192.168.1.10');
  assert.match(await app.session.waitForText('moit-server-expose-warning', (t) => t.length > 0), /HTTPS/);
  await press('moit-server-save');
  assert.match(await app.session.waitForText('field-error-expose_confirmed', (t) => t.length > 0), /xác nhận/);
  await app.session.scrollIntoView('moit-server-expose-warning');
  await app.shot('06-settings-bind-beyond-loopback-refused');
  const stored = execFileSync('sqlite3', [app.db, "SELECT value FROM settings WHERE key = 'moit.server'"], { encoding: 'utf8' });
  assert.ok(!stored.includes('192.168.1.10'), 'nothing saved without the confirmation');
  await app.session.type('moit-server-bind', '127.0.0.1');
  assert.equal(await app.session.exists('moit-server-expose-warning'), false);
});
