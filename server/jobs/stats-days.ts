/**
 * Issue 14's statistics: after the no-show sweep has marked an ended day's no-shows, nothing about that
 * day changes any more, and its counts are written once per service (`statsDays`,
 * server/store/stats.ts), then summed once per office and for the city (`statsRollups`). The `noshow-sweep` function runs this after each complete sweep; a day a run
 * missed is caught up by the next (up to LOOKBACK_DAYS back; older days are counted from their bookings
 * on each request, which is correct, only slower).
 */
import { getCatalogue } from '../store/catalogue';
import { writeEndedDays } from '../store/stats';
import type { JobEnv } from './env';

export const LOOKBACK_DAYS = 7;
/** What one more day's counting may take at most (a day of every service's bookings aggregated). */
const DAY_RESERVE_MS = 10_000;

export async function runStatsDays(
  env: JobEnv,
): Promise<{ statsDays: number; statsRollups: number }> {
  const now = env.clock();
  const { allServices } = await getCatalogue(env.db, now);
  const written = await writeEndedDays(env.db, allServices, now, LOOKBACK_DAYS, () =>
    env.hasTime(DAY_RESERVE_MS),
  );
  return { statsDays: written.days, statsRollups: written.rollups };
}
