/** Steps of the booking journey that several tests take, done through the pages as a citizen does. */
import type { TestPerson } from './people';
import { textOf, type RenderedPage } from './simulate';
import {
  find,
  findByText,
  keysOf,
  lastUrl,
  loaded,
  open,
  press,
  tap,
  typeInto,
  waitFor,
  type Node,
} from './user';

/**
 * Opens the on-screen keyboard of a field (its box), types `text` key by key, and closes it with 完成
 * unless it closed by itself (a complete, valid ID number).
 */
export async function typeWithKeypad(page: Node, fieldClass: string, text: string): Promise<void> {
  await tap(find(page, `${fieldClass}-box`));
  const keypad = find(page, '.keypad');
  await keysOf(keypad);
  await press(keypad, Array.from(text));
  if (keypad.data.show === true) await closeKeypad(page);
}

export async function closeKeypad(page: Node): Promise<void> {
  const keypad = find(page, '.keypad');
  const done = await waitFor(() => find(keypad, '.pad-done'));
  done.dispatchEvent('tap');
  await waitFor(() => {
    if (keypad.data.show !== false) throw new Error('the keyboard is still open');
  });
}

export async function chooseCategory(page: Node, name: string): Promise<void> {
  await tap(findByText(page, '.category-option', name));
}

/** Fills the whole form (R6), in the order it shows the fields. */
export async function fillForm(page: Node, person: TestPerson): Promise<void> {
  await typeInto(find(page, '.name-input'), person.name);
  await typeWithKeypad(page, '.id', person.idNumber);
  await typeInto(find(page, '.phone-input'), person.phone);
  await chooseCategory(page, person.category);
  await typeWithKeypad(page, '.plate', person.plate);
}

/** The text under a field of the form (its label, value and message). */
export function fieldText(page: Node, fieldClass: string): string {
  return textOf(find(page, fieldClass));
}

/**
 * Step 1 through the pages: opens the day page, picks `day` (as shown, e.g. `12月2日`) and `period`
 * (e.g. `09:00-10:00`), and opens the person form it leads to.
 */
export async function reachForm(day: string, period: string): Promise<RenderedPage> {
  const slot = open('/pages/slot/index?serviceId=siming-violation');
  await loaded(slot);
  await tap(findByText(slot.comp, '.day', day));
  await tap(findByText(slot.comp, '.period', period));
  const form = open(lastUrl('navigateTo'));
  await loaded(form);
  return form;
}

/** Steps 1 and 2 through the pages, for `person`: answers the confirmation page. */
export async function reachConfirm(
  person: TestPerson,
  day: string,
  period: string,
): Promise<RenderedPage> {
  const form = await reachForm(day, period);
  await fillForm(form.comp, person);
  await tap(find(form.comp, '.next'));
  const confirm = open(lastUrl('navigateTo'));
  await loaded(confirm);
  return confirm;
}

/**
 * As if step 1 had been taken on this phone (the day page leaves its choice in the app's memory), then
 * the person form opened: for tests of the form itself.
 */
export async function openFormOn(
  date = '2026-12-02',
  period: { id: string; start: string; end: string } = { id: 'am1', start: '09:00', end: '10:00' },
): Promise<RenderedPage> {
  const app = (
    global as unknown as { __uiApp: { globalData: { session?: Record<string, unknown> } } }
  ).__uiApp;
  app.globalData.session = {
    ...app.globalData.session,
    serviceId: 'siming-violation',
    slot: { date, periodId: period.id, start: period.start, end: period.end },
  };
  const form = open('/pages/person-form/index?serviceId=siming-violation');
  await loaded(form);
  return form;
}
