/**
 * What a person does with the phone in the preview, found the way they find things: by the text they
 * read, a field's placeholder, a button's accessible name (WeChat's `aria-label`, or its text). Every
 * action is a real mouse click or key press in Chromium.
 */
import type { Locator } from 'playwright-core';
import { idCheckChar } from '../../../server/domain/identity';
import type { Booking } from '../../../typings/api';
import type { Scene } from './stack';

export interface Person {
  name: string;
  idNumber: string;
  phone: string;
  /** Province first: `闽D12345`. */
  plate: string;
  /** As the form shows it. */
  category: '电子监控类' | '营运类' | '扣车类';
}

/** An 18-digit ID of a Xiamen Siming resident born in 1985, with its GB 11643 check character. */
export function idNumber(n: number): string {
  const first17 = `350203198506${String(1 + (n % 28)).padStart(2, '0')}${String(n % 1000).padStart(3, '0')}`;
  return first17 + idCheckChar(first17);
}

export function person(n: number, overrides: Partial<Person> = {}): Person {
  return {
    name: '陈建国',
    idNumber: idNumber(n),
    phone: `1385920${String(n).padStart(4, '0')}`,
    plate: `闽D${String(10000 + n).slice(-5)}`,
    category: '营运类',
    ...overrides,
  };
}

export function button(phone: Locator, name: string | RegExp): Locator {
  return phone.getByRole('button', { name, exact: typeof name === 'string' });
}

/** Waits until `text` shows on the phone. */
export async function sees(phone: Locator, text: string | RegExp): Promise<Locator> {
  const node = phone.getByText(text).first();
  await node.waitFor({ state: 'visible' });
  return node;
}

/** All the text the current page shows, as one line. */
export async function pageText(scene: Scene): Promise<string> {
  const page = scene.frame.locator('page:not([hidden])');
  return (await page.innerText()).replace(/\s+/g, ' ').trim();
}

/**
 * Opens a field's on-screen keyboard, presses `keys`, and closes it with 完成 unless it closed by itself
 * (a complete, valid ID number does).
 */
export async function keypad(phone: Locator, opener: string, keys: string[]): Promise<void> {
  await button(phone, opener).click();
  for (const key of keys) await button(phone, key).click();
  const done = button(phone, '完成输入');
  // The keyboard is a Vant popup: it slides away in 300 ms; give a closing one the time to go.
  await done.waitFor({ state: 'hidden', timeout: 600 }).catch(() => undefined);
  if (await done.isVisible()) await done.click();
  await done.waitFor({ state: 'hidden' });
}

/** Taps a text field, then types `text` on the system keyboard (the typing is not taps). */
export async function typeIn(phone: Locator, placeholder: string, text: string): Promise<void> {
  const field = phone.getByPlaceholder(placeholder);
  await field.click();
  await field.pressSequentially(text);
}

/** R6: the whole form, as a person fills it (the ID and plate on the page's own keyboards). */
export async function fillForm(scene: Scene, p: Person): Promise<void> {
  const { phone } = scene;
  await typeIn(phone, '与身份证上一致', p.name);
  await keypad(phone, '身份证号，点按输入', Array.from(p.idNumber));
  await typeIn(phone, '11 位手机号', p.phone);
  await phone.getByRole('radio', { name: p.category, exact: true }).click();
  await keypad(phone, '车牌号，点按输入', Array.from(p.plate));
}

/** Home → 窗口预约 → (the only service is chosen by itself) → step 1, the day and period. */
export async function startBooking(scene: Scene): Promise<void> {
  await scene.phone.getByText(/^窗口预约/).click();
  await sees(scene.phone, '第 1 步，共 3 步：选择日期和时段');
}

/**
 * On the day page: a day (`12月3日`), then a period (`10:00-11:00`) under it, which opens the person form
 * (or, rescheduling, the confirmation).
 */
export async function chooseSlot(scene: Scene, day: string, period: string): Promise<void> {
  await button(scene.phone, new RegExp(`^${day} `)).click();
  await button(scene.phone, new RegExp(`^${period} `)).click();
}

/** Taps on the phone since the mini program was launched (the preview counts them). */
export async function taps(scene: Scene): Promise<number> {
  return Number(await scene.inPhone('window.__preview.state().taps'));
}

/**
 * What is wrong with the layout of the page on top, as measured in the phone: anything wider than the
 * screen or off its left edge, and any text, value or button whose content does not fit its box (cut,
 * or spilling over its outline). Empty when the page reads whole.
 */
export async function layoutProblems(scene: Scene): Promise<string[]> {
  return (await scene.inPhone(`(() => {
    const width = document.documentElement.clientWidth;
    const page = document.querySelector('page:not([hidden])');
    const problems = [];
    const name = (el) => {
      const text = (el.value || el.textContent || '').replace(/\\s+/g, ' ').trim().slice(0, 30);
      const cls = (el.getAttribute('class') || '').split(' ').filter(Boolean).slice(-2).join('.');
      return el.tagName.toLowerCase() + (cls ? '.' + cls : '') + (text ? ' "' + text + '"' : '');
    };
    if (document.documentElement.scrollWidth > width) {
      problems.push('the page is ' + document.documentElement.scrollWidth + ' px wide on a ' + width + ' px screen');
    }
    for (const el of page ? page.querySelectorAll('*') : []) {
      const style = getComputedStyle(el);
      if (style.display === 'none' || style.visibility === 'hidden') continue;
      const box = el.getBoundingClientRect();
      if (box.width === 0 || box.height === 0) continue;
      if (box.right > width + 0.5 || box.left < -0.5) {
        problems.push('wider than the screen: ' + name(el) + ' (' + Math.round(box.left) + '–' + Math.round(box.right) + ' px)');
      }
      const scrolls = /auto|scroll/.test(style.overflowX + style.overflowY);
      const holdsText = el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' ||
        Array.from(el.childNodes).some((n) => n.nodeType === 3 && n.textContent.trim() !== '');
      if (!scrolls && holdsText && (el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1)) {
        problems.push('cut or spilling: ' + name(el) + ' (' + el.scrollWidth + '×' + el.scrollHeight + ' in ' + el.clientWidth + '×' + el.clientHeight + ')');
      }
    }
    return problems;
  })()`)) as string[];
}

