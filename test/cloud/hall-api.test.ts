/**
 * The hall API through the local cloud's HTTP access route (`/http/hall-api/...`) and the real `hall-api`,
 * `admin` and `booking` functions: signed requests, every refusal with its code and status, the queue's
 * events by printed number, cheap polling with `since`, bookings from another channel through the same
 * code as the mini program's (R12), and the example client (scripts/hall-client.ts) as an integrator
 * runs it. The signature here is computed independently of the server's code (node:crypto, the
 * documented string to sign).
 */
import { spawnSync } from 'node:child_process';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import path from 'node:path';
import type { ApiScope } from '../../typings/admin';
import type { Booking } from '../../typings/api';
import type { HallDayResponse, HallErrorBody } from '../../typings/hall-api';
import type { QueueRow } from '../../typings/staff';
import { chinaTime, ROOT, setClock } from '../../local-cloud/client';
import { useAdminCloud } from './support/admin-cloud';
import { person, SERVICE } from './support/booking';
import { addOtherOffice, adminOk, OTHER_OFFICE, OTHER_SERVICE } from './support/hall';

jest.setTimeout(120_000);

let base: string;

interface Key {
  keyId: string;
  secret: string;
}

const CITY = 'o-hall-city';
const DAY = '2026-06-24';
const BOOKED_ON = chinaTime('2026-06-22T10:00:00');
type KeyName = 'full' | 'other' | 'readOnly' | 'huli' | 'slow' | 'revoked';
/** Filled in beforeAll. */
const keys = {} as Record<KeyName, Key>;

async function key(
  name: string,
  scopes: ApiScope[],
  officeId = 'siming',
  ratePerMinute?: number,
): Promise<Key> {
  const made = await adminOk(cloud, CITY, 'createApiKey', {
    officeId,
    scopes,
    channel: 'xmjj-web',
    name,
    ...(ratePerMinute === undefined ? {} : { ratePerMinute }),
  });
  return { keyId: made.keyId, secret: made.secret };
}

const { cloud } = useAdminCloud({ now: BOOKED_ON, prepare: addOtherOffice, city: CITY });

beforeAll(async () => {
  base = `${cloud.url}/http/hall-api`;
  keys.full = await key('叫号系统', ['read', 'queue', 'book']);
  keys.other = await key('另一个渠道', ['book']);
  keys.readOnly = await key('只读', ['read']);
  keys.huli = await key('湖里', ['read', 'queue'], OTHER_OFFICE);
  keys.slow = await key('限流', ['read'], 'siming', 3);
  keys.revoked = await key('停用', ['read']);
  await adminOk(cloud, CITY, 'revokeApiKey', { keyId: keys.revoked.keyId });
});

interface SignOptions {
  query?: Record<string, string>;
  body?: unknown;
  /** Unix seconds; default the emulated clock's. */
  timestamp?: number;
  nonce?: string;
  /** Sign with this secret instead of the key's. */
  secret?: string;
  /** Send this body instead of the one signed. */
  sendBody?: string;
  headers?: Record<string, string>;
}

async function emulatedSeconds(): Promise<number> {
  const res = await fetch(`${base}/v1/clock`);
  return ((await res.json()) as { now: number }).now;
}

interface Answer<T> {
  status: number;
  headers: Headers;
  body: T;
}

/** A signed request, as docs/hall-api.md describes it. */
async function signed<T>(
  k: Key | undefined,
  method: string,
  route: string,
  o: SignOptions = {},
): Promise<Answer<T>> {
  const query = Object.entries(o.query ?? {})
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([a, b]) => `${encodeURIComponent(a)}=${encodeURIComponent(b)}`)
    .join('&');
  const pathWithQuery = query ? `${route}?${query}` : route;
  const body = o.body === undefined ? '' : JSON.stringify(o.body);
  const timestamp = String(o.timestamp ?? (await emulatedSeconds()));
  const nonce = o.nonce ?? randomBytes(12).toString('hex');
  const text = [
    method,
    pathWithQuery,
    timestamp,
    nonce,
    createHash('sha256').update(body).digest('hex'),
  ].join('\n');
  const headers: Record<string, string> = { 'content-type': 'application/json', ...o.headers };
  if (k) {
    Object.assign(headers, {
      'x-key-id': k.keyId,
      'x-timestamp': timestamp,
      'x-nonce': nonce,
      'x-signature': createHmac('sha256', o.secret ?? k.secret)
        .update(text)
        .digest('hex'),
    });
  }
  const sent = o.sendBody ?? body;
  const res = await fetch(`${base}${pathWithQuery}`, {
    method,
    headers,
    ...(sent ? { body: sent } : {}),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as T };
}

