/** Steps of the booking journey that several tests take, done through the pages as a citizen does. */
import type { TestPerson } from './people';
import { find, findByText, keysOf, press, tap, typeInto, waitFor, type Node } from './user';
import { textOf } from './simulate';

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
