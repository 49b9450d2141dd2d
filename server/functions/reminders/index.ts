/**
 * The `reminders` timer function (R13): every minute, sends the reminders that are due
 * (server/jobs/reminders.ts). Its trigger and openapi permission are in cloudfunctions/reminders/config.json.
 */
import { initCloud } from '../../shared/cloud';
import { timerJob } from '../../jobs/entry';
import { runReminders } from '../../jobs/reminders';

initCloud();

export const main = timerJob('reminders', async (env) => ({ ...(await runReminders(env)) }));
