/**
 * `npm run soak -- --minutes N [--seed S] [--people P]`: the fault soak of bench/soak/run.ts for N minutes
 * (default 10): rounds of concurrent journeys with latency jitter, transient faults and kill -9 restarts,
 * the whole database checked after each round. Prints each round, then rounds, restarts and violations;
 * exits 1 on any violation, printing the seed to run it again.
 */
import os from 'node:os';
import { runSoak } from './soak/run';

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function numberFlag(name: string, fallback: number): number {
  const raw = flag(name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) {
    console.error(`--${name} wants a positive number, not ${raw}`);
    process.exit(2);
  }
  return value;
}

async function main(): Promise<void> {
  const minutes = numberFlag('minutes', 10);
  const seed = numberFlag('seed', Math.floor(Math.random() * 1_000_000));
  const people = numberFlag('people', 40);
  const load = (): string =>
    os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(', ');
  console.log(`soak: ${minutes} min, seed ${seed}, ${people} people a round; load ${load()}`);
  const started = Date.now();
  const report = await runSoak({ minutes, seed, people });
  const took = ((Date.now() - started) / 60_000).toFixed(1);
  console.log(
    `\nsoak done in ${took} min: ${report.rounds} rounds, ${report.restarts} kill -9 restarts, ` +
      `${report.calls} calls, ${report.bookings} bookings stored, ${report.violations.length} violations ` +
      `(seed ${report.seed}); load ${load()}`,
  );
  if (report.violations.length > 0) {
    for (const v of report.violations.slice(0, 20)) console.log(JSON.stringify(v));
    process.exit(1);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
