// The control routes of the app's demo simulators (`/_sim/...`, see crates/sim-einvoice):
// what a test does there stands for what happens at the provider (an owner signing with the
// USB token, another sale's invoice under a key, faults on the wire).

import assert from 'node:assert/strict';

/// A request to the simulator on `port`: its JSON answer, or null for 204.
export async function sim(port, method, path, body) {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  assert.ok(res.ok, `${method} ${path} on the simulator: HTTP ${res.status}`);
  return res.status === 204 ? null : res.json();
}
