/**
 * The `calendar-watch` timer function (R2): every day at 09:00, while a year the booking horizon needs
 * has no holiday arrangement, tells the administrators who subscribed (server/jobs/calendar-watch.ts).
 */
import { initCloud } from '../../shared/cloud';
import { timerJob } from '../../jobs/entry';
import { runCalendarWatch } from '../../jobs/calendar-watch';

initCloud();

export const main = timerJob('calendar-watch', async (env) => ({
  ...(await runCalendarWatch(env)),
}));
