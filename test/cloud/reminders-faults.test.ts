/**
 * R13 "at most once per booking, whatever happens", through the real `reminders` function with database
 * latency jitter: runs started at once, a run killed between claim and send, a run killed after WeChat
 * accepted a message but before it was recorded (and the state a kill -9 leaves, planted), a lost
 * answer, transient errors with backoff.
 *
 * The function runs from a private copy of the built folders (the local cloud client's `FunctionsCopy`) so that a
 * test can give it a 3 s timeout and a `JOB_FAULT` (server/jobs/sender.ts) in its config.json: a run
 * "killed" hangs at the named point until the platform kills it at its timeout, exactly as a crash leaves
 * the database. Where a duplicate would be delivered if the code sent one, each account is given TWO
 * consents, so the outbox would show it: the tests could fail.
 */
import type { OutboxMessage } from '../../local-cloud/client';
import { ok, person, SERVICE } from './support/booking';
import {
  chinaTime,
  clearOutbox,
  docs,
  FunctionsCopy,
  outbox,
  runJob,
  setClock,
  subscribe,
} from '../../local-cloud/client';
import { nth } from '../support/nth';
import { useLocalCloud } from './support/local-cloud';

jest.setTimeout(120_000);

const TEMPLATE = 'local-booking-reminder';

const { cloud, db, functions } = useLocalCloud({
  functions: () => new FunctionsCopy('reminder-faults', { copy: ['reminders'], link: ['booking'] }),
  extraEnv: { LOCALCLOUD_LATENCY_MS: '5-40' },
  empty: ['bookings'],
});

beforeEach(async () => {
  functions.setConfig('reminders', {});
  await clearOutbox(cloud);
  await setClock(cloud, chinaTime('2026-12-01T10:00:00'), { fireTriggers: false });
});

let seq = 0;

/** `count` bookings for tomorrow, each by its own account holding `consents` reminder consents. */
async function bookMany(label: string, count: number, consents: number): Promise<string[]> {
  const ids: string[] = [];
  const one = async (i: number): Promise<void> => {
    const openid = `o-${label}-${i}`;
    for (let k = 0; k < consents; k += 1) await subscribe(cloud, openid, TEMPLATE);
    const b = await ok(cloud, openid, 'book', {
      serviceId: SERVICE,
      date: '2026-12-02',
      person: person(1000 * (seq += 1) + i),
      requestId: `flt-${process.pid}-${seq}-${i}`,
      subscribed: true,
    });
    ids.push(b.id);
  };
  for (let i = 0; i < count; i += 8) {
    await Promise.all(Array.from({ length: Math.min(8, count - i) }, (_x, k) => one(i + k)));
  }
  return ids.sort();
}

interface Reminder {
  state: string;
  attempts?: number;
  inFlight?: boolean;
  uncertain?: boolean;
  presumed?: boolean;
  retryAt?: number;
  error?: { code: string };
}

async function reminders(): Promise<Map<string, Reminder>> {
  const rows = await docs<{ _id: string; reminder: Reminder }>(db, 'bookings');
  return new Map(rows.map((r) => [r._id, r.reminder]));
}

