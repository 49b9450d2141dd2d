/**
 * Calls the real `booking` function on the local cloud as a given WeChat user, typed by the contract, and
 * makes valid test identities. ID numbers are computed here with their own GB 11643 check digit, as an
 * oracle independent of the code under test.
 */
import type {
  ApiResult,
  Booking,
  BookingAction,
  BookingApi,
  PersonInput,
} from '../../../typings/api';
import { callFunction, type LocalCloud } from '../../../local-cloud/client';

type Cloud = Pick<LocalCloud, 'url'>;

/**
 * Calls function `name` as `openid` (undefined: without a user OPENID) and answers its result; a call
 * the platform failed (timeout, crash) throws.
 */
export async function invoke<T>(
  cloud: Cloud,
  name: string,
  data: object,
  openid?: string,
): Promise<T> {
  const outcome = await callFunction(cloud, name, data, openid);
  if (!('result' in outcome))
    throw new Error(`${name} failed on the platform: ${outcome.errCode} ${outcome.errMsg}`);
  return outcome.result as T;
}

export function call<A extends BookingAction>(
  cloud: Cloud,
  openid: string,
  action: A,
  req: BookingApi[A]['req'],
): Promise<ApiResult<BookingApi[A]['res']>> {
  return invoke(cloud, 'booking', { action, ...req }, openid);
}

/**
 * Final answers only: a call the platform failed (timeout, crash) and the transient refusals (INTERNAL,
 * SYSTEM.BUSY) are retried with the same request, as the mini program does, up to six times.
 */
export async function persist<A extends BookingAction>(
  cloud: Cloud,
  openid: string,
  action: A,
  req: BookingApi[A]['req'],
): Promise<ApiResult<BookingApi[A]['res']>> {
  for (let attempt = 0; ; attempt += 1) {
    let res: ApiResult<BookingApi[A]['res']> | undefined;
    try {
      res = await call(cloud, openid, action, req);
    } catch {
      res = undefined;
    }
    const transient =
      !res || (!res.ok && (res.error.code === 'INTERNAL' || res.error.code === 'SYSTEM.BUSY'));
    if (!transient || attempt >= 6) {
      if (!res) throw new Error(`${action} kept failing on the platform`);
      return res;
    }
  }
}

/** Runs `tasks` with at most `limit` in flight, like the platform's instance cap. */
export async function pool<T>(tasks: (() => Promise<T>)[], limit: number): Promise<T[]> {
  const results: T[] = new Array<T>(tasks.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < tasks.length) {
        const i = next++;
        const task = tasks.at(i);
        if (task) results[i] = await task();
      }
    }),
  );
  return results;
}

/** Like `call`, for a success the test relies on: throws with the error otherwise. */
export async function ok<A extends BookingAction>(
  cloud: Cloud,
  openid: string,
  action: A,
  req: BookingApi[A]['req'],
): Promise<BookingApi[A]['res']> {
  const res = await call(cloud, openid, action, req);
  if (!res.ok) throw new Error(`${action} refused: ${res.error.code} ${res.error.message}`);
  return res.data;
}

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

export function withCheckDigit(first17: string): string {
  const sum = first17.split('').reduce((s, d, i) => s + Number(d) * (WEIGHTS[i] ?? 0), 0);
  return first17 + (CHECK[sum % 11] ?? '?');
}

/** A valid 18-digit resident ID for test person `n` (Xiamen Siming 350203, born 1980–1999). */
export function idNumber(n: number): string {
  const year = 1980 + (n % 20);
  const month = String((n % 12) + 1).padStart(2, '0');
  const day = String((n % 28) + 1).padStart(2, '0');
  const seq = String(n % 1000).padStart(3, '0');
  return withCheckDigit(`350203${year}${month}${day}${seq}`);
}

export function person(n: number, overrides: Partial<PersonInput> = {}): PersonInput {
  return {
    name: '测试用户',
    idNumber: idNumber(n),
    phone: `138${String(n).padStart(8, '0')}`,
    plate: `闽D${String(10000 + (n % 90000))}`,
    category: 'surveillance',
    ...overrides,
  };
}

export const SERVICE = 'siming-violation';

/** Request ids unique in a file's run, `<label>-<pid>-<n>`. */
export function requestIds(label: string): () => string {
  let seq = 0;
  return () => `${label}-${process.pid}-${(seq += 1)}`;
}

/** `book` of the seeded service on `date` for test person `n`, as `openid`: the answer as it comes. */
export function bookPerson(
  cloud: Cloud,
  openid: string,
  n: number,
  date: string,
  requestId: string,
): Promise<ApiResult<Booking>> {
  return call(cloud, openid, 'book', { serviceId: SERVICE, date, person: person(n), requestId });
}
