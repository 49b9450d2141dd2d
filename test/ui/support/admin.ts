/** What an administrator does on the admin pages, beyond support/user.ts: paste into a text area. */
import { simulate } from './simulate';
import { findAll, type Node } from './user';

/** Pastes `text` into a van-field text area at once (one `input`, as a paste is), then leaves it. */
export async function paste(field: Node, text: string): Promise<void> {
  const area = findAll(field, '.van-field__control').find((n) => n.dom?.tagName === 'WX-TEXTAREA');
  if (!area) throw new Error('the field has no text area');
  area.dispatchEvent('focus', { detail: { value: '' } });
  area.dispatchEvent('input', { detail: { value: text } });
  await simulate.sleep(0);
  area.dispatchEvent('blur', { detail: { value: text } });
  await simulate.sleep(0);
}

/** The `admin` actions the pages called so far, in order. */
export function adminCalls(): { action: string; data: Record<string, unknown> }[] {
  const calls = (wx.cloud.callFunction as jest.Mock).mock.calls as [
    { name: string; data: Record<string, unknown> & { action: string } },
  ][];
  return calls
    .filter(([o]) => o.name === 'admin')
    .map(([o]) => ({ action: o.data.action, data: o.data }));
}
