/**
 * The `notify` timer function (R11): every minute, tells waiting citizens that numbers of their service
 * appeared (server/jobs/notifier.ts).
 */
import { initCloud } from '../../shared/cloud';
import { timerJob } from '../../jobs/entry';
import { runNotifier } from '../../jobs/notifier';

initCloud();

export const main = timerJob('notify', async (env) => ({ ...(await runNotifier(env)) }));
