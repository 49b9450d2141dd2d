/**
 * `exportStats` (issue 14): the rows `stats` answers, as a file in cloud storage and a temporary link to
 * it — `.xlsx` (what `wx.openDocument` opens on the phone) or `.csv` with a UTF-8 BOM (so Excel reads the
 * Chinese headers). Headers in Chinese, one column per channel, the total last. Counts only: no name, ID
 * number or phone can be in it (R14; test/cloud/privacy.test.ts reads an export back). Each export is
 * audited (the query, the format and the file) before its link is answered: the city's figures leave the
 * system only on the record. Each file is recorded (`statsExports`, with when its link ends) right after
 * its upload, and the hourly `noshow-sweep` run deletes it once the link has ended
 * (server/jobs/stats-exports.ts): a file of the city's figures lives at most about two hours.
 */
import { randomBytes } from 'node:crypto';
import writeXlsxFile from 'write-excel-file/node';
import type { AdminApi, AdminRequest, StatsBy, StatsRow } from '../../typings/admin';
import { cloud, deleteFiles } from '../shared/cloud';
import type { StatsExportDoc } from '../store/documents/stats-export';
import { auditDoc, type AdminContext } from './audit';
import { stats } from './stats';

/** How long the link works: long enough to open it from the phone, short for a file of the city's figures. */
export const EXPORT_LINK_SECONDS = 3600;

const KEY_HEADER: Record<StatsBy, string> = { day: '日期', month: '月份', period: '时段' };
/** R12: the channels' names as the administrators know them; a key's channel as it is. */
const CHANNEL_NAMES: Record<string, string> = { wechat: '微信小程序' };

const COLUMNS: { header: string; value: (r: StatsRow) => number | null }[] = [
  { header: '放号数', value: (r) => r.released },
  { header: '预约数', value: (r) => r.booked },
  { header: '群众取消', value: (r) => r.cancelledByCitizen },
  { header: '单位取消', value: (r) => r.cancelledByOffice },
  { header: '签到', value: (r) => r.checkedIn },
  { header: '办结', value: (r) => r.served },
  { header: '过号', value: (r) => r.missed },
  { header: '爽约', value: (r) => r.noShow },
  { header: '号源使用率(%)', value: (r) => r.usedPercent },
  { header: '候叫时间中位数(秒)', value: (r) => r.medianWaitSeconds },
];

/** The table: the header row, a row per key, the total (合计) last; empty cells for no value. */
export function statsTable(
  by: StatsBy,
  rows: readonly StatsRow[],
  total: StatsRow,
): (string | number | null)[][] {
  const channels = Object.keys(total.byChannel).sort();
  const header = [
    KEY_HEADER[by],
    ...COLUMNS.map((c) => c.header),
    ...channels.map((ch) => `预约-${CHANNEL_NAMES[ch] ?? ch}`),
  ];
  const line = (key: string, r: StatsRow) => [
    key,
    ...COLUMNS.map((c) => c.value(r)),
    ...channels.map((ch) => r.byChannel[ch] ?? 0),
  ];
  return [header, ...rows.map((r) => line(r.key, r)), line('合计', total)];
}

function csvCell(value: string | number | null): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** RFC 4180 with CRLF, behind a UTF-8 BOM (Excel otherwise reads the Chinese as another encoding). */
export function toCsv(table: readonly (string | number | null)[][]): Buffer {
  const text = table.map((row) => row.map(csvCell).join(',')).join('\r\n');
  return Buffer.from(`\ufeff${text}\r\n`, 'utf8');
}

async function toXlsx(table: readonly (string | number | null)[][]): Promise<Buffer> {
  const [header = [], ...body] = table;
  const data = [
    header.map((h) => ({ value: String(h), fontWeight: 'bold' as const })),
    ...body.map((row) =>
      row.map((v) =>
        v === null ? null : typeof v === 'number' ? { value: v, type: Number } : { value: v },
      ),
    ),
  ];
  return writeXlsxFile(data, { sheet: '预约统计' }).toBuffer();
}

export async function exportStats(
  ctx: AdminContext,
  req: AdminRequest<'exportStats'>,
): Promise<AdminApi['exportStats']['res']> {
  const { format, ...query } = req;
  const answer = await stats(ctx, query);
  const table = statsTable(query.by, answer.rows, answer.total);
  const content = format === 'csv' ? toCsv(table) : await toXlsx(table);
  const scope = query.serviceId ?? query.officeId ?? 'city';
  const name = `${scope}_${query.from}_${query.to}_${query.by}_${ctx.now}${randomBytes(4).toString('hex')}.${format}`;
  const { fileID } = await cloud.uploadFile({
    cloudPath: `exports/stats/${name}`,
    fileContent: content,
  });
  // Recorded at once: storage cannot be listed, so a file without its record would never be deleted.
  const record: StatsExportDoc = {
    _id: name,
    fileID,
    by: ctx.access.openid,
    createdAt: ctx.now,
    expiresAt: ctx.now + EXPORT_LINK_SECONDS * 1000,
  };
  try {
    await ctx.db.statsExports.insert(record);
  } catch (err) {
    // Nobody gets a link to it: remove the file now rather than leave it unfindable.
    await deleteFiles([fileID]).catch(() => undefined);
    throw err;
  }
  const linked = await cloud.getTempFileURL({
    fileList: [{ fileID, maxAge: EXPORT_LINK_SECONDS }],
  });
  const file = linked?.fileList[0];
  if (!file || file.status !== 0) throw new Error(`no temporary link: ${file?.errMsg ?? 'none'}`);
  await ctx.db.audit.insert(auditDoc(ctx, 'exportStats', { ...query, format, fileID }));
  return { fileID, tempFileURL: file.tempFileURL, rows: answer.rows.length };
}
