/**
 * The statistics exports' files are deleted once their link has ended (issue 14's loose end, issue 16):
 * through the real `admin` (`exportStats`) and `noshow-sweep` functions on the local cloud, with the
 * files looked up through wx-server-sdk's `getTempFileURL` (cloud storage has no listing). Each export is
 * recorded in `statsExports` with when its link ends; a run before then deletes nothing; a run after
 * deletes the file and its record and nothing else; a second run is harmless; a record whose file a dead
 * run already deleted is removed; a run by the hourly timer does it too.
 */
import { chinaTime, docs, runJob, setClock, type SdkRunner } from '../../local-cloud/client';
import type { StatsQuery } from '../../typings/admin';
import { useAdminCloud } from './support/admin-cloud';
import { adminOk } from './support/hall';

jest.setTimeout(120_000);

const CITY = 'o-exports-city';
const T0 = chinaTime('2026-06-22T10:00:00');
const HOUR = 3_600_000;
const QUERY: StatsQuery = { from: '2026-06-15', to: '2026-06-21', by: 'day' };

const { cloud, db } = useAdminCloud({ now: T0, city: CITY });

interface ExportRecord {
  _id: string;
  fileID: string;
  by: string;
  createdAt: number;
  expiresAt: number;
}

async function exportFile(
  format: 'csv' | 'xlsx',
): Promise<{ fileID: string; tempFileURL: string }> {
  return adminOk(cloud, CITY, 'exportStats', { ...QUERY, format });
}

/** Each file's status as getTempFileURL answers it: 0 while it exists, -503003 once deleted. */
function fileStatus(runner: SdkRunner, fileIDs: string[]): Promise<number[]> {
  return runner.run(
    async (c, list) =>
      (
        (await c.getTempFileURL({ fileList: list })) as { fileList: { status: number }[] }
      ).fileList.map((f) => f.status),
    fileIDs,
  );
}

async function records(): Promise<ExportRecord[]> {
  return (await docs<ExportRecord>(db, 'statsExports')).sort((a, b) => a.createdAt - b.createdAt);
}

describe('statistics export files', () => {
  let first: { fileID: string; tempFileURL: string };
  let second: { fileID: string; tempFileURL: string };
  let later: { fileID: string; tempFileURL: string };

  it('records each export with its file, who made it and when its link ends', async () => {
    first = await exportFile('csv');
    second = await exportFile('xlsx');
    const saved = await records();
    expect(saved.map((r) => [r.fileID, r.by])).toEqual([
      [first.fileID, CITY],
      [second.fileID, CITY],
    ]);
    for (const r of saved) {
      // The link answered was issued for an hour (EXPORT_LINK_SECONDS): the record ends with it.
      expect(r.expiresAt - r.createdAt).toBe(HOUR);
      expect(r.createdAt).toBeGreaterThanOrEqual(T0);
      expect(r.fileID.endsWith(`/exports/stats/${r._id}`)).toBe(true);
    }
    const linkEnds = Number(new URL(first.tempFileURL).searchParams.get('t')) * 1000;
    expect(Math.abs(linkEnds - (saved[0]?.expiresAt ?? 0))).toBeLessThan(1000);
  });

  it('deletes nothing before the link has ended', async () => {
    await setClock(cloud, T0 + 30 * 60_000, { fireTriggers: false });
    later = await exportFile('csv');
    await setClock(cloud, T0 + HOUR - 5_000, { fireTriggers: false });
    expect(await runJob(cloud, 'noshow-sweep')).toMatchObject({
      ok: true,
      exportsDeleted: 0,
      exportsKept: 0,
    });
    expect(await fileStatus(db, [first.fileID, second.fileID, later.fileID])).toEqual([0, 0, 0]);
    expect((await fetch(first.tempFileURL)).status).toBe(200);
    expect(await records()).toHaveLength(3);
  });

  it('deletes the files whose link has ended and their records, and nothing else', async () => {
    await setClock(cloud, T0 + HOUR + 60_000, { fireTriggers: false });
    expect(await runJob(cloud, 'noshow-sweep')).toMatchObject({
      ok: true,
      exportsDeleted: 2,
      exportsKept: 0,
    });
    expect(await fileStatus(db, [first.fileID, second.fileID, later.fileID])).toEqual([
      -503003, -503003, 0,
    ]);
    expect((await records()).map((r) => r.fileID)).toEqual([later.fileID]);
    expect((await fetch(later.tempFileURL)).status).toBe(200);
  });

  it('is harmless when run again', async () => {
    expect(await runJob(cloud, 'noshow-sweep')).toMatchObject({ ok: true, exportsDeleted: 0 });
    expect(await fileStatus(db, [later.fileID])).toEqual([0]);
    expect(await records()).toHaveLength(1);
  });

  it('removes the record of a file a dead run already deleted', async () => {
    // As if a run had died between deleteFile and the records' removal.
    await db.run(async (c, id) => {
      await c.deleteFile({ fileList: [id] });
    }, later.fileID);
    await setClock(cloud, T0 + 2 * HOUR, { fireTriggers: false });
    expect(await runJob(cloud, 'noshow-sweep')).toMatchObject({ ok: true, exportsDeleted: 1 });
    expect(await records()).toEqual([]);
  });

  it('deletes them on the hourly timer', async () => {
    const made = await exportFile('xlsx');
    // The sweep's timer fires at :05 each hour (China time); this jump passes 12:05 and 13:05.
    const { fired } = await setClock(cloud, T0 + 3 * HOUR + 10 * 60_000);
    expect(fired.filter((f) => f.function === 'noshow-sweep').map((f) => f.ok)).toEqual([true]);
    expect(await fileStatus(db, [made.fileID])).toEqual([-503003]);
    expect(await records()).toEqual([]);
  });
});