const dayRoute = (serviceId = SERVICE, date = DAY) =>
  `/v1/services/${serviceId}/days/${date}/bookings`;
const eventRoute = (number: string, serviceId = SERVICE, date = DAY) =>
  `/v1/services/${serviceId}/days/${date}/numbers/${number}/events`;

let seq = 0;
async function bookThroughApi(k: Key, periodId = 'am1'): Promise<Answer<Booking>> {
  seq += 1;
  return signed<Booking>(k, 'POST', '/v1/bookings', {
    body: {
      serviceId: SERVICE,
      date: DAY,
      periodId,
      person: person(900 + seq),
      requestId: `hall-${process.pid}-${seq}`,
    },
  });
}

describe('bookings from another channel (R12)', () => {
  it('books through the same rules, records the key’s channel, is idempotent by requestId and knows no account limit', async () => {
    await setClock(cloud, BOOKED_ON, { fireTriggers: false });
    const body = {
      serviceId: SERVICE,
      date: DAY,
      periodId: 'am1',
      person: person(800),
      requestId: `hall-${process.pid}-repeat`,
    };
    const first = await signed<Booking>(keys.full, 'POST', '/v1/bookings', { body });
    const again = await signed<Booking>(keys.full, 'POST', '/v1/bookings', { body });
    // Four more for one key: a channel books for many people (the WeChat account limit is 3).
    const more = [];
    for (let i = 0; i < 4; i += 1) more.push(await bookThroughApi(keys.full));
    const samePerson = await signed<HallErrorBody>(keys.full, 'POST', '/v1/bookings', {
      body: { ...body, requestId: `hall-${process.pid}-other` },
    });
    const badId = await signed<HallErrorBody>(keys.full, 'POST', '/v1/bookings', {
      body: { ...body, person: { ...body.person, idNumber: '350203198001010000' } },
    });
    expect(first).toMatchObject({ status: 200, body: { channel: 'xmjj-web', status: 'booked' } });
    expect(again.body.id).toBe(first.body.id);
    expect(more.map((m) => m.status)).toEqual([200, 200, 200, 200]);
    expect([samePerson.status, samePerson.body.code]).toEqual([
      409,
      'BOOKING.PERSON_ALREADY_BOOKED',
    ]);
    expect([badId.status, badId.body.code]).toEqual([400, 'IDENTITY.ID_CHECK_DIGIT']);
  });

  it('cancels only a booking this key made; anyone else’s answers as one that does not exist', async () => {
    await setClock(cloud, BOOKED_ON, { fireTriggers: false });
    const mine = await bookThroughApi(keys.full, 'am2');
    const theirs = await signed<HallErrorBody>(
      keys.other,
      'DELETE',
      `/v1/bookings/${mine.body.id}`,
    );
    const cancelled = await signed<Booking>(keys.full, 'DELETE', `/v1/bookings/${mine.body.id}`);
    expect([theirs.status, theirs.body.code]).toEqual([404, 'BOOKING.NOT_FOUND']);
    expect([cancelled.status, cancelled.body.status]).toEqual([200, 'cancelled']);
  });
});

