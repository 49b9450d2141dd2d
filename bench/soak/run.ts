/**
 * The fault soak (`npm run soak -- --minutes N`; a short version in test/cloud/soak.test.ts): rounds of
 * randomized concurrent journeys through the real functions on a durable local cloud with database
 * latency jitter and injected transient faults (LOCALCLOUD_LATENCY_MS, LOCALCLOUD_FAULT_RATE: half
 * before applying, half after — a lost acknowledgement), and `kill -9` of the local cloud at a random
 * moment of a random phase, restarted on the same data. Each round, for one open day D:
 *
 * 1. the day before, 10:00: citizens book D (a third of them twice, one in five repeating its request id),
 *    some cancel, some reschedule to D+1 and back, some grant the reminder; an administrator raises and
 *    lowers D's last period through `admin.saveService`; the reminders timer runs beside them;
 * 2. 18:00:50 the day before: the clock jump fires the reminders timer, which also runs twice by hand;
 * 3. D, period by period: the window (`staff`) checks in, calls, serves and finishes or misses;
 * 4. the invariant checker (bench/soak/invariants.ts) reads the whole database and the outbox, and asks
 *    `admin.stats` about the days this round and the one before touched (D and D+1 each: the previous
 *    round's are over by now, so the no-show sweep the clock jumps fire has stored them in `statsDays`),
 *    to compare with its own recount of their bookings.
 *
 * A call that fails on the platform (the local cloud being killed, an instance crashing) is sent again,
 * the same request, until it gets an answer, as the mini program's retry would.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEMO_STAFF_OPENID } from '../../local-cloud/seed/demo-data';
import type { ApiResult, Booking } from '../../typings/api';
import type { ServiceConfig, StatsRow } from '../../typings/admin';
import type { BookingDoc } from '../../server/store/documents/booking';
import {
  callFunction,
  chinaTime,
  type LocalCloud,
  outbox,
  runJob,
  sdk,
  type SdkRunner,
  setClock,
  startLocalCloud,
  subscribe,
} from '../../local-cloud/client';
import { person, SERVICE } from '../support/people';
import { checkInvariants, type Snapshot, type StatsAnswer, type Violation } from './invariants';

const REMINDER_TEMPLATE = 'local-booking-reminder';
const ADMIN = 'o-soak-admin';

export interface SoakOptions {
  /** Stop starting rounds after this long… */
  minutes?: number;
  /** …or after this many rounds. */
  rounds?: number;
  seed: number;
  /** Citizens per round. */
  people?: number;
  /** Probability that a round kills the local cloud once. */
  killRate?: number;
  faultRate?: number;
  log?: (line: string) => void;
}

export interface SoakReport {
  rounds: number;
  restarts: number;
  calls: number;
  bookings: number;
  violations: (Violation & { round: number })[];
  seed: number;
}

/** A small seeded generator (mulberry32), so that a failing soak can be run again with its seed. */
function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The days the rounds book, one per round: weekdays at least two days apart, so that each round's eve
 * comes after the previous round's day (the emulated clock only moves forward).
 */
function roundDays(count: number): string[] {
  const days: string[] = [];
  // From Tuesday 2027-03-02 (2027 has no public holiday between the Spring Festival and Qingming).
  for (let t = Date.UTC(2027, 2, 2); days.length < count; t += 86_400_000) {
    const d = new Date(t);
    const weekday = d.getUTCDay();
    const last = days.at(-1);
    if (weekday === 0 || weekday === 6) continue;
    if (last !== undefined && t - Date.parse(`${last}T00:00:00Z`) < 2 * 86_400_000) continue;
    days.push(d.toISOString().slice(0, 10));
  }
  return days;
}

