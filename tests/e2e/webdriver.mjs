// A small W3C WebDriver client over fetch: just what the shop-owner scenarios need, with a
// timeout on every request so a hung window fails the test instead of hanging CI.

const ELEMENT = 'element-6066-11e4-a52e-4f735466cecf';
const REQUEST_TIMEOUT_MS = 30_000;
// Starting the app (WebKit's processes, the demo simulators, a first database) is the one
// request that can take long on a busy 2-core machine.
const NEW_SESSION_TIMEOUT_MS = 120_000;

export class WebDriverError extends Error {}

async function call(base, method, path, body, timeoutMs = REQUEST_TIMEOUT_MS) {
  const res = await fetch(base + path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const json = await res.json().catch(() => ({}));
  if (!res.ok) {
    const v = json.value ?? {};
    throw new WebDriverError(`${method} ${path}: ${v.error ?? res.status} ${v.message ?? ''}`.trim());
  }
  return json.value;
}

export class Session {
  static async create(driverUrl, application, { args = [] } = {}) {
    // No browserName: tauri-driver maps tauri:options to the WebKit driver itself.
    const value = await call(
      driverUrl,
      'POST',
      '/session',
      { capabilities: { alwaysMatch: { 'tauri:options': { application, args } } } },
      NEW_SESSION_TIMEOUT_MS,
    );
    return new Session(driverUrl, value.sessionId);
  }

  constructor(driverUrl, id) {
    this.base = `${driverUrl}/session/${id}`;
  }

  req(method, path, body) {
    return call(this.base, method, path, body);
  }

  async delete() {
    await call(this.base, 'DELETE', '');
  }

  /// Polls `check` until it returns a truthy value or `timeoutMs` passes.
  async waitFor(what, check, timeoutMs = 15_000) {
    const until = Date.now() + timeoutMs;
    let last;
    for (;;) {
      try {
        const v = await check();
        if (v) return v;
      } catch (e) {
        last = e;
      }
      if (Date.now() > until) {
        throw new WebDriverError(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${last.message}` : ''}`);
      }
      await new Promise((r) => setTimeout(r, 150));
    }
  }

  async findAll(css) {
    const found = await this.req('POST', '/elements', { using: 'css selector', value: css });
    return found.map((e) => e[ELEMENT]);
  }

  /// The element with `data-testid`, once it is displayed.
  async byTestId(testId, timeoutMs) {
    const css = `[data-testid="${testId}"]`;
    return this.waitFor(`[data-testid=${testId}]`, async () => {
      const [id] = await this.findAll(css);
      return id && (await this.req('GET', `/element/${id}/displayed`)) ? id : null;
    }, timeoutMs);
  }

  async click(testId) {
    const id = await this.byTestId(testId);
    try {
      await this.req('POST', `/element/${id}/click`, {});
    } catch (e) {
      // WebKit finds no in-view point for a table row itself: click its first cell instead.
      if (!/not interactable/.test(e.message)) throw e;
      const cell = await this.req('POST', `/element/${id}/element`, { using: 'css selector', value: 'td, th' });
      await this.req('POST', `/element/${cell[ELEMENT]}/click`, {});
    }
  }

  async scrollIntoView(testId) {
    const id = await this.byTestId(testId);
    await this.script('arguments[0].scrollIntoView({ block: "center" });', [{ [ELEMENT]: id }]);
  }

  async clear(testId) {
    const id = await this.byTestId(testId);
    await this.req('POST', `/element/${id}/clear`, {});
  }

  async type(testId, text, { clear = true } = {}) {
    const id = await this.byTestId(testId);
    if (clear) await this.req('POST', `/element/${id}/clear`, {});
    await this.req('POST', `/element/${id}/value`, { text });
  }

  /// Chooses an option of a <select> by its value, the way a click would (input + change).
  async select(testId, value) {
    const id = await this.byTestId(testId);
    await this.script(
      `const el = arguments[0]; el.value = arguments[1];
       el.dispatchEvent(new Event('input', { bubbles: true }));
       el.dispatchEvent(new Event('change', { bubbles: true }));`,
      [{ [ELEMENT]: id }, value],
    );
  }

  async text(testId) {
    const id = await this.byTestId(testId);
    return (await this.req('GET', `/element/${id}/text`)).trim();
  }

  async value(testId) {
    const id = await this.byTestId(testId);
    return this.req('GET', `/element/${id}/property/value`);
  }

  async exists(testId) {
    return (await this.findAll(`[data-testid="${testId}"]`)).length > 0;
  }

  /// Waits until the element's text satisfies `predicate` (or equals it, for a string).
  async waitForText(testId, predicate, timeoutMs) {
    const ok = typeof predicate === 'string' ? (t) => t === predicate : predicate;
    let seen;
    try {
      return await this.waitFor(`text of ${testId}`, async () => {
        seen = await this.text(testId);
        return ok(seen) ? seen : null;
      }, timeoutMs);
    } catch (e) {
      throw new WebDriverError(`${e.message}; last text seen: ${JSON.stringify(seen)}`);
    }
  }

  script(source, args = []) {
    return this.req('POST', '/execute/sync', { script: source, args });
  }

  /// A screenshot of what is painted: WebKit may still show the previous frame right after a
  /// DOM change, so wait for two animation frames and a short settle first.
  async screenshot() {
    await this.req('POST', '/execute/async', {
      script: 'const done = arguments[arguments.length - 1]; requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(done, 250)));',
      args: [],
    });
    return Buffer.from(await this.req('GET', '/screenshot'), 'base64');
  }
}
