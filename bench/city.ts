/**
 * `npm run bench:city [-- --scale S]`: the city's midnight (issue 16, docs/scale.md). Every police window
 * of the city on this system: 20 offices × 3 services (the demo service's rules, 50 numbers a day) release
 * their last day of the horizon at 00:00 China time, and 10,000 people (distinct OPENIDs and ID numbers)
 * make 20,000 `book` calls within the first minute, against the local cloud with its instance cap of 20
 * (the basic plan's function concurrency) and 5–40 ms database latency.
 *
 * The minute, as seeded and scheduled:
 * - the clock: Tuesday 2026-12-01 00:00 China; the horizon is 12-02 … 12-08, open weekdays 12-02, 12-03,
 *   12-04, 12-07 and 12-08 (R2). 12-08 is released now; the four earlier days were released on earlier
 *   midnights and are full but for a few numbers cancelled back (seeded as bookings, ~96 % held);
 * - each person picks a service (popular offices get more people: weights 1/rank^0.8 over the 60) and asks
 *   first for the released day (60 %) or one of the first days (40 %, the earliest most: 1/2, 1/4, …),
 *   the "same popular days" everyone wants;
 * - arrivals: the first call of person i at 60 s × u³ (u uniform): a quarter within the first second,
 *   half within ten; the second call when the first has answered (a person waits for the page), after
 *   0.2–2 s: after a sold-out day the next day they would take, after a booking either the same request
 *   again (one in five: an answer lost on the network) or a second tap for the same day, after any other
 *   refusal the same request again.
 * The local cloud queues calls beyond its 20 instances (the platform refuses them with -501004, which
 * the mini program retries); so each latency is counted from the call's scheduled arrival, and the bench
 * says how long the minute took to drain.
 *
 * Printed: calls/s sustained, p50/p99 latency (from arrival, and of the call alone), outcomes (ok,
 * sold out, other refusals by code, platform errors), database requests per second sampled from the
 * local cloud's `GET /stats` each second (peak, mean) against the basic plan's QPS of 30, requests per
 * success and per sold-out refusal (from the function's own log lines), and the soak checker's
 * invariants over the whole database at the end (bench/soak/invariants.ts; exits 1 on any violation).
 * `--scale 0.1` runs a tenth of it (2 offices × 3 services, 1,000 people) over the same minute.
 */
import os from 'node:os';
import type { ApiResult, Booking } from '../typings/api';
import { DEFAULT_SERVICE } from '../server/domain/config';
import { chinaInstant } from '../server/domain/china-time';
import { formatNumber } from '../server/domain/numbers';
import {
  activeKey,
  type BookingDoc,
  slotKey,
  uncountedKey,
} from '../server/store/documents/booking';
import {
  callFunction,
  chinaTime,
  outbox,
  sdk,
  type SdkRunner,
  setClock,
  startLocalCloud,
  stats,
} from '../local-cloud/client';
import { person } from './support/people';
import { logLines, percentile } from './support/figures';
import { checkInvariants, type Snapshot } from './soak/invariants';

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const SCALE = Number(flag('scale') ?? 1);
if (!Number.isFinite(SCALE) || SCALE <= 0 || SCALE > 1) {
  console.error(`--scale wants a number in (0, 1], not ${flag('scale')}`);
  process.exit(2);
}
const OFFICES = Math.max(1, Math.round(20 * SCALE));
const SERVICES_PER_OFFICE = 3;
const PEOPLE = Math.round(10_000 * SCALE);
const MINUTE_MS = 60_000;
/** Calls the bench keeps in flight at most (the rest wait at the gateway's door, timed from arrival). */
const IN_FLIGHT = 400;
const TEMPLATE = DEFAULT_SERVICE.id;
const MIDNIGHT = '2026-12-01T00:00:00';
const RELEASED = '2026-12-08';
const EARLIER = ['2026-12-02', '2026-12-03', '2026-12-04', '2026-12-07'];
/** Numbers of an earlier day given back by cancels: free again at midnight. */
const FREED_PER_DAY = 2;
/** The basic plan's published quotas (docs/scale.md cites the page). */
const PLAN = { name: '基础版 (basic plan)', dbQps: 30, functionConcurrency: 20 };

/** A deterministic stream (xorshift32), so every run schedules the same minute. */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

const services: { office: string; service: string; prefix: string }[] = [];
for (let o = 0; o < OFFICES; o += 1)
  for (let s = 0; s < SERVICES_PER_OFFICE; s += 1)
    services.push({
      office: `city-${o}`,
      service: `city-${o}-s${s}`,
      prefix: String.fromCharCode(65 + s),
    });

interface Person {
  i: number;
  openid: string;
  service: string;
  /** The days in the order this person would take them. */
  days: string[];
  arrival: number;
  /** The second call comes this long after the first's answer. */
  think: number;
  retrySame: boolean;
}