/** How many screens long the page on top is (its height over the phone's). */
export async function screens(scene: Scene): Promise<number> {
  return Number(
    await scene.inPhone(
      'document.documentElement.scrollHeight / document.documentElement.clientHeight',
    ),
  );
}

/** Whether `locator` starts on the phone's screen now (its top edge shows), without scrolling. */
export async function startsInView(locator: Locator): Promise<boolean> {
  return locator.evaluate((el: Placed) => {
    const box = el.getBoundingClientRect();
    const height = el.ownerDocument.defaultView?.innerHeight ?? 0;
    return box.height > 0 && box.top >= 0 && box.top < height - 40;
  });
}

/** The little of an element `inView` reads (the test code has no DOM types). */
interface Placed {
  getBoundingClientRect(): { top: number; bottom: number; height: number };
  ownerDocument: { defaultView: { innerHeight: number } | null };
}

/** Whether `locator` is wholly on the phone's screen now, without scrolling. */
export async function inView(locator: Locator): Promise<boolean> {
  return locator.evaluate((el: Placed) => {
    const box = el.getBoundingClientRect();
    const height = el.ownerDocument.defaultView?.innerHeight ?? 0;
    return box.height > 0 && box.top >= 0 && box.bottom <= height;
  });
}

/** The computed font size (px) of the first element of the shown page whose own text is `text`. */
export async function fontSizeOf(scene: Scene, text: string): Promise<number> {
  const size = await scene.inPhone(`(() => {
    const all = document.querySelectorAll('page:not([hidden]) *');
    const el = Array.from(all).find((e) => e.childElementCount === 0 && e.textContent.trim() === ${JSON.stringify(text)});
    return el ? parseFloat(getComputedStyle(el).fontSize) : NaN;
  })()`);
  return Number(size);
}

/** The booking number the booking page shows, read as a person reads it. */
export async function shownNumber(phone: Locator): Promise<string> {
  const label = await phone.getByLabel(/^预约号 /).getAttribute('aria-label');
  return (label ?? '').replace(/^预约号 /, '');
}

/** The user's bookings as the `booking` function answers `mine` (what the database holds for them). */
export async function bookingsOf(scene: Scene, openid: string): Promise<Booking[]> {
  const res = await fetch(`${scene.cloud.url}/callFunction`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'booking', data: { action: 'mine' }, openid }),
  });
  const body = (await res.json()) as { result?: { ok: boolean; data?: { bookings: Booking[] } } };
  if (!body.result?.ok || !body.result.data)
    throw new Error(`mine failed: ${JSON.stringify(body)}`);
  return body.result.data.bookings;
}

export const SERVICE_ID = 'siming-violation';

interface BookAnswer {
  ok: boolean;
  data?: Booking;
  error?: { code: string };
}

/** A booking made through the `booking` function as `openid` (someone else's doing, or an earlier day's). */
export async function bookDirectly(
  cloud: { url: string },
  openid: string,
  p: Person,
  date: string,
  periodId?: string,
): Promise<Booking> {
  const category = { 电子监控类: 'surveillance', 营运类: 'commercial', 扣车类: 'impounded' }[
    p.category
  ];
  const res = await fetch(`${cloud.url}/callFunction`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      name: 'booking',
      openid,
      data: {
        action: 'book',
        serviceId: SERVICE_ID,
        date,
        ...(periodId ? { periodId } : {}),
        person: { name: p.name, idNumber: p.idNumber, phone: p.phone, plate: p.plate, category },
        requestId: `e2e-${openid}-${p.idNumber}-${date}`,
      },
    }),
  });
  const body = (await res.json()) as { result?: BookAnswer };
  if (!body.result?.ok || !body.result.data) {
    throw new Error(`arranging a booking failed: ${JSON.stringify(body)}`);
  }
  return body.result.data;
}

/**
 * The whole booking as a person makes it, 允许 for the reminder included: home → day and period →
 * person → confirm → the booking page. Answers the number shown.
 */
export async function bookThroughThePhone(
  scene: Scene,
  p: Person,
  day: string,
  period: string,
): Promise<string> {
  const { phone } = scene;
  await startBooking(scene);
  await chooseSlot(scene, day, period);
  await fillForm(scene, p);
  await button(phone, '下一步：核对信息').click();
  await button(phone, '确认预约').click();
  await phone.getByRole('dialog', { name: '订阅消息' }).waitFor();
  await button(phone, '允许').click();
  await sees(phone, '预约成功');
  return shownNumber(phone);
}

/** Someone cancels their booking through the function. */
export async function cancelDirectly(
  cloud: { url: string },
  openid: string,
  bookingId: string,
): Promise<void> {
  const res = await fetch(`${cloud.url}/callFunction`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'booking', openid, data: { action: 'cancel', bookingId } }),
  });
  const body = (await res.json()) as { result?: BookAnswer };
  if (!body.result?.ok) throw new Error(`arranging a cancel failed: ${JSON.stringify(body)}`);
}
