/**
 * The `noshow-sweep` timer function (R10): every hour, marks the bookings of ended days that nobody
 * attended as no-shows and suspends people at their 3rd in a month (server/jobs/noshow.ts).
 */
import { initCloud } from '../../shared/cloud';
import { timerJob } from '../../jobs/entry';
import { runNoShowSweep } from '../../jobs/noshow';

initCloud();

export const main = timerJob('noshow-sweep', async (env) => ({ ...(await runNoShowSweep(env)) }));
