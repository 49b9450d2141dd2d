/**
 * `npm run bench:booking-hot`: what booking's sold-out refusal costs when its code is hot — the built
 * `booking` function (cloudfunctions/booking) called in THIS process, one call after the other: no
 * worker thread, no gateway, no other thread competing for the CPU. Its database is a local cloud
 * (seeded, in memory, no injected latency), reached through the real wx-server-sdk as from an instance.
 * The first calls fill a day (R4: 50 numbers); then blocks of BLOCK sold-out refusals, each by a new
 * account and person, are timed: this process's CPU per call (its log line included, written to
 * /dev/null) and wall time per call. Compared with bench:booking's CPU per call of the instances, it
 * tells how much of that is booking's code and how much is running it in 20 JIT-cold isolates in short
 * bursts on a shared machine (docs/scale.md, issue 16's third pass). The function reads the real clock
 * here, so the day booked is the first one bookable now.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { format } from 'node:util';
import { person, SERVICE } from './support/people';
import { addDays, chinaDate } from '../server/domain/china-time';
import { ROOT, startLocalCloud } from '../local-cloud/client';
import { sdkEnv } from '../local-cloud/src/sdk-env';

const BLOCK = Number(process.env.BENCH_BLOCK ?? 500);
const BLOCKS = Number(process.env.BENCH_BLOCKS ?? 8);
const QUOTA = 50;

interface Answer {
  ok: boolean;
  error?: { code: string };
}
type Main = (event: unknown) => Promise<Answer>;

async function main(): Promise<void> {
  const entry = path.join(ROOT, 'cloudfunctions', 'booking', 'index.js');
  if (!fs.existsSync(entry)) throw new Error('run `npm run build` first');
  const cloud = await startLocalCloud({ seed: true, extraEnv: { LOCALCLOUD_LOG: '0' } });
  console.log(
    `load average at the start: ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(', ')}`,
  );
  // What an instance of the local cloud gets (src/runtime/pool.ts), and a mini program caller's context.
  Object.assign(process.env, sdkEnv(`${cloud.url}/admin`, 'local'), {
    TZ: 'UTC',
    ID_HASH_SECRET: 'local-cloud-development-only-secret',
    WX_APPID: 'wx0000000000000000',
    WX_CLIENTIP: '127.0.0.1',
    TCB_SOURCE: 'wx_client',
    WX_CONTEXT_KEYS: 'WX_APPID,WX_OPENID,WX_CLIENTIP',
  });
  // The function's log lines are formatted and written as on an instance, to /dev/null.
  const sink = fs.openSync('/dev/null', 'w');
  const print = console.log.bind(console);
  console.log = (...args: unknown[]): void => {
    fs.writeSync(sink, `${format(...args)}\n`);
  };
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the built function, as an instance loads it
    const fn = (require(entry) as { main: Main }).main;
    let n = 0;
    const call = async (date: string): Promise<string> => {
      n += 1;
      process.env.WX_OPENID = `o-hot-${n}`;
      const answer = await fn({
        action: 'book',
        serviceId: SERVICE,
        date,
        person: person(20_000 + n),
        requestId: `hot-0-${n}-first`,
      });
      return answer.ok ? 'ok' : (answer.error?.code ?? 'error');
    };
    // The first day bookable now (tomorrow on: R2's horizon, weekdays, the seed's calendar).
    let date: string | undefined;
    for (let k = 1; k <= 7 && date === undefined; k += 1) {
      const candidate = addDays(chinaDate(Date.now()), k);
      if ((await call(candidate)) === 'ok') date = candidate;
    }
    if (date === undefined) throw new Error('no day bookable in the next 7');
    for (let made = 1; made < QUOTA;) if ((await call(date)) === 'ok') made += 1;
    print(`day ${date} full (${QUOTA} numbers) after ${n} calls; blocks of ${BLOCK} refusals:`);
    print('| block | calls before it | CPU / call | wall / call | outcomes |');
    print('|---|---|---|---|---|');
    for (let b = 1; b <= BLOCKS; b += 1) {
      const before = n;
      const outcomes = new Map<string, number>();
      const cpu = process.cpuUsage();
      const started = performance.now();
      for (let i = 0; i < BLOCK; i += 1) {
        const outcome = await call(date);
        outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
      }
      const wall = (performance.now() - started) / BLOCK;
      const used = process.cpuUsage(cpu);
      print(
        `| ${b} | ${before} | ${((used.user + used.system) / 1000 / BLOCK).toFixed(3)} ms | ${wall.toFixed(3)} ms | ${JSON.stringify(Object.fromEntries(outcomes))} |`,
      );
    }
  } finally {
    console.log = print;
    fs.closeSync(sink);
    await cloud.stop();
  }
  console.log(
    `load average at the end: ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(', ')}`,
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
