/**
 * The privacy scan (R14, issue 16): journeys with known ID numbers and phones — booking, `mine` and
 * `detail`, refusals that carry them, the reminder, the window's queue (check-in, call, today), the hall
 * API (the day's rows, a booking through a channel), the statistics and their .csv and .xlsx exports —
 * and then a search for each ID number and phone, in full, through everything that leaves a function or
 * stays behind: every answer (the exports' files read back), the local cloud's log and the functions' own
 * console output, the subscribe-message outbox, and every document of every collection. Any hit fails,
 * naming where.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { readSheet } from 'read-excel-file/node';
import type { PersonInput } from '../../typings/api';
import {
  callFunction,
  chinaTime,
  outbox,
  ROOT,
  setClock,
  subscribe,
} from '../../local-cloud/client';
import { useAdminCloud } from './support/admin-cloud';
import { idNumber, person, SERVICE } from './support/booking';
import { adminOk } from './support/hall';

jest.setTimeout(180_000);

const BOOKED_ON = chinaTime('2026-06-22T10:00:00');
const DAY = '2026-06-24';
const CITY = 'o-privacy-admin';
const CITIZEN = 'o-privacy-citizen';
const OTHER = 'o-privacy-other';
const STAFF = 'demo-staff';
const TEMPLATE = 'local-booking-reminder';

/** The people of the journeys; their ID numbers and phones must never show in full. */
const PEOPLE: PersonInput[] = [person(701), person(702), person(703), person(704)];
const SECRETS = PEOPLE.flatMap((p) => [p.idNumber, p.idNumber.toLowerCase(), p.phone]);

const { cloud, db } = useAdminCloud({ now: BOOKED_ON, city: CITY });
/** Every answer of the journeys, as received (text), with what asked for it. */
const answers: { what: string; text: string }[] = [];

async function fn(name: string, data: Record<string, unknown>, openid?: string): Promise<unknown> {
  const outcome = await callFunction(cloud, name, data, openid);
  answers.push({ what: `${name}.${String(data.action)}`, text: JSON.stringify(outcome) });
  if (!('result' in outcome)) throw new Error(`${name} failed: ${JSON.stringify(outcome)}`);
  return outcome.result;
}

async function okData<T>(name: string, data: Record<string, unknown>, openid?: string): Promise<T> {
  const result = (await fn(name, data, openid)) as { ok: boolean; data?: T; error?: unknown };
  if (!result.ok)
    throw new Error(`${name}.${String(data.action)}: ${JSON.stringify(result.error)}`);
  return result.data as T;
}

let hallKey: { keyId: string; secret: string };
let clockOffset = 0;

async function hall(method: string, route: string, body?: unknown): Promise<unknown> {
  const text = body === undefined ? '' : JSON.stringify(body);
  const timestamp = String(Math.floor((Date.now() + clockOffset) / 1000));
  const nonce = randomBytes(12).toString('hex');
  const signature = createHmac('sha256', hallKey.secret)
    .update(
      [method, route, timestamp, nonce, createHash('sha256').update(text).digest('hex')].join('\n'),
    )
    .digest('hex');
  const res = await fetch(`${cloud.url}/http/hall-api${route}`, {
    method,
    headers: {
      'content-type': 'application/json',
      'x-key-id': hallKey.keyId,
      'x-timestamp': timestamp,
      'x-nonce': nonce,
      'x-signature': signature,
    },
    ...(text ? { body: text } : {}),
  });
  const answer = await res.text();
  answers.push({ what: `hall-api ${method} ${route}`, text: answer });
  return JSON.parse(answer) as unknown;
}

async function jump(iso: string, fireTriggers: boolean): Promise<void> {
  const at = chinaTime(iso);
  await setClock(cloud, at, { fireTriggers });
  clockOffset = at - Date.now();
}

beforeAll(async () => {
  await jump('2026-06-22T10:00:00', false);
  expect(Date.now() + clockOffset - BOOKED_ON).toBeLessThan(60_000);
  const made = await adminOk(cloud, CITY, 'createApiKey', {
    officeId: 'siming',
    scopes: ['read', 'queue', 'book'],
    channel: 'xmjj-web',
    name: '隐私扫描',
  });
  hallKey = { keyId: made.keyId, secret: made.secret };
});

interface Booked {
  id: string;
  passToken: string;
  number: string;
}

