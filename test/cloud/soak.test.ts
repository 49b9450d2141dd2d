/**
 * The fault soak, short (bench/soak/run.ts; `npm run soak -- --minutes N` is the long one): two rounds of
 * concurrent citizens, an administrator changing the quota, the reminders timer and the window, on a
 * durable local cloud with latency jitter and 2 % transient faults, killed with SIGKILL once a round at a
 * random moment and restarted on its data. After each round the whole database must hold every
 * invariant (the checker's own test is test/unit/soak-invariants.test.ts). The seed is printed, and named
 * in the failure, to run the same soak again (SOAK_SEED).
 */
import { runSoak } from '../../bench/soak/run';

jest.setTimeout(300_000);

it('keeps every invariant through faults and kill -9 restarts', async () => {
  const seed = Number(process.env.SOAK_SEED ?? Math.floor(Math.random() * 1_000_000));
  const lines: string[] = [];
  const report = await runSoak({
    rounds: 2,
    seed,
    people: 12,
    killRate: 1,
    log: (line) => lines.push(line),
  });
  console.log(`soak seed ${seed}\n${lines.join('\n')}`);
  expect({ seed, violations: report.violations }).toEqual({ seed, violations: [] });
  expect(report.rounds).toBe(2);
  expect(report.restarts).toBeGreaterThanOrEqual(2);
  // The journeys did happen: bookings were made and acknowledged through the faults.
  expect(report.bookings).toBeGreaterThan(10);
});
