/** Issue 15 scenes: the city's real-name facility, and accounts verified through the real functions. */
import type { BookingApi } from '../../../typings/api';
import { CACHE_MS } from '../../../server/store/catalogue';
import { bridge, callBooking, inCloud } from './cloud';
import { postOk } from './http';
import type { TestPerson } from './people';

let current = 'off:false';

/**
 * `settings.identityMethod` (and `requireVerification`), as an administrator would set them; then the
 * clock moves on past the functions' configuration cache (`CACHE_MS`, server/store/catalogue.ts), as
 * the next citizen's request would find it. Nothing is done when they are set already.
 */
export async function useIdentityMethod(
  method: 'face' | 'realname' | 'off',
  requireVerification = false,
): Promise<void> {
  if (current === `${method}:${String(requireVerification)}`) return;
  current = `${method}:${String(requireVerification)}`;
  await inCloud(
    async (cloud, args) => {
      const db = cloud.database();
      await db
        .collection('settings')
        .doc('global')
        .update({
          data: {
            identityMethod: args.method,
            requireVerification: args.required,
            configVersion: db.command.inc(1),
          },
        });
    },
    { method, required: requireVerification },
  );
  const state = bridge();
  const target = Date.now() + CACHE_MS + 1000;
  await postOk(`${state.url ?? ''}/clock`, { now: target, fireTriggers: false });
  state.offset = target - (Date.now() - state.offset);
}

interface Answer<T> {
  ok: boolean;
  data: T;
  error?: unknown;
}

/**
 * `openid` proves it holds `person`'s ID through 人脸核身 2.0, as the pages would: getVerifyId, the face
 * at its camera (registered as the person's), queryVerifyInfo. The city must use `face`.
 */
export async function verifyAs(openid: string, person: TestPerson): Promise<void> {
  const url = bridge().url ?? '';
  const who = { name: person.name, idNumber: person.idNumber };
  await postOk(`${url}/realname/identities`, { openid, ...who });
  const start = await callBooking<Answer<BookingApi['identityStart']['res']>>(openid, {
    action: 'identityStart',
    ...who,
  });
  if (!start.ok || start.data.method !== 'face')
    throw new Error(`arranging failed: ${JSON.stringify(start)}`);
  await postOk(`${url}/realname/face`, { openid, verifyId: start.data.verifyId });
  const done = await callBooking<Answer<unknown>>(openid, {
    action: 'verifyIdentity',
    ...who,
    verifyId: start.data.verifyId,
    session: start.data.session,
  });
  if (!done.ok) throw new Error(`arranging failed: ${JSON.stringify(done.error)}`);
}