describe('the queue through the API', () => {
  it('checks in and calls by the printed number, and answers the row', async () => {
    await setClock(cloud, BOOKED_ON, { fireTriggers: false });
    const b = await bookThroughApi(keys.full, 'am3');
    await setClock(cloud, chinaTime(`${DAY}T10:30:00`), { fireTriggers: false });
    const checkIn = await signed<QueueRow>(keys.full, 'POST', eventRoute(b.body.number), {
      body: { event: 'check_in' },
    });
    const called = await signed<QueueRow>(keys.full, 'POST', eventRoute(b.body.number), {
      body: { event: 'call', window: '2号窗口' },
    });
    const served = await signed<HallErrorBody>(keys.full, 'POST', eventRoute(b.body.number), {
      body: { event: 'finish' },
    });
    expect([checkIn.status, checkIn.body.status]).toEqual([200, 'checked_in']);
    expect(called.body).toMatchObject({ status: 'called', callCount: 1, window: '2号窗口' });
    expect([served.status, served.body.code]).toEqual([409, 'QUEUE.WRONG_STATUS']);
  });

  it('lists the day, then with `since` only what changed after the cursor', async () => {
    await setClock(cloud, BOOKED_ON, { fireTriggers: false });
    const later = await bookThroughApi(keys.full, 'am3');
    await setClock(cloud, chinaTime(`${DAY}T10:40:00`), { fireTriggers: false });
    const all = await signed<HallDayResponse>(keys.readOnly, 'GET', dayRoute());
    const quiet = await signed<HallDayResponse>(keys.readOnly, 'GET', dayRoute(), {
      query: { since: all.body.cursor },
    });
    // Ten seconds later (past the overlap a poll looks back over), one booking changes.
    await setClock(cloud, chinaTime(`${DAY}T10:40:10`), { fireTriggers: false });
    await signed<QueueRow>(keys.full, 'POST', eventRoute(later.body.number), {
      body: { event: 'check_in' },
    });
    const changed = await signed<HallDayResponse>(keys.readOnly, 'GET', dayRoute(), {
      query: { since: quiet.body.cursor },
    });
    expect(all.body.bookings.length).toBeGreaterThan(3);
    expect(JSON.stringify(all.body)).not.toMatch(/idNumber|phone|personKey|passToken/);
    expect(quiet.body.bookings).toEqual([]);
    expect(changed.body.bookings.map((r) => [r.id, r.status])).toEqual([
      [later.body.id, 'checked_in'],
    ]);
  });
});

