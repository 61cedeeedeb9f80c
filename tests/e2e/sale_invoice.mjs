// What the invoice scenarios do on a sale and in Cài đặt, written once: pick a demo sale,
// issue and read the number, issue through a lost answer, save settings that name another
// account, and what the simulator holds under the key the sale page shows.

import assert from 'node:assert/strict';

import { sim } from './simulators.mjs';

/// A completed demo sale without an invoice, other than `except`: its id.
export async function pickSale(app, except = []) {
  await app.session.click('nav-don-hang');
  return app.session.waitFor('a completed sale without invoice', () => app.session.script(
    `const rows = [...document.querySelectorAll('[data-testid^="sales-row-"]')];
     const r = rows.find((r) => r.textContent.includes('Hoàn thành') && r.textContent.includes('Chưa xuất')
       && !arguments[0].includes(r.dataset.testid.slice('sales-row-'.length)));
     return r ? r.dataset.testid.slice('sales-row-'.length) : null;`,
    [except.map(String)],
  ));
}

/// What the simulator holds under the key the sale page shows.
export async function heldUnderShownKey(app, port) {
  const key = await app.session.text('invoice-key');
  const held = await sim(port, 'GET', '/_sim/invoices');
  return { key, held, mine: held.invoices.filter((i) => i.key === key) };
}

export async function issueAndReadNumber(app) {
  await app.session.click('invoice-issue');
  // A cancelled invoice keeps showing its number: wait for the new status, then read.
  await app.session.waitForText('invoice-status', 'Đã phát hành', 60_000);
  const number = await app.session.text('invoice-number');
  assert.match(number, /^\d+$/);
  return Number(number);
}

/**
 * "Lưu" for settings naming another invoice account. When invoices still wait at the account
 * being left (an earlier test may leave one in "Cần xử lý"), Cài đặt lists them and asks
 * first; the test keeps them at the old account, as the owner would.
 */
export async function saveAnotherAccount(app) {
  await app.session.click('settings-invoice-save');
  const asked = await app.session.waitFor('the settings saved, or the account change asked', async () => {
    if (await app.session.exists('settings-account-change')) return 'asked';
    const banner = (await app.session.exists('success-banner-message')) ? await app.session.text('success-banner-message') : '';
    return banner.includes('hóa đơn điện tử') ? 'saved' : null;
  }, 30_000);
  if (asked === 'asked') {
    assert.match(await app.session.text('settings-account-change-warning'), /tài khoản cũ/);
    await app.session.click('settings-account-change-confirm');
    await app.session.waitForText('success-banner-message', (t) => t.includes('tài khoản cũ'));
  }
}

/**
 * "Xuất hóa đơn" on the open sale when its answer may be lost: waits for the end (a number,
 * or "Cần xử lý"), and from "Cần xử lý" presses "Kiểm tra lại", which asks the provider by the
 * same key and sends nothing. Screenshots `<shot>-after-drop` (and `<shot>-reconciled`).
 * Returns the invoice number shown at the end.
 */
export async function issueThroughLostAnswer(app, shot) {
  await app.session.click('invoice-issue');
  // While the answer is awaited the button says so; the end is a number or "Cần xử lý".
  const end = await app.session.waitFor('the issue to end', async () => {
    const status = await app.session.text('invoice-status');
    return status === 'Đã phát hành' || status === 'Cần xử lý' || (await app.session.exists('invoice-error')) ? status : null;
  }, 90_000);
  await app.session.scrollIntoView('invoice-section');
  await app.shot(`${shot}-after-drop`);
  let number;
  if (end === 'Đã phát hành') {
    number = Number(await app.session.text('invoice-number'));
  } else {
    // The app says it will ask again; "Kiểm tra lại" asks now, by the same key.
    await app.session.click('invoice-reconcile');
    number = Number(await app.session.waitForText('invoice-number', (t) => /^\d+$/.test(t), 60_000));
    await app.shot(`${shot}-reconciled`);
  }
  assert.equal(await app.session.text('invoice-status'), 'Đã phát hành');
  return number;
}
