/**
 * What 我的 shows of 实名认证 (R15): the account's state and how many active bookings other accounts
 * made for its ID (他人为您预约). 我的 shows again each time the citizen comes back to it, and asking
 * `identity` and `forMe` every time would be two calls a visit for an answer that rarely changes. So the
 * answer is kept in the app's memory for IDENTITY_FRESH_MS. What this phone does that changes it forgets
 * it at once (a verification, a cancel of a booking made for the holder: `forgetIdentity`), and a
 * pull-down asks again; a change made elsewhere (another account booking for the ID, or verifying it) is
 * seen within IDENTITY_FRESH_MS.
 *
 * The person form needs the state only (本人 / 为他人预约, or the link to 实名认证): `loadIdentityState`
 * answers it from the same memory — 我的's whole answer, or a state asked alone, which 我的 then completes
 * with `forMe` only — and forgetting forgets both. The confirm page forgets it when the booking is
 * refused for 实名认证 (the state it showed was out of date).
 */
import type { ApiResult, IdentityState } from '../../typings/api';
import type { IdentitySummary } from '../app-option';
import { callApi } from './api';
import { session } from './session';

export type { IdentitySummary };

/** How long 我的 shows a 实名认证 answer without asking again. */
export const IDENTITY_FRESH_MS = 60_000;

function fresh(kept: { at: number } | undefined, now: number): boolean {
  return kept !== undefined && now >= kept.at && now - kept.at < IDENTITY_FRESH_MS;
}

/**
 * The 实名认证 state (R15), from memory while fresh (unless `force`): 我的's whole answer, or the state
 * asked alone; else `identity`, kept. A question on its way (this one, or 我的's) is shared.
 */
export function loadIdentityState(force = false): Promise<ApiResult<IdentityState>> {
  const s = session();
  const now = Date.now();
  if (!force) {
    if (s.identity && fresh(s.identity, now))
      return Promise.resolve({ ok: true, data: s.identity.summary.state });
    if (s.identityState && fresh(s.identityState, now))
      return Promise.resolve({ ok: true, data: s.identityState.state });
    if (s.identityStateLoading) return s.identityStateLoading;
    if (s.identityLoading)
      return s.identityLoading.then((res) => (res.ok ? { ok: true, data: res.data.state } : res));
  }
  const loading = callApi('identity', {}).then((res) => {
    // Forgotten meanwhile (a change on this phone): this answer may be from before it.
    if (s.identityStateLoading === loading) {
      if (res.ok) s.identityState = { state: res.data, at: now };
      delete s.identityStateLoading;
    }
    return res;
  });
  s.identityStateLoading = loading;
  return loading;
}

/**
 * Both questions, the state from memory while fresh (unless `force`); `whole` false when the list failed
 * (the state is shown, with no count, not kept); `at` when the older part was asked.
 */
async function ask(force: boolean): Promise<{
  res: ApiResult<IdentitySummary>;
  whole: boolean;
  at: number;
}> {
  const asked = Date.now();
  const state = await loadIdentityState(force);
  if (!state.ok) return { res: state, whole: false, at: asked };
  // A state from memory is as old as it is: the whole is no fresher than its older part.
  const at = Math.min(asked, session().identityState?.at ?? asked);
  if (!state.data.verified)
    return { res: { ok: true, data: { state: state.data, forMe: 0 } }, whole: true, at };
  const list = await callApi('forMe', {});
  const forMe = list.ok ? list.data.bookings.length : 0;
  return { res: { ok: true, data: { state: state.data, forMe } }, whole: list.ok, at };
}

/** The answer, from memory while fresh (unless `force`), else asked; a failed part is not kept. */
export function loadIdentitySummary(force = false): Promise<ApiResult<IdentitySummary>> {
  const s = session();
  const kept = s.identity;
  if (!force && fresh(kept, Date.now()) && kept)
    return Promise.resolve({ ok: true, data: kept.summary });
  // A page asking while another question is on its way shares its answer.
  if (!force && s.identityLoading) return s.identityLoading;
  const loading = ask(force).then(({ res, whole, at }) => {
    // Forgotten meanwhile (a change on this phone): this answer may be from before it.
    if (s.identityLoading === loading) {
      if (res.ok && whole) s.identity = { summary: res.data, at };
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
  delete s.identityState;
  delete s.identityStateLoading;
}

/**
 * The 实名认证 page read the state or the list itself: when it differs from what is remembered (a
 * change made elsewhere, seen there first), 我的 and the person form ask again on their way back rather
 * than contradict it.
 */
export function seenIdentity(seen: { state?: IdentityState; forMe?: number }): void {
  const s = session();
  const kept = s.identity?.summary;
  const states = [kept?.state, s.identityState?.state].filter((k) => k !== undefined);
  const stateDiffers =
    seen.state !== undefined &&
    states.some((k) => JSON.stringify(seen.state) !== JSON.stringify(k));
  const countDiffers = seen.forMe !== undefined && kept !== undefined && seen.forMe !== kept.forMe;
  if (stateDiffers || countDiffers) forgetIdentity();
}
