/**
 * Deletes the statistics files `exportStats` wrote (issue 14, server/admin/export.ts) once their temporary
 * link has ended: nobody can read them any more, and a file of the city's figures should not outlive its
 * use (privacy, storage cost). Cloud storage has no listing API; the `statsExports` record written with
 * each file is how they are found. Run by the hourly `noshow-sweep` after its own work.
 *
 * Per batch of at most 50 (deleteFile's limit): `cloud.deleteFile`, then the records of the files it
 * answered deleted (status 0) or already gone (-503003) are removed. A run dying between the two leaves
 * the records; the next run deletes again, is answered -503003, and removes them: safe to re-run, and a
 * file is never kept once its record is gone. A file the platform refused to delete for another reason
 * keeps its record and is tried again at the next run.
 */
import { deleteFiles } from '../shared/cloud';
import type { JobEnv } from './env';

/** Files per `cloud.deleteFile` call: the platform's limit ("一次最多 50 个"). */
export const DELETE_BATCH = 50;
/** deleteFile's per-file status for a file that does not exist (STORAGE_FILE_NONEXIST). */
const FILE_NONEXIST = -503003;
/** What one more batch may take at most (one query, one deleteFile, one remove). */
const BATCH_RESERVE_MS = 5_000;

export interface ExportsReport {
  /** Expired export files deleted (or found already gone) and their records removed. */
  exportsDeleted: number;
  /** Expired ones the platform would not delete this run (kept, tried again next run). */
  exportsKept: number;
}

export async function runExportCleanup(env: JobEnv): Promise<ExportsReport> {
  const report: ExportsReport = { exportsDeleted: 0, exportsKept: 0 };
  const now = env.clock();
  const _ = env.db.command;
  let after = '';
  while (env.hasTime(BATCH_RESERVE_MS)) {
    // Past the ids kept this run, so a file the platform keeps refusing does not stall the rest.
    const due = await env.db.statsExports.find(
      { expiresAt: _.lte(now), _id: _.gt(after) },
      { orderBy: ['_id', 'asc'], limit: DELETE_BATCH, fields: ['fileID'] },
    );
    if (due.length === 0) break;
    const answer = await deleteFiles(due.map((d) => d.fileID));
    const gone = new Set(
      answer.filter((f) => f.status === 0 || f.status === FILE_NONEXIST).map((f) => f.fileID),
    );
    const ids = due.filter((d) => gone.has(d.fileID)).map((d) => d._id);
    if (ids.length > 0) {
      await env.db.statsExports.remove({ _id: _.in(ids), expiresAt: _.lte(now) });
    }
    report.exportsDeleted += ids.length;
    report.exportsKept += due.length - ids.length;
    after = due[due.length - 1]?._id ?? after;
    if (due.length < DELETE_BATCH) break;
  }
  return report;
}
