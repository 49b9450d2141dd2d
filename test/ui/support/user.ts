/**
 * What a person does on a page, in the terms of the rendered tree: tap a button, type into a field, press
 * keys on the on-screen keyboard, read the text. Each action lands on the element that handles it inside
 * the Vant component (the `<button>` of van-button, the row of van-cell), as a finger would.
 */
import { actAs, resetPhoneAnswers } from './cloud';
import { renderPage, simulate, textOf, type RenderedPage } from './simulate';
import { nth } from '../../support/nth';

export type Node = RenderedPage['comp'];

const g = global as unknown as {
  __uiApp: { globalData: Record<string, unknown> };
  __uiStorage: Map<string, string>;
};

/** A fresh app instance: nothing handed between pages from an earlier test (memory only). */
export function resetApp(): void {
  g.__uiApp = { globalData: {} };
}

/** The phone's storage as the pages left it (setup.ts), by key. */
export function phoneStorage(): Map<string, string> {
  return g.__uiStorage;
}

let users = 0;

/**
 * A fresh start for the next test: mocks cleared, the app's memory reset, and a new WeChat user (an
 * OPENID never used before in this file, `<prefix>-<n>`) acting. Answers that OPENID.
 */
export function newUser(prefix: string): string {
  jest.clearAllMocks();
  resetApp();
  // Another person's phone: nothing in its storage either.
  phoneStorage().clear();
  resetPhoneAnswers();
  users += 1;
  const openid = `${prefix}-${users}`;
  actAs(openid);
  return openid;
}

/** Polls `check` until it stops throwing (and answers its value), or fails with its last error. */
export async function waitFor<T>(check: () => T, timeoutMs = 5000): Promise<T> {
  const started = Date.now();
  for (;;) {
    try {
      return check();
    } catch (err) {
      if (Date.now() - started > timeoutMs) throw err;
      await simulate.sleep(20);
    }
  }
}

/**
 * The first node matching `selectors[0]`, then inside it (inside that component's own template) the
 * first matching `selectors[1]`, and so on: `find(page, '.page-state', '.state-retry')`.
 */
export function find(root: Node, ...selectors: string[]): Node {
  let node = root;
  for (const selector of selectors) {
    const next = node.querySelector(selector);
    if (!next) throw new Error(`nothing matches ${selectors.join(' → ')} (at ${selector})`);
    node = next;
  }
  return node;
}

export function findAll(root: Node, selector: string): Node[] {
  return root.querySelectorAll(selector);
}

/** The first of `selector` whose visible text contains `text`. */
export function findByText(root: Node, selector: string, text: string): Node {
  const node = findAll(root, selector).find((n) => textOf(n).includes(text));
  if (!node) {
    const seen = findAll(root, selector).map(textOf);
    throw new Error(`no ${selector} reads "${text}"; found ${JSON.stringify(seen)}`);
  }
  return node;
}

export { nth };

/** Inner elements of Vant components that handle a tap. */
const TAPPABLE = ['.van-button', '.van-cell', '.van-checkbox__label', '.van-radio__label'];

export async function tap(node: Node): Promise<void> {
  let target = node;
  for (const selector of TAPPABLE) {
    const inner = node.querySelector(selector);
    if (inner) {
      target = inner;
      break;
    }
  }
  target.dispatchEvent('tap');
  await simulate.sleep(0);
}

/** Types into a van-field one character at a time, then leaves it (unless `leave` is false). */
export async function typeInto(field: Node, text: string, leave = true): Promise<void> {
  const input = findAll(field, '.van-field__control').find((n) => n.dom?.tagName === 'WX-INPUT');
  if (!input) throw new Error('the field has no input');
  input.dispatchEvent('focus', { detail: { value: '' } });
  let value = '';
  for (const ch of text) {
    value += ch;
    input.dispatchEvent('input', { detail: { value } });
    await simulate.sleep(0);
  }
  if (leave) {
    input.dispatchEvent('blur', { detail: { value } });
    await simulate.sleep(0);
  }
}

/** The keys of an open on-screen keyboard (key-pad), once its popup has opened. */
export async function keysOf(keypad: Node): Promise<Node[]> {
  return waitFor(() => {
    const keys = findAll(keypad, '.key');
    if (keys.length === 0) throw new Error('the keyboard has not opened');
    return keys;
  });
}

/** Presses the keys labelled by each character of `text` (or whole labels, e.g. `删除`). */
export async function press(keypad: Node, labels: string[]): Promise<void> {
  for (const label of labels) {
    const keys = await keysOf(keypad);
    const key = keys.find((k) => textOf(k) === label);
    if (!key) throw new Error(`no key "${label}" among ${keys.map(textOf).join(' ')}`);
    key.dispatchEvent('tap');
    await simulate.sleep(0);
  }
}

/** The URL of the last navigation of `kind` (navigateTo, redirectTo…). */
export function lastUrl(kind: 'navigateTo' | 'redirectTo' | 'reLaunch'): string {
  const calls = (wx[kind] as unknown as jest.Mock<unknown, [{ url: string }]>).mock.calls;
  if (calls.length === 0) throw new Error(`no ${kind} so far`);
  return nth(calls, calls.length - 1)[0].url;
}

/** Renders the page a URL points to, with its query, as WeChat would on navigation. */
export function open(url: string): RenderedPage {
  const [route = '', search = ''] = url.replace(/^\//, '').split('?');
  const query: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(search)) query[k] = v;
  return renderPage(route, query);
}

/**
 * Waits until the page's spinner is gone. A page's first call in a test file starts the function's
 * first instance on the local cloud (seconds on a busy machine), hence the longer wait.
 */
export async function loaded(page: RenderedPage): Promise<void> {
  await waitFor(() => {
    if (page.page.data.loading === true) throw new Error('still loading');
  }, 20_000);
  await simulate.sleep(0);
}

export { textOf };

/** The error message a Vant field shows under itself, or '' when it shows none. */
export function errorUnder(field: Node): string {
  const message = field.querySelector('.van-field__error-message');
  return message ? textOf(message) : '';
}