function people(): Person[] {
  const random = rng(20261201);
  const weights = services.map((_, k) => 1 / (k + 1) ** 0.8);
  const total = weights.reduce((a, b) => a + b, 0);
  const pickService = (): string => {
    let r = random() * total;
    for (let k = 0; k < services.length; k += 1) {
      r -= weights[k] ?? 0;
      if (r <= 0) return services[k]?.service ?? '';
    }
    return services.at(-1)?.service ?? '';
  };
  const out: Person[] = [];
  for (let i = 0; i < PEOPLE; i += 1) {
    let first = RELEASED;
    if (random() >= 0.6) {
      let k = 0;
      while (k < EARLIER.length - 1 && random() < 0.5) k += 1;
      first = EARLIER[k] ?? RELEASED;
    }
    const order = [first, RELEASED, ...EARLIER].filter((d, k, all) => all.indexOf(d) === k);
    out.push({
      i,
      openid: `o-city-${i}`,
      service: pickService(),
      days: order,
      arrival: MINUTE_MS * random() ** 3,
      think: 200 + random() * 1_800,
      retrySame: random() < 0.2,
    });
  }
  return out.sort((a, b) => a.arrival - b.arrival);
}

/** The earlier days as earlier midnights left them: every number held but FREED_PER_DAY. */
async function seed(db: SdkRunner): Promise<number> {
  await db.run(
    async (c, a) => {
      const d = c.database();
      const template = (await d.collection('services').doc(a.template).get()) as {
        data: Record<string, unknown>;
      };
      const done = new Set<string>();
      for (const s of a.services) {
        if (!done.has(s.office)) {
          done.add(s.office);
          await d
            .collection('offices')
            .doc(s.office)
            .set({
              data: {
                name: `第${done.size}大队`,
                address: '厦门',
                latitude: 24.4,
                longitude: 118.1,
                order: done.size,
              },
            });
        }
        const service = Object.assign({}, template.data, {
          officeId: s.office,
          prefix: s.prefix,
          order: Number(s.service.slice(s.service.lastIndexOf('s') + 1)) + 1,
        });
        delete service._id;
        await d.collection('services').doc(s.service).set({ data: service });
      }
      await d
        .collection('settings')
        .doc('global')
        .update({ data: { configVersion: d.command.inc(1) } });
    },
    { template: TEMPLATE, services },
  );
  const random = rng(7);
  const docs: object[] = [];
  const created = chinaTime('2026-11-27T00:00:05');
  for (const s of services) {
    for (const date of EARLIER) {
      const freed = new Set<number>();
      while (freed.size < FREED_PER_DAY) freed.add(1 + Math.floor(random() * 50));
      for (const p of DEFAULT_SERVICE.periods) {
        for (let n = p.from; n <= p.to; n += 1) {
          if (freed.has(n)) continue;
          const id = `seed-${s.service}-${date}-${n}`;
          const key = `seed-person-${s.service}-${date}-${n}`;
          docs.push({
            _id: id,
            serviceId: s.service,
            officeId: s.office,
            date,
            periodId: p.id,
            periodStart: p.start,
            periodEnd: p.end,
            number: n,
            label: formatNumber(s.prefix, n),
            slotKey: slotKey(s.service, date, n),
            activeKey: activeKey(s.service, date, key),
            accountKey: uncountedKey(id),
            status: 'booked',
            openid: `o-earlier-${n}`,
            personKey: key,
            name: '测试用户',
            idMasked: '3502**********0000',
            phoneMasked: '138****0000',
            plate: '闽D10000',
            category: 'surveillance',
            channel: 'miniprogram',
            requestId: id,
            passToken: `pass-${id}`,
            startsAt: chinaInstant(date, p.start),
            endsAt: chinaInstant(date, p.end),
            createdAt: created,
            updatedAt: created,
            reminder: { state: 'not_subscribed' },
          });
        }
      }
    }
  }
  const BATCH = 1_000;
  for (let k = 0; k < docs.length; k += BATCH) {
    await db.run(
      async (c, a) => {
        const col = c.database().collection('bookings');
        let next = 0;
        await Promise.all(
          Array.from({ length: 16 }, async () => {
            while (next < a.docs.length) {
              const doc = a.docs[next] as Record<string, unknown>;
              next += 1;
              await col.add({ data: doc });
            }
          }),
        );
      },
      { docs: docs.slice(k, k + BATCH) },
    );
  }
  return docs.length;
}

/** Every booking, paged past the SDK's 1,000. */
async function allBookings(db: SdkRunner): Promise<BookingDoc[]> {
  return (await db.run(async (c) => {
    const out: unknown[] = [];
    for (;;) {
      const page = (await c
        .database()
        .collection('bookings')
        .skip(out.length)
        .limit(1000)
        .get()) as { data: unknown[] };
      out.push(...page.data);
      if (page.data.length < 1000) return out;
    }
  })) as BookingDoc[];
}

