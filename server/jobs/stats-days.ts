/**
 * Issue 14's statistics: after the no-show sweep has marked an ended day's no-shows, nothing about that
 * day changes any more, and its counts are written once per service (`statsDays`,
 * server/store/stats.ts), then summed once per office and for the city (`statsRollups`). The
 * `noshow-sweep` function runs this after each complete sweep; a day a run missed is caught up by the
 * next (up to LOOKBACK_DAYS back). The days older than that are backfilled, BACKFILL_DAYS_PER_RUN dates
 * a run, back to the oldest booking (server/store/stats-backfill.ts): a history from before the
 * statistics, or days a long outage of the sweep left, stored within hours.
 */
import { getCatalogue } from '../store/catalogue';
import { writeEndedDays } from '../store/stats';
import { backfillStats } from '../store/stats-backfill';
import type { JobEnv } from './env';

export const LOOKBACK_DAYS = 7;
/**
 * Dates older than the look-back written per run at most: a city's date is ~85 requests (its 60
 * services' days, their roll-ups), so a run's share stays well inside the function's 60 s; a year's
 * history is stored in about two days of hourly runs.
 */
export const BACKFILL_DAYS_PER_RUN = 7;
/** What one more day's counting may take at most (a day of every service's bookings aggregated). */
const DAY_RESERVE_MS = 10_000;

export async function runStatsDays(env: JobEnv): Promise<{
  statsDays: number;
  statsRollups: number;
  backfillDates: number;
  backfillFinished: boolean;
}> {
  const now = env.clock();
  const { allServices } = await getCatalogue(env.db, now);
  const hasTime = () => env.hasTime(DAY_RESERVE_MS);
  const written = await writeEndedDays(env.db, allServices, now, LOOKBACK_DAYS, hasTime);
  const back = await backfillStats(
    env.db,
    allServices,
    now,
    LOOKBACK_DAYS,
    BACKFILL_DAYS_PER_RUN,
    hasTime,
  );
  return {
    statsDays: written.days + back.days,
    statsRollups: written.rollups + back.rollups,
    backfillDates: back.dates,
    backfillFinished: back.finished,
  };
}