it('no ID number or phone appears in full in an answer, a log line, the outbox or the database', async () => {
  const [p1, p2, p3, p4] = PEOPLE as [PersonInput, PersonInput, PersonInput, PersonInput];

  // The citizen books with the reminder asked for, and reads it back.
  await subscribe(cloud, CITIZEN, TEMPLATE);
  const booked = await okData<Booked>(
    'booking',
    {
      action: 'book',
      serviceId: SERVICE,
      date: DAY,
      person: p1,
      requestId: 'privacy-0001',
      subscribed: true,
    },
    CITIZEN,
  );
  await okData('booking', { action: 'mine' }, CITIZEN);
  await okData('booking', { action: 'detail', bookingId: booked.id }, CITIZEN);
  await okData('booking', { action: 'standing' }, CITIZEN);

  // Refusals that carry the data: the same person again, an ID number in the phone field, a phone in
  // the ID field, an ID number one digit off, someone else's booking.
  await fn(
    'booking',
    { action: 'book', serviceId: SERVICE, date: DAY, person: p1, requestId: 'privacy-0002' },
    OTHER,
  );
  await fn(
    'booking',
    {
      action: 'book',
      serviceId: SERVICE,
      date: DAY,
      person: { ...p2, phone: p2.idNumber },
      requestId: 'privacy-0003',
    },
    OTHER,
  );
  await fn(
    'booking',
    {
      action: 'book',
      serviceId: SERVICE,
      date: DAY,
      person: { ...p2, idNumber: p2.phone },
      requestId: 'privacy-0004',
    },
    OTHER,
  );
  const offByOne = `${p3.idNumber.slice(0, 16)}${(Number(p3.idNumber[16]) + 1) % 10}${p3.idNumber.slice(17)}`;
  SECRETS.push(offByOne);
  await fn(
    'booking',
    {
      action: 'book',
      serviceId: SERVICE,
      date: DAY,
      person: { ...p3, idNumber: offByOne },
      requestId: 'privacy-0005',
    },
    OTHER,
  );
  await fn('booking', { action: 'detail', bookingId: booked.id }, OTHER);
  // An unknown field whose NAME is the ID number or the phone.
  await fn('booking', { action: 'mine', [p2.idNumber]: 1 }, OTHER);
  await fn('booking', { action: 'catalogue', [p2.phone]: p2.phone }, OTHER);

  // The hall's channel books and reads the day.
  await hall('POST', '/v1/bookings', {
    serviceId: SERVICE,
    date: DAY,
    person: p4,
    requestId: 'privacy-hall-0001',
  });
  await hall('POST', '/v1/bookings', {
    serviceId: SERVICE,
    date: DAY,
    person: { ...p2, phone: `${p2.phone}x` },
    requestId: 'privacy-hall-0002',
  });
  await hall('GET', `/v1/services/${SERVICE}/days/${DAY}/bookings`);

  // The reminder, at 18:00 the evening before.
  await jump('2026-06-23T17:59:50', false);
  await jump('2026-06-23T18:00:00', true);
  expect((await outbox(cloud)).length).toBeGreaterThan(0);

  // The window's morning: today's queue, check-in by pass, the call, by number too.
  await jump(`${DAY}T09:00:00`, false);
  await okData('staff', { action: 'today', serviceId: SERVICE }, STAFF);
  await okData('staff', { action: 'checkIn', passToken: booked.passToken }, STAFF);
  await okData('staff', { action: 'call', bookingId: booked.id, window: '1' }, STAFF);
  await fn(
    'staff',
    { action: 'checkIn', serviceId: SERVICE, date: DAY, number: p4.idNumber },
    STAFF,
  );
  await okData('staff', { action: 'today', serviceId: SERVICE, date: DAY }, STAFF);
  await hall('GET', `/v1/services/${SERVICE}/days/${DAY}/bookings`);

  // The administrators' statistics and their exports (issue 14), the files read back as text.
  await okData('admin', { action: 'stats', from: '2026-06-22', to: '2026-06-28', by: 'day' }, CITY);
  for (const format of ['csv', 'xlsx'] as const) {
    const file = await okData<{ tempFileURL: string }>(
      'admin',
      { action: 'exportStats', from: '2026-06-22', to: DAY, by: 'day', format },
      CITY,
    );
    const bytes = Buffer.from(await (await fetch(file.tempFileURL)).arrayBuffer());
    const text = format === 'csv' ? bytes.toString('utf8') : JSON.stringify(await readSheet(bytes));
    expect(text).toContain('预约数');
    answers.push({ what: `the ${format} export`, text });
  }

  // Everything that left or stayed.
  const collections = Object.keys(
    (
      JSON.parse(fs.readFileSync(path.join(ROOT, 'server', 'database', 'schema.json'), 'utf8')) as {
        collections: Record<string, unknown>;
      }
    ).collections,
  );
  const stored = await db.run(async (c, names) => {
    const out: Record<string, unknown[]> = {};
    for (const name of names) {
      out[name] = (
        (await c.database().collection(name).limit(1000).get()) as { data: unknown[] }
      ).data;
    }
    return out;
  }, collections);
  const places: { where: string; text: string }[] = [
    ...answers.map((a) => ({ where: `answer of ${a.what}`, text: a.text })),
    // The local cloud's request lines and the functions' console output (same stdout and stderr).
    ...cloud
      .output()
      .split('\n')
      .map((line, i) => ({ where: `log line ${i + 1}`, text: line })),
    ...(await outbox(cloud)).map((m) => ({ where: `outbox ${m.msgid}`, text: JSON.stringify(m) })),
    ...Object.entries(stored).flatMap(([name, list]) =>
      list.map((doc) => ({ where: `${name} document`, text: JSON.stringify(doc) })),
    ),
  ];
  // The scan must have read something of each kind, or it proves nothing.
  expect(answers.length).toBeGreaterThan(15);
  expect(cloud.output()).toMatch(/callFunction fn=booking action=book/);
  expect(stored.bookings?.length).toBeGreaterThanOrEqual(2);

  const leaks = places.flatMap(({ where, text }) =>
    SECRETS.filter((secret) => text.includes(secret)).map(
      (secret) => `${where}: ${secret.slice(0, 4)}… in ${text.slice(0, 300)}`,
    ),
  );
  expect(leaks).toEqual([]);
  // And the masked forms the product shows are there (so the scan looked at the right documents).
  expect(JSON.stringify(stored.bookings)).toContain(p1.idNumber.slice(-4));
  expect(idNumber(701)).toBe(p1.idNumber);
});