describe('every refusal has its own code and status', () => {
  it('refuses missing headers, an unknown or revoked key, a wrong signature, a changed body and a stale timestamp (401)', async () => {
    const now = await emulatedSeconds();
    const results = await Promise.all([
      signed<HallErrorBody>(undefined, 'GET', dayRoute()),
      signed<HallErrorBody>({ keyId: 'hk_0000000000000000', secret: 'x' }, 'GET', dayRoute()),
      signed<HallErrorBody>(keys.revoked, 'GET', dayRoute()),
      signed<HallErrorBody>(keys.readOnly, 'GET', dayRoute(), { secret: 'hs_not-the-secret' }),
      signed<HallErrorBody>(keys.full, 'POST', eventRoute('A001'), {
        body: { event: 'call' },
        sendBody: JSON.stringify({ event: 'miss' }),
      }),
      signed<HallErrorBody>(keys.readOnly, 'GET', dayRoute(), { timestamp: now - 360 }),
      signed<HallErrorBody>(keys.readOnly, 'GET', dayRoute(), { timestamp: now + 360 }),
    ]);
    expect(results.map((r) => [r.status, r.body.code])).toEqual([
      [401, 'API.AUTH_MISSING'],
      [401, 'API.KEY_UNKNOWN'],
      [401, 'API.KEY_REVOKED'],
      [401, 'API.SIGNATURE_INVALID'],
      [401, 'API.SIGNATURE_INVALID'],
      [401, 'API.TIMESTAMP_SKEW'],
      [401, 'API.TIMESTAMP_SKEW'],
    ]);
  });

  it('refuses a nonce seen before (409), a scope or office the key lacks (403)', async () => {
    const nonce = randomBytes(12).toString('hex');
    const first = await signed<HallDayResponse>(keys.readOnly, 'GET', dayRoute(), { nonce });
    const replay = await signed<HallErrorBody>(keys.readOnly, 'GET', dayRoute(), { nonce });
    const scope = await signed<HallErrorBody>(keys.readOnly, 'POST', eventRoute('A001'), {
      body: { event: 'call' },
    });
    const office = await signed<HallErrorBody>(keys.huli, 'GET', dayRoute());
    const ownOffice = await signed<HallDayResponse>(keys.huli, 'GET', dayRoute(OTHER_SERVICE));
    expect([first.status, ownOffice.status]).toEqual([200, 200]);
    expect([replay, scope, office].map((r) => [r.status, r.body.code])).toEqual([
      [409, 'API.NONCE_REPLAYED'],
      [403, 'API.SCOPE_MISSING'],
      [403, 'API.OFFICE_FORBIDDEN'],
    ]);
  });

  it('refuses more than the key’s rate in 60 s (429, Retry-After)', async () => {
    const answers = [];
    for (let i = 0; i < 4; i += 1)
      answers.push(await signed<HallErrorBody>(keys.slow, 'GET', dayRoute()));
    const last = answers.at(-1);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 429]);
    // 3 a minute: one every 20 s.
    expect([last?.body.code, last?.headers.get('retry-after')]).toEqual(['API.RATE_LIMITED', '20']);
  });

  it('answers an unknown route 404, a wrong method 405 and a malformed body 400, after authentication', async () => {
    const results = await Promise.all([
      signed<HallErrorBody>(keys.full, 'GET', '/v1/nothing'),
      signed<HallErrorBody>(keys.full, 'PUT', dayRoute()),
      signed<HallErrorBody>(keys.full, 'POST', eventRoute('A001'), { body: { event: 'dance' } }),
      signed<HallErrorBody>(keys.full, 'GET', dayRoute(SERVICE, '2026-02-30')),
    ]);
    expect(results.map((r) => [r.status, r.body.code])).toEqual([
      [404, 'API.ROUTE_NOT_FOUND'],
      [405, 'API.METHOD_NOT_ALLOWED'],
      [400, 'REQUEST.INVALID'],
      [400, 'CALENDAR.DATE_INVALID'],
    ]);
  });
});

describe('the example client (npm run -s hall-client)', () => {
  function client(args: string[]): { status: number | null; out: unknown } {
    const res = spawnSync(
      process.execPath,
      ['--import', 'tsx', path.join(ROOT, 'scripts', 'hall-client.ts'), ...args],
      {
        cwd: ROOT,
        env: {
          ...process.env,
          HALL_API_URL: base,
          HALL_KEY_ID: keys.full.keyId,
          HALL_KEY_SECRET: keys.full.secret,
        },
      },
    );
    const text = res.stdout.toString();
    return {
      status: res.status,
      out: text ? (JSON.parse(text) as unknown) : res.stderr.toString(),
    };
  }

  it('lists the day, checks a citizen in and calls them, printing JSON', async () => {
    await setClock(cloud, BOOKED_ON, { fireTriggers: false });
    const b = await bookThroughApi(keys.full, 'pm1');
    await setClock(cloud, chinaTime(`${DAY}T14:10:00`), { fireTriggers: false });
    const today = client(['today', SERVICE]);
    const checkIn = client(['check-in', SERVICE, DAY, b.body.number]);
    const call = client(['call', SERVICE, DAY, b.body.number, '1号窗口']);
    const twice = client(['check-in', SERVICE, DAY, b.body.number]);
    expect(today.status).toBe(0);
    expect((today.out as HallDayResponse).bookings.map((r) => r.id)).toContain(b.body.id);
    expect([checkIn.status, (checkIn.out as QueueRow).status]).toEqual([0, 'checked_in']);
    expect(call).toEqual({
      status: 0,
      out: expect.objectContaining({ id: b.body.id, status: 'called', window: '1号窗口' }),
    });
    expect(twice).toEqual({
      status: 1,
      out: { code: 'CHECKIN.ALREADY', message: expect.stringMatching(/^该预约已签到（14:10）$/) },
    });
  });
});
