/**
 * The `noshow-sweep` timer function (R10): every hour, marks the bookings of ended days that nobody
 * attended as no-shows and suspends people at their 3rd in a month (server/jobs/noshow.ts); once the
 * sweep is complete, writes the ended days' statistics (server/jobs/stats-days.ts, issue 14); then
 * deletes the statistics export files whose link has ended (server/jobs/stats-exports.ts), and the
 * invitation attempts of the days before today (server/jobs/invite-attempts.ts).
 */
import { initCloud } from '../../shared/cloud';
import { timerJob } from '../../jobs/entry';
import { runNoShowSweep } from '../../jobs/noshow';
import { runStatsDays } from '../../jobs/stats-days';
import { runExportCleanup } from '../../jobs/stats-exports';
import { runInviteAttemptCleanup } from '../../jobs/invite-attempts';

initCloud();

export const main = timerJob('noshow-sweep', async (env) => {
  const sweep = await runNoShowSweep(env);
  // Only a complete sweep leaves the ended days final; an unfinished one goes on at the next run.
  const days = sweep.more ? {} : await runStatsDays(env);
  return {
    ...sweep,
    ...days,
    ...(await runExportCleanup(env)),
    ...(await runInviteAttemptCleanup(env)),
  };
});
