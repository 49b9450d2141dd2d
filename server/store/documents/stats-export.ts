/**
 * `statsExports`: one per file `exportStats` wrote to cloud storage (issue 14), so that the file can be
 * deleted once its temporary link has expired — cloud storage has no listing API, this record is the only
 * way to find it again. Written right after the upload, removed by the `noshow-sweep` run that deletes the
 * file (server/jobs/stats-exports.ts; docs/admin.md, docs/security.md: how long an export lives).
 */
export interface StatsExportDoc {
  /** The file's name: `<scope>_<from>_<to>_<by>_<time><random>.<format>`. */
  _id: string;
  /** `cloud://<env>.<bucket>/exports/stats/<_id>`: what `cloud.deleteFile` is given. */
  fileID: string;
  /** The administrator's OPENID (as in the audit entry of the same export). */
  by: string;
  createdAt: number;
  /** When the temporary link ends: from then on nobody can read the file, and it is deleted. */
  expiresAt: number;
}