/** Messages per booking id (from the page each opens). */
function perBooking(messages: OutboxMessage[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const m of messages) {
    const id = /id=(\w+)/.exec(m.page ?? '')?.[1] ?? '?';
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

function fault(name: string): void {
  functions.setConfig('reminders', { timeout: 3, envVariables: { JOB_FAULT: name } });
}

describe('two or more runs at once', () => {
  it('send each due reminder exactly once between them', async () => {
    const ids = await bookMany('twin', 40, 2);
    await setClock(cloud, chinaTime('2026-12-01T18:00:00'), { fireTriggers: false });
    const runs = await Promise.all([
      runJob(cloud, 'reminders'),
      runJob(cloud, 'reminders'),
      runJob(cloud, 'reminders'),
    ]);
    // Each booking claimed by exactly one run, and sent by it.
    const total = (key: string) => runs.reduce((n, r) => n + Number(r[key]), 0);
    expect([total('claimed'), total('sent')]).toEqual([40, 40]);
    expect([...perBooking(await outbox(cloud))].sort()).toEqual(ids.map((id) => [id, 1]));
    expect([...(await reminders()).values()].map((r) => r.state)).toEqual(
      Array<string>(40).fill('sent'),
    );
  });
});

describe('a run that dies (R13 at most once: what a dead run held is never sent again)', () => {
  it('between claim and send: nothing went out, but nobody can tell; after the lease it is abandoned, not sent', async () => {
    await bookMany('claimed', 5, 2);
    fault('hang-after-claim');
    const first = await setClock(cloud, chinaTime('2026-12-01T18:00:00'));
    expect(first.fired).toEqual([
      expect.objectContaining({ function: 'reminders', ok: false, error: 'timeout' }),
    ]);
    expect(await outbox(cloud)).toEqual([]);
    expect([...(await reminders()).values()]).toEqual(
      Array(5).fill(expect.objectContaining({ state: 'pending', inFlight: true, attempts: 1 })),
    );

    functions.setConfig('reminders', {});
    // 18:01: the dead run's lease (90 s) still holds.
    await setClock(cloud, chinaTime('2026-12-01T18:01:00'));
    expect([...(await reminders()).values()].map((r) => r.state)).toEqual(
      Array<string>(5).fill('pending'),
    );
    await setClock(cloud, chinaTime('2026-12-01T18:02:00'));
    expect([...(await reminders()).values()]).toEqual(
      Array(5).fill(
        expect.objectContaining({
          state: 'failed',
          inFlight: false,
          uncertain: true,
          attempts: 1,
          error: expect.objectContaining({ code: 'IN_FLIGHT' }) as unknown,
        }),
      ),
    );
    await setClock(cloud, chinaTime('2026-12-01T18:05:00'));
    expect(await outbox(cloud)).toEqual([]);
  });

  it('after WeChat accepted, before recording (the kill -9 window): one message, even with a second consent', async () => {
    // Two consents each: the platform would deliver a second reminder if the code sent one.
    const ids = await bookMany('accepted', 5, 2);
    fault('hang-after-send');
    await setClock(cloud, chinaTime('2026-12-01T18:00:00'));
    // Every message went out; the first one's record never landed: the outbox has it, the booking
    // still says pending, in flight.
    expect([...perBooking(await outbox(cloud))].sort()).toEqual(ids.map((id) => [id, 1]));
    const dead = [...(await reminders())].filter(([, r]) => r.inFlight === true);
    expect(dead).toHaveLength(1);
    expect(dead[0]?.[1]).toMatchObject({ state: 'pending' });

    functions.setConfig('reminders', {});
    // 18:01 (lease held) and 18:02, 18:03 (expired): the next runs never send it again.
    for (const clock of ['18:01', '18:02', '18:03']) {
      await setClock(cloud, chinaTime(`2026-12-01T${clock}:00`));
    }
    expect([...perBooking(await outbox(cloud))].sort()).toEqual(ids.map((id) => [id, 1]));
    const after = await reminders();
    expect(after.get(dead[0]?.[0] ?? '')).toMatchObject({
      state: 'failed',
      inFlight: false,
      uncertain: true,
      error: { code: 'IN_FLIGHT' },
    });
    expect([...after.values()].filter((r) => r.state === 'sent')).toHaveLength(4);
  });

  it('the state a kill -9 of the local cloud leaves, planted: abandoned, not sent', async () => {
    const id = nth(await bookMany('planted', 1, 2), 0);
    const claimedAt = chinaTime('2026-12-01T18:00:00');
    await db.run(
      async (c, a) => {
        await c
          .database()
          .collection('bookings')
          .doc(a.id)
          .update({
            data: {
              reminder: {
                state: 'pending',
                attempts: 1,
                claim: 'dead-run',
                claimedAt: a.at,
                retryAt: a.at + 90_000,
                inFlight: true,
              },
            },
          });
      },
      { id, at: claimedAt },
    );
    await setClock(cloud, chinaTime('2026-12-01T18:02:00'), { fireTriggers: false });
    const run = await runJob(cloud, 'reminders');
    expect(run).toMatchObject({ abandoned: 1, claimed: 0, sent: 0 });
    expect(await outbox(cloud)).toEqual([]);
    expect((await reminders()).get(id)).toMatchObject({
      state: 'failed',
      error: { code: 'IN_FLIGHT' },
    });
    await runJob(cloud, 'reminders');
    expect(await outbox(cloud)).toEqual([]);
  });
});

describe('answers that fail', () => {
  it('R13 at most once: a lost answer (-604102) may hide a delivery, so it is final: one message', async () => {
    // Two consents: a retry would be delivered.
    const id = nth(await bookMany('lost', 1, 2), 0);
    fault('lose-answer');
    await setClock(cloud, chinaTime('2026-12-01T18:00:00'));
    expect(await outbox(cloud)).toHaveLength(1);
    expect((await reminders()).get(id)).toMatchObject({
      state: 'failed',
      uncertain: true,
      attempts: 1,
      error: { code: '-604102' },
    });
    functions.setConfig('reminders', {});
    await setClock(cloud, chinaTime('2026-12-01T18:05:00'));
    expect(await outbox(cloud)).toHaveLength(1);
    expect((await reminders()).get(id)).toMatchObject({ state: 'failed', attempts: 1 });
  });

  it('a refusal that says nothing went out (45009 quota) and then 43101 is "not subscribed", not sent', async () => {
    const id = nth(await bookMany('quota', 1, 0), 0);
    fault('send-error:45009');
    await setClock(cloud, chinaTime('2026-12-01T18:00:00'));
    expect((await reminders()).get(id)).toMatchObject({
      state: 'pending',
      uncertain: false,
      error: { code: '45009' },
    });
    functions.setConfig('reminders', {});
    await setClock(cloud, chinaTime('2026-12-01T18:02:00'));
    expect((await reminders()).get(id)).toMatchObject({
      state: 'not_subscribed',
      attempts: 2,
    });
  });

  it('a transient error that says nothing went out (-501003) is retried after 1, 2, 4, 8, 16 minutes, then failed', async () => {
    const id = nth(await bookMany('busy', 1, 1), 0);
    fault('send-error:-501003');
    const seen: [number | undefined, string][] = [];
    for (const clock of ['18:00', '18:02', '18:05', '18:10', '18:19', '18:36', '18:59']) {
      await setClock(cloud, chinaTime(`2026-12-01T${clock}:00`));
      const r = (await reminders()).get(id);
      seen.push([r?.attempts, r?.state ?? '?']);
    }
    expect(seen).toEqual([
      [1, 'pending'],
      [2, 'pending'],
      [3, 'pending'],
      [4, 'pending'],
      [5, 'pending'],
      [6, 'failed'],
      [6, 'failed'],
    ]);
    expect(await outbox(cloud)).toEqual([]);
    const booking = await ok(cloud, 'o-busy-0', 'detail', { bookingId: id });
    expect(booking.reminder).toBe('failed');
  });

  it('R13 at most once: -1 (busy, maybe delivered) is failed at once, never retried', async () => {
    const id = nth(await bookMany('busy1', 1, 2), 0);
    fault('send-error:-1');
    await setClock(cloud, chinaTime('2026-12-01T18:00:00'));
    await setClock(cloud, chinaTime('2026-12-01T18:05:00'));
    expect((await reminders()).get(id)).toMatchObject({
      state: 'failed',
      attempts: 1,
      uncertain: true,
      error: { code: '-1' },
    });
  });
});
