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

/** Opens the on-screen keyboard of a field, types `text` key by key, and closes it with 完成. */
export async function typeWithKeypad(page: Node, fieldClass: string, text: string): Promise<void> {
  await tap(find(page, fieldClass));
  const keypad = find(page, '.keypad');
  await keysOf(keypad);
  await press(keypad, Array.from(text));
  await closeKeypad(page);
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

export async function confirmTruthful(page: Node): Promise<void> {
  await tap(find(page, '.truthful-check'));
}

/** Fills the whole form (R6) and ticks 信息真实. */
export async function fillForm(page: Node, person: TestPerson): Promise<void> {
  await typeInto(find(page, '.field-name'), person.name);
  await typeWithKeypad(page, '.field-id', person.idNumber);
  await typeInto(find(page, '.field-phone'), person.phone);
  await typeWithKeypad(page, '.field-plate', person.plate);
  await chooseCategory(page, person.category);
  await confirmTruthful(page);
}

/** The text under a field of the form (its label, value and message). */
export function fieldText(page: Node, fieldClass: string): string {
  return textOf(find(page, fieldClass));
}

/**
 * From the form to the confirmation page, through the pages: fills the form for `person`, picks `day`
 * (as shown, e.g. `12月2日`) and `period` (e.g. `09:00-10:00`), and opens the confirmation.
 */
export async function reachConfirm(
  person: TestPerson,
  day: string,
  period: string,
): Promise<RenderedPage> {
  const form = open('/pages/person-form/index?serviceId=siming-violation');
  await loaded(form);
  await fillForm(form.comp, person);
  await tap(find(form.comp, '.next'));
  const slot = open(lastUrl('navigateTo'));
  await loaded(slot);
  await tap(findByText(slot.comp, '.day', day));
  await tap(findByText(slot.comp, '.period', period));
  await tap(find(slot.comp, '.next'));
  const confirm = open(lastUrl('navigateTo'));
  await loaded(confirm);
  return confirm;
}