function addDays(date: string, n: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

class Soak {
  cloud!: LocalCloud;
  db!: SdkRunner;
  restarts = 0;
  calls = 0;
  private restarting: Promise<void> | undefined;
  readonly acknowledged = new Set<string>();
  readonly quotas = new Map<string, { total: number; maxNumber: number }>();
  configBaseline = { version: 0, audits: 0 };

  constructor(
    readonly dataDir: string,
    readonly random: () => number,
    readonly faultRate: number,
    readonly log: (line: string) => void,
  ) {}

  private options(seed: boolean): Parameters<typeof startLocalCloud>[0] {
    return {
      dataDir: this.dataDir,
      seed,
      extraEnv: {
        LOCALCLOUD_LOG: '0',
        LOCALCLOUD_LATENCY_MS: '0-15',
        LOCALCLOUD_FAULT_RATE: String(this.faultRate),
      },
    };
  }

  async start(): Promise<void> {
    this.cloud = await startLocalCloud(this.options(true));
    this.db = await sdk({ env: { ...this.cloud.env, NODE_NO_WARNINGS: '1' } });
  }

  /** kill -9, then a restart on the same data (never re-seeded: that would undo the run's changes). */
  async crash(): Promise<void> {
    if (this.restarting) return this.restarting;
    this.restarting = (async () => {
      await this.cloud.kill9();
      await this.db.close().catch(() => undefined);
      this.restarts += 1;
      this.cloud = await startLocalCloud(this.options(false));
      this.db = await sdk({ env: { ...this.cloud.env, NODE_NO_WARNINGS: '1' } });
      this.log(`  kill -9 and restart #${this.restarts}`);
    })().finally(() => {
      this.restarting = undefined;
    });
    return this.restarting;
  }

  async stop(): Promise<void> {
    await this.db.close().catch(() => undefined);
    await this.cloud.stop();
  }

  /** One call, sent again (the same request) while the platform fails it or the cloud is down. */
  async call<T>(
    name: string,
    data: Record<string, unknown>,
    openid?: string,
  ): Promise<ApiResult<T>> {
    for (let attempt = 0; ; attempt += 1) {
      if (this.restarting) await this.restarting;
      this.calls += 1;
      try {
        const outcome = await callFunction(this.cloud, name, data, openid);
        if ('result' in outcome) {
          const res = outcome.result as ApiResult<T>;
          const transient =
            !res.ok && (res.error.code === 'INTERNAL' || res.error.code === 'SYSTEM.BUSY');
          if (!transient) return res;
        }
      } catch {
        // The local cloud went away mid-call (killed): the answer is unknown, so the same request again.
      }
      if (attempt > 200) throw new Error(`${name} kept failing on the platform`);
      await sleep(50 + this.random() * 200);
    }
  }

  /** Reads a whole collection (paged past the SDK's 1,000). */
  async all<T>(collection: string): Promise<T[]> {
    for (let attempt = 0; ; attempt += 1) {
      if (this.restarting) await this.restarting;
      try {
        return (await this.db.run(
          async (c, a) => {
            const out: unknown[] = [];
            for (;;) {
              const page = (await c
                .database()
                .collection(a.collection)
                .skip(out.length)
                .limit(1000)
                .get()) as { data: unknown[] };
              out.push(...page.data);
              if (page.data.length < 1000) return out;
            }
          },
          { collection },
        )) as T[];
      } catch (err) {
        // An injected fault reaches this reader too: read again.
        if (attempt > 50) throw err;
        await sleep(100);
      }
    }
  }

  async setClock(at: number): Promise<void> {
    for (let attempt = 0; ; attempt += 1) {
      if (this.restarting) await this.restarting;
      try {
        await setClock(this.cloud, at);
        return;
      } catch (err) {
        if (attempt > 50) throw err;
        await sleep(100);
      }
    }
  }

  async timer(name: string): Promise<void> {
    if (this.restarting) await this.restarting;
    // A timer run cut by a kill is simply not finished; the next one picks up what it left.
    await runJob(this.cloud, name).catch(() => undefined);
  }
}

function noteQuota(soak: Soak, service: ServiceConfig): void {
  const total = service.periods.reduce((n, p) => n + p.to - p.from + 1, 0);
  const maxNumber = Math.max(...service.periods.map((p) => p.to));
  const was = soak.quotas.get(service.id) ?? { total: 0, maxNumber: 0 };
  soak.quotas.set(service.id, {
    total: Math.max(was.total, total),
    maxNumber: Math.max(was.maxNumber, maxNumber),
  });
}

async function currentService(soak: Soak): Promise<ServiceConfig> {
  const res = await soak.call<{ offices: { services: ServiceConfig[] }[] }>(
    'admin',
    { action: 'listOffices' },
    ADMIN,
  );
  if (!res.ok) throw new Error(`listOffices refused: ${res.error.code}`);
  const service = res.data.offices.flatMap((o) => o.services).find((s) => s.id === SERVICE);
  if (!service) throw new Error(`no ${SERVICE}`);
  return service;
}

/** A citizen's journey on day D: book, maybe again, maybe cancel or reschedule. */
async function citizen(soak: Soak, round: number, i: number, day: string): Promise<void> {
  const r = soak.random;
  const openid = `o-soak-${round}-${i}`;
  // People recur across rounds (the same ID numbers), so suspensions and history build up.
  const who = person(50_000 + ((round * 7 + i) % 400));
  const subscribed = r() < 0.5;
  if (subscribed) await subscribe(soak.cloud, openid, REMINDER_TEMPLATE).catch(() => undefined);
  const requestId = `soak-${round}-${i}-a`;
  const first = await soak.call<Booking>(
    'booking',
    { action: 'book', serviceId: SERVICE, date: day, person: who, requestId, subscribed },
    openid,
  );
  if (first.ok) soak.acknowledged.add(first.data.id);
  if (r() < 0.3) {
    const again = r() < 0.6 ? requestId : `soak-${round}-${i}-b`;
    const second = await soak.call<Booking>(
      'booking',
      { action: 'book', serviceId: SERVICE, date: day, person: who, requestId: again },
      openid,
    );
    if (second.ok) soak.acknowledged.add(second.data.id);
  }
  if (!first.ok) return;
  const roll = r();
  if (roll < 0.15) {
    await soak.call('booking', { action: 'cancel', bookingId: first.data.id }, openid);
  } else if (roll < 0.3) {
    const moved = await soak.call<Booking>(
      'booking',
      { action: 'reschedule', bookingId: first.data.id, date: addDays(day, 1) },
      openid,
    );
    if (moved.ok) {
      soak.acknowledged.add(moved.data.id);
      if (r() < 0.5) {
        const back = await soak.call<Booking>(
          'booking',
          { action: 'reschedule', bookingId: moved.data.id, date: day },
          openid,
        );
        if (back.ok) soak.acknowledged.add(back.data.id);
      }
    }
  }
}

/** The administrator moves the last period's end by a few numbers, up or down. */
async function administrator(soak: Soak): Promise<void> {
  const service = await currentService(soak);
  const periods = service.periods.map((p) => ({ ...p }));
  const last = periods.at(-1);
  if (!last) return;
  const delta = soak.random() < 0.5 ? -2 : 2;
  last.to = Math.max(last.from, Math.min(last.from + 14, last.to + delta));
  const changed = { ...service, periods };
  noteQuota(soak, changed);
  await soak.call('admin', { action: 'saveService', service: changed }, ADMIN);
}

/** The window, period by period on day D: check in, call, then serve and finish, or miss. */
async function windowDay(soak: Soak, day: string, bookings: BookingDoc[]): Promise<void> {
  const service = await currentService(soak);
  for (const period of service.periods) {
    await soak.setClock(chinaTime(`${day}T${period.start}:30`));
    const mine = bookings.filter((b) => b.date === day && b.periodId === period.id);
    await Promise.all(
      mine.map(async (b) => {
        const r = soak.random;
        if (r() < 0.2) return; // not come (the no-show sweep's, a later day)
        const checked = await soak.call(
          'staff',
          { action: 'checkIn', serviceId: SERVICE, date: day, number: b.label },
          DEMO_STAFF_OPENID,
        );
        if (!checked.ok) return;
        const called = await soak.call(
          'staff',
          { action: 'call', bookingId: b._id, window: '1号窗口' },
          DEMO_STAFF_OPENID,
        );
        if (!called.ok) return;
        if (r() < 0.25) {
          await soak.call('staff', { action: 'miss', bookingId: b._id }, DEMO_STAFF_OPENID);
          return;
        }
        const serving = await soak.call(
          'staff',
          { action: 'serve', bookingId: b._id },
          DEMO_STAFF_OPENID,
        );
        if (serving.ok)
          await soak.call('staff', { action: 'finish', bookingId: b._id }, DEMO_STAFF_OPENID);
      }),
    );
  }
}

/** `admin.stats` for each of `days`, by period, as an administrator's page asks it. */
async function statsOf(soak: Soak, days: readonly string[]): Promise<StatsAnswer[]> {
  const out: StatsAnswer[] = [];
  for (const date of days) {
    const res = await soak.call<{ rows: StatsRow[] }>(
      'admin',
      { action: 'stats', serviceId: SERVICE, from: date, to: date, by: 'period' },
      ADMIN,
    );
    if (!res.ok) throw new Error(`stats refused: ${res.error.code}`);
    out.push({ serviceId: SERVICE, date, rows: res.data.rows });
  }
  return out;
}

async function snapshot(soak: Soak, statsDays: readonly string[]): Promise<Snapshot> {
  // The statistics first: a booking read after them could only be newer, never older, than what they counted.
  const stats = await statsOf(soak, statsDays);
  const bookings = await soak.all<BookingDoc>('bookings');
  const messages = await outbox(soak.cloud);
  const audits = await soak.all<{ action: string }>('audit');
  const settings = (await soak.all<{ _id: string; configVersion?: number }>('settings')).find(
    (s) => s._id === 'global',
  );
  return {
    bookings,
    quotas: soak.quotas,
    reminders: messages
      .filter((m) => m.templateId === REMINDER_TEMPLATE)
      .map((m) => ({ touser: m.touser, data: m.data })),
    configAudits:
      audits.filter((a) => a.action === 'saveService').length - soak.configBaseline.audits,
    configRaises: (settings?.configVersion ?? 0) - soak.configBaseline.version,
    acknowledged: [...soak.acknowledged],
    stats,
  };
}

/** Runs phases `work`, with a kill -9 at a random moment of it when `kill` says so. */
async function phase(soak: Soak, kill: boolean, work: () => Promise<unknown>): Promise<void> {
  const killer = kill
    ? (async () => {
        await sleep(50 + soak.random() * 1_500);
        await soak.crash();
      })()
    : Promise.resolve();
  await Promise.all([work(), killer]);
}

export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const log = options.log ?? ((line: string) => console.log(line));
  const random = generator(options.seed);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'soak-'));
  const soak = new Soak(path.join(dataDir, 'data'), random, options.faultRate ?? 0.02, log);
  const deadline = Date.now() + (options.minutes ?? Infinity) * 60_000;
  const maxRounds = options.rounds ?? Infinity;
  const people = options.people ?? 40;
  const killRate = options.killRate ?? 0.7;
  const violations: SoakReport['violations'] = [];
  const days = roundDays(Math.min(maxRounds, 2_000));
  let rounds = 0;
  await soak.start();
  try {
    await soak.setClock(chinaTime(`${addDays(days[0] ?? '', -1)}T09:00:00`));
    // The first administrator as in production: the console's code, entered by that account.
    const boot = await soak.call<{ code: string }>('admin', { action: 'bootstrap' });
    if (!boot.ok) throw new Error(`bootstrap refused: ${boot.error.code}`);
    const entered = await soak.call(
      'staff',
      { action: 'acceptInvitation', code: boot.data.code },
      ADMIN,
    );
    if (!entered.ok) throw new Error(`bootstrap's code refused: ${entered.error.code}`);
    noteQuota(soak, await currentService(soak));
    const settings = (await soak.all<{ _id: string; configVersion?: number }>('settings')).find(
      (s) => s._id === 'global',
    );
    const audits = await soak.all<{ action: string }>('audit');
    soak.configBaseline = {
      version: settings?.configVersion ?? 0,
      audits: audits.filter((a) => a.action === 'saveService').length,
    };

    while (rounds < maxRounds && Date.now() < deadline) {
      const day = days[rounds];
      if (day === undefined) break;
      rounds += 1;
      const killPhase = random() < killRate ? Math.floor(random() * 3) : -1;
      const eve = addDays(day, -1);

      await soak.setClock(chinaTime(`${eve}T10:00:00`));
      await phase(soak, killPhase === 0, () =>
        Promise.all([
          ...Array.from({ length: people }, (_, i) => citizen(soak, rounds, i, day)),
          administrator(soak),
          (async () => {
            await sleep(random() * 500);
            await administrator(soak);
          })(),
          soak.timer('reminders'),
        ]),
      );

      await phase(soak, killPhase === 1, async () => {
        await soak.setClock(chinaTime(`${eve}T18:00:50`));
        await Promise.all([soak.timer('reminders'), soak.timer('reminders')]);
      });

      const booked = (await soak.all<BookingDoc>('bookings')).filter(
        (b) => b.date === day && b.status === 'booked',
      );
      await phase(soak, killPhase === 2, () => windowDay(soak, day, booked));

      const previous = days[rounds - 2];
      const touched = [
        ...(previous === undefined ? [] : [previous, addDays(previous, 1)]),
        day,
        addDays(day, 1),
      ];
      const found = checkInvariants(await snapshot(soak, touched));
      for (const v of found) violations.push({ ...v, round: rounds });
      log(
        `round ${rounds} (${day}): ${booked.length} booked for the window, restarts so far ${soak.restarts}, violations ${found.length}${found.length ? ` — ${JSON.stringify(found.slice(0, 3))}` : ''}`,
      );
    }
    const bookings = (await soak.all<BookingDoc>('bookings')).length;
    return {
      rounds,
      restarts: soak.restarts,
      calls: soak.calls,
      bookings,
      violations,
      seed: options.seed,
    };
  } finally {
    await soak.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
