/**
 * The `reminders` timer function (R13): every minute, sends the reminders that are due
 * (server/jobs/reminders.ts). Its trigger and openapi permission are in cloudfunctions/reminders/config.json.
 */
import { initCloud } from '../../shared/cloud';
import { timerJob } from '../../jobs/entry';
import { runChangeNotices } from '../../jobs/change-notices';
import { runReminders } from '../../jobs/reminders';

initCloud();

export const main = timerJob('reminders', async (env) => ({
  ...(await runReminders(env)),
  // Issue 14: the notices of days an office closed, on the same minute's run.
  changeNotices: await runChangeNotices(env),
}));
