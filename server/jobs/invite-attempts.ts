/**
 * Removes the invitation attempts of the days before today (docs/security.md, "Granting a role"): an
 * account's count of codes entered only matters on its own China day, so yesterday's documents are of no
 * use. Run by the hourly `noshow-sweep` after its own work; one request, safe to re-run.
 */
import { chinaDate } from '../domain/china-time';
import type { JobEnv } from './env';

export async function runInviteAttemptCleanup(env: JobEnv): Promise<{ inviteAttempts: number }> {
  const _ = env.db.command;
  const today = chinaDate(env.clock());
  return { inviteAttempts: await env.db.inviteAttempts.remove({ date: _.lt(today) }) };
}