interface LogLine {
  outcome?: string;
  db?: number;
  cache?: number;
}

function bookLines(output: string): LogLine[] {
  return logLines<LogLine>(output, '{"action":"book"');
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const load = (): string =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(', ');

async function main(): Promise<void> {
  console.log(
    `bench:city — ${OFFICES} offices × ${SERVICES_PER_OFFICE} services, ${PEOPLE} people, ${PEOPLE * 2} calls (scale ${SCALE}); load ${load()}`,
  );
  const cloud = await startLocalCloud({
    seed: true,
    extraEnv: {
      LOCALCLOUD_LATENCY_MS: '5-40',
      LOCALCLOUD_MAX_INSTANCES: String(PLAN.functionConcurrency),
    },
  });
  const db = await sdk(cloud);
  try {
    await setClock(cloud, chinaTime('2026-11-30T23:58:00'), { fireTriggers: false });
    const seeded = Date.now();
    const held = await seed(db);
    console.log(
      `seeded ${services.length} services and ${held} bookings of the earlier days in ${((Date.now() - seeded) / 1000).toFixed(0)} s`,
    );
    // The minute before: citizens looking at the availability keep the instances warm.
    await setClock(cloud, chinaTime('2026-11-30T23:59:50'), { fireTriggers: false });
    for (let round = 0; round < 2; round += 1)
      await Promise.all(
        Array.from({ length: PLAN.functionConcurrency }, (_, k) =>
          callFunction(
            cloud,
            'booking',
            { action: 'availability', serviceId: services[k % services.length]?.service },
            `o-look-${k}`,
          ),
        ),
      );

    const crowd = people();
    const latencies: number[] = [];
    const serviceTimes: number[] = [];
    const outcomes = new Map<string, number>();
    const acknowledged: string[] = [];
    let inFlight = 0;
    const waiting: (() => void)[] = [];
    const slot = async (): Promise<void> => {
      if (inFlight < IN_FLIGHT) {
        inFlight += 1;
        return;
      }
      await new Promise<void>((resolve) => waiting.push(resolve));
    };
    const release = (): void => {
      const next = waiting.shift();
      if (next) next();
      else inFlight -= 1;
    };
    let lastAnswer = 0;
    let start = 0;
    const send = async (
      p: Person,
      data: Record<string, unknown>,
      due: number,
    ): Promise<ApiResult<Booking> | undefined> => {
      const wait = due - (performance.now() - start);
      if (wait > 0) await sleep(wait);
      await slot();
      const sent = performance.now();
      let answer: ApiResult<Booking> | undefined;
      try {
        const outcome = await callOnce(p, data);
        if ('result' in outcome) answer = outcome.result as ApiResult<Booking>;
        const key = answer
          ? answer.ok
            ? 'ok'
            : answer.error.code
          : `platform ${'errCode' in outcome ? outcome.errCode : '?'}`;
        outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
        if (answer?.ok) acknowledged.push(answer.data.id);
      } finally {
        release();
      }
      const now = performance.now();
      serviceTimes.push(now - sent);
      latencies.push(now - start - due);
      lastAnswer = now - start;
      return answer;
    };
    // A connection dropped before the answer: the mini program's retry of the same request (idempotent).
    let resent = 0;
    const callOnce = async (p: Person, data: Record<string, unknown>) => {
      for (let attempt = 0; ; attempt += 1) {
        try {
          return await callFunction(cloud, 'booking', data, p.openid);
        } catch (err) {
          if (attempt >= 5) throw err;
          resent += 1;
          await sleep(200);
        }
      }
    };
    const journey = async (p: Person): Promise<void> => {
      const person1 = person(100_000 + p.i);
      const firstDay = p.days[0] ?? RELEASED;
      const first = {
        action: 'book',
        serviceId: p.service,
        date: firstDay,
        person: person1,
        requestId: `city-${p.i}-a`,
      };
      const answer = await send(p, first, p.arrival);
      const due = performance.now() - start + p.think;
      let second: Record<string, unknown>;
      if (answer?.ok) second = p.retrySame ? first : { ...first, requestId: `city-${p.i}-b` };
      else if (
        answer &&
        (answer.error.code === 'QUOTA.SOLD_OUT' || answer.error.code === 'QUOTA.PERIOD_FULL')
      )
        second = { ...first, date: p.days[1] ?? firstDay, requestId: `city-${p.i}-b` };
      else second = first;
      await send(p, second, due);
    };

    // DB requests per second, sampled from the local cloud's counters about every second; each rate is
    // over the time that really passed between two samples (a busy event loop stretches the second).
    const samples: { t: number; n: number }[] = [];
    const sampling = { on: true };
    const sample = async (): Promise<void> => {
      while (sampling.on) {
        const n = (await stats(cloud).catch(() => undefined))?.databaseRequests;
        if (n !== undefined) samples.push({ t: performance.now(), n });
        const last = samples.at(-1);
        if (samples.length % 10 === 0 && last)
          console.log(
            `  ${((last.t - start) / 1000).toFixed(0)} s: ${latencies.length} answered, ${PEOPLE * 2 - latencies.length} to go`,
          );
        await sleep(1_000);
      }
    };
    const logBefore = bookLines(cloud.output()).length;
    await setClock(cloud, chinaTime(MIDNIGHT), { fireTriggers: false });
    start = performance.now();
    const sampler = sample();
    await Promise.all(crowd.map(journey));
    const drained = (performance.now() - start) / 1000;
    sampling.on = false;
    await sampler;

    const calls = latencies.length;
    latencies.sort((a, b) => a - b);
    serviceTimes.sort((a, b) => a - b);
    const log = bookLines(cloud.output()).slice(logBefore);
    const own = (l: LogLine): number => (l.db ?? 0) - (l.cache ?? 0);
    const per = (lines: LogLine[]): string =>
      lines.length === 0 ? '—' : (lines.reduce((s, l) => s + own(l), 0) / lines.length).toFixed(2);
    const successes = log.filter((l) => l.outcome === 'ok');
    const soldOut = log.filter(
      (l) => l.outcome === 'QUOTA.SOLD_OUT' || l.outcome === 'QUOTA.PERIOD_FULL',
    );
    const others = log.filter((l) => !successes.includes(l) && !soldOut.includes(l));
    const perSecond: number[] = [];
    for (let k = 1; k < samples.length; k += 1) {
      const [a, b] = [samples[k - 1], samples[k]];
      if (a && b) perSecond.push(((b.n - a.n) * 1000) / Math.max(1, b.t - a.t));
    }
    const first = samples[0];
    const last = samples.at(-1);
    const totalDb = first && last ? last.n - first.n : 0;
    const sampledSeconds = first && last ? (last.t - first.t) / 1000 : 0;
    const peak = Math.round(Math.max(0, ...perSecond));
    const mean = sampledSeconds > 0 ? totalDb / sampledSeconds : 0;
    const over = perSecond.filter((n) => n > PLAN.dbQps).length;

    console.log(
      `\nthe minute took ${drained.toFixed(1)} s to drain (last answer at ${(lastAnswer / 1000).toFixed(1)} s)`,
    );
    console.log(
      `calls: ${calls}, sustained ${(calls / drained).toFixed(0)} calls/s; ${resent} sent again after a dropped connection`,
    );
    console.log(
      `latency from arrival: p50 ${percentile(latencies, 50).toFixed(0)} ms, p99 ${percentile(latencies, 99).toFixed(0)} ms; of the call alone: p50 ${percentile(serviceTimes, 50).toFixed(0)} ms, p99 ${percentile(serviceTimes, 99).toFixed(0)} ms`,
    );
    const sorted = [...outcomes].sort((a, b) => b[1] - a[1]);
    console.log(
      `outcomes: ${sorted.map(([k, n]) => `${k} ${n}`).join(', ')}; ${new Set(acknowledged).size} bookings made (an ok repeated for a retried request counts once)`,
    );
    console.log(
      `database requests: ${totalDb} in ${sampledSeconds.toFixed(0)} s; peak ${peak}/s, mean ${mean.toFixed(0)}/s; ${over} of ${perSecond.length} samples over the ${PLAN.name} QPS of ${PLAN.dbQps} (peak ${(peak / PLAN.dbQps).toFixed(1)}×, mean ${(mean / PLAN.dbQps).toFixed(1)}×)`,
    );
    console.log(
      `requests per call (the function's own count): per success ${per(successes)}, per sold-out refusal ${per(soldOut)}, per other refusal ${per(others)}`,
    );
    console.log(`per second: ${perSecond.map((n) => Math.round(n)).join(' ')}`);

    const bookings = await allBookings(db);
    const snapshot: Snapshot = {
      bookings,
      quotas: new Map(services.map((s) => [s.service, { total: 50, maxNumber: 50 }])),
      reminders: (await outbox(cloud))
        .filter((m) => m.templateId === 'local-booking-reminder')
        .map((m) => ({ touser: m.touser, data: m.data })),
      configAudits: 0,
      configRaises: 0,
      acknowledged,
    };
    const violations = checkInvariants(snapshot);
    console.log(
      `invariants over the whole database (${snapshot.bookings.length} bookings): ${violations.length} violations`,
    );
    for (const v of violations.slice(0, 20)) console.log(JSON.stringify(v));
    console.log(`load average at the end: ${load()}`);
    if (violations.length > 0) process.exitCode = 1;
  } finally {
    await db.close();
    await cloud.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
