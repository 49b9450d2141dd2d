/**
 * What 我的 shows of 实名认证 (R15): the account's state and how many active bookings other accounts
 * made for its ID (他人为您预约). 我的 shows again each time the citizen comes back to it, and asking
 * `identity` and `forMe` every time would be two calls a visit for an answer that rarely changes. So the
 * answer is kept in the app's memory for IDENTITY_FRESH_MS. What this phone does that changes it forgets
 * it at once (a verification, a cancel of a booking made for the holder: `forgetIdentity`), and a
 * pull-down asks again; a change made elsewhere (another account booking for the ID, or verifying it) is
 * seen within IDENTITY_FRESH_MS.
 */
import type { ApiResult, IdentityState } from '../../typings/api';
import type { IdentitySummary } from '../app-option';
import { callApi } from './api';
import { session } from './session';

export type { IdentitySummary };

/** How long 我的 shows a 实名认证 answer without asking again. */
export const IDENTITY_FRESH_MS = 60_000;

/** Both questions; `whole` false when the list failed (the state is shown, with no count, not kept). */
async function ask(): Promise<{ res: ApiResult<IdentitySummary>; whole: boolean }> {
  const state = await callApi('identity', {});
  if (!state.ok) return { res: state, whole: false };
  if (!state.data.verified)
    return { res: { ok: true, data: { state: state.data, forMe: 0 } }, whole: true };
  const list = await callApi('forMe', {});
  const forMe = list.ok ? list.data.bookings.length : 0;
  return { res: { ok: true, data: { state: state.data, forMe } }, whole: list.ok };
}

/** The answer, from memory while fresh (unless `force`), else asked; a failed part is not kept. */
export function loadIdentitySummary(force = false): Promise<ApiResult<IdentitySummary>> {
  const s = session();
  const kept = s.identity;
  const now = Date.now();
  if (!force && kept && now >= kept.at && now - kept.at < IDENTITY_FRESH_MS)
    return Promise.resolve({ ok: true, data: kept.summary });
  // A page asking while another question is on its way shares its answer.
  if (!force && s.identityLoading) return s.identityLoading;
  const loading = ask().then(({ res, whole }) => {
    // Forgotten meanwhile (a change on this phone): this answer may be from before it.
    if (s.identityLoading === loading) {
      if (res.ok && whole) s.identity = { summary: res.data, at: now };
      delete s.identityLoading;
    }
    return res;
  });
  s.identityLoading = loading;
  return loading;
}

/** This phone changed the answer (verified, cancelled a booking made for the holder): ask next time. */
export function forgetIdentity(): void {
  const s = session();
  delete s.identity;
  delete s.identityLoading;
}

/**
 * The 实名认证 page read the state or the list itself: when it differs from what 我的 remembers (a
 * change made elsewhere, seen there first), 我的 asks again on its way back rather than contradict it.
 */
export function seenIdentity(seen: { state?: IdentityState; forMe?: number }): void {
  const kept = session().identity?.summary;
  if (!kept) return;
  const stateDiffers =
    seen.state !== undefined && JSON.stringify(seen.state) !== JSON.stringify(kept.state);
  const countDiffers = seen.forMe !== undefined && seen.forMe !== kept.forMe;
  if (stateDiffers || countDiffers) forgetIdentity();
}
