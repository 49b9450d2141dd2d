/**
 * Cloud storage through the unmodified wx-server-sdk (src/storage.ts): `uploadFile` answers the platform's
 * fileID, `getTempFileURL` a link that serves the same bytes until its `maxAge` (one day at most) passes on
 * the emulated clock, the SDK's per-file status for a file that does not exist, refusals of bad paths and
 * of links not issued here, and files kept in the data directory across a restart; `deleteFile` removes
 * files (their links then 404, a second delete answers -503003) and refuses more than 50 a call.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  getClock,
  sdk,
  setClock,
  startLocalCloud,
  type LocalCloud,
  type SdkError,
  type SdkRunner,
} from '../../local-cloud/client';

jest.setTimeout(60_000);

let cloud: LocalCloud;
let runner: SdkRunner;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'local-cloud-storage-'));

interface TempFile {
  fileID: string;
  tempFileURL: string;
  status: number;
  errMsg: string;
  maxAge: number;
}

/** wx-server-sdk 4.0.2 answers `statusCode: -1` whatever happens (node-sdk 3.17.2 never reports it). */
function upload(cloudPath: string, text: string): Promise<{ fileID: string }> {
  return runner.run(
    async (c, a) => {
      const res = (await c.uploadFile({
        cloudPath: a.cloudPath,
        fileContent: Buffer.from(a.text, 'utf8'),
      })) as { fileID: string };
      return { fileID: res.fileID };
    },
    { cloudPath, text },
  );
}

function tempUrls(fileList: unknown[]): Promise<TempFile[]> {
  return runner.run(
    async (c, a) =>
      ((await c.getTempFileURL({ fileList: a.fileList as string[] })) as { fileList: TempFile[] })
        .fileList,
    { fileList },
  );
}

interface DeletedFile {
  fileID: string;
  status: number;
  errMsg: string;
}

function deleteFiles(fileList: string[]): Promise<{ fileList: DeletedFile[]; errMsg: string }> {
  return runner.run(
    async (c, a) =>
      (await c.deleteFile({ fileList: a.fileList })) as {
        fileList: DeletedFile[];
        errMsg: string;
      },
    { fileList },
  );
}

beforeAll(async () => {
  cloud = await startLocalCloud({ dataDir });
  runner = await sdk(cloud);
});

afterAll(async () => {
  await runner.close();
  await cloud.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('uploadFile and getTempFileURL', () => {
  it('stores a file under its fileID and serves it at the temporary link', async () => {
    const text = '\ufeff日期,预约数\n2026-06-23,8\n';
    const up = await upload('exports/stats/2026-06.csv', text);
    expect(up.fileID).toMatch(
      /^cloud:\/\/local\.[0-9a-f]+-local-\d+\/exports\/stats\/2026-06\.csv$/,
    );
    const [file] = await tempUrls([up.fileID]);
    expect(file).toMatchObject({ fileID: up.fileID, status: 0, errMsg: 'ok', maxAge: 86_400 });
    const res = await fetch(file?.tempFileURL ?? '');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv');
    expect(Buffer.from(await res.arrayBuffer()).toString('utf8')).toBe(text);
  });

  it('replaces a file uploaded again to the same path', async () => {
    const first = await upload('a/same.txt', 'one');
    const second = await upload('a/same.txt', 'two');
    expect(second.fileID).toBe(first.fileID);
    const [file] = await tempUrls([second.fileID]);
    expect(await (await fetch(file?.tempFileURL ?? '')).text()).toBe('two');
  });

  it('ends a link after its maxAge on the emulated clock, never after more than a day', async () => {
    const { fileID } = await upload('a/short.txt', 'short-lived');
    const [short, long] = await tempUrls([
      { fileID, maxAge: 60 },
      { fileID, maxAge: 7 * 86_400 },
    ]);
    expect([short?.maxAge, long?.maxAge]).toEqual([60, 86_400]);
    const now = await getClock(cloud);
    await setClock(cloud, now + 120_000, { fireTriggers: false });
    const expired = await fetch(short?.tempFileURL ?? '');
    expect(expired.status).toBe(403);
    expect(await expired.text()).toContain('<Code>AccessDenied</Code>');
    expect((await fetch(long?.tempFileURL ?? '')).status).toBe(200);
    await setClock(cloud, now + 86_400_000 + 60_000, { fireTriggers: false });
    expect((await fetch(long?.tempFileURL ?? '')).status).toBe(403);
  });

  it('answers a missing file with its status, and refuses a link not issued here', async () => {
    const { fileID } = await upload('a/real.txt', 'real');
    const [missing, real] = await tempUrls([fileID.replace('real.txt', 'none.txt'), fileID]);
    expect(missing).toMatchObject({ status: -503003, tempFileURL: '' });
    const forged = new URL(real?.tempFileURL ?? '');
    forged.searchParams.set('t', String(Number(forged.searchParams.get('t')) + 86_400));
    const res = await fetch(forged);
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('<Code>SignatureDoesNotMatch</Code>');
  });

  it('refuses bad cloud paths and more than 50 files a call', async () => {
    const refusal = async (work: () => Promise<unknown>) => {
      try {
        await work();
        return 'accepted';
      } catch (err) {
        const e = err as SdkError;
        return `${String(e.errCode)} ${e.code ?? ''}`;
      }
    };
    const fileIds = Array.from({ length: 51 }, (_, i) => `cloud://x.y/${i}`);
    expect([
      await refusal(() => upload('/abs.txt', 'x')),
      await refusal(() => upload('a/../b.txt', 'x')),
      await refusal(() => upload('', 'x')),
      await refusal(() => tempUrls(fileIds)),
      // As the README's table says: the SDK rethrows the platform's code as errCode -1, code kept.
    ]).toEqual(Array(4).fill('-1 INVALID_PARAM'));
  });

  it('deletes files: their links then 404, a file already gone answers -503003 per file', async () => {
    const { fileID: first } = await upload('exports/stats/first.csv', 'first');
    const { fileID: second } = await upload('exports/stats/second.csv', 'second');
    const [link] = await tempUrls([first]);
    expect((await fetch(link?.tempFileURL ?? '')).status).toBe(200);

    const missing = first.replace('first.csv', 'never.csv');
    const res = await deleteFiles([first, missing]);
    expect(res.errMsg).toBe('deleteFile:ok');
    expect(res.fileList).toEqual([
      { fileID: first, status: 0, errMsg: 'ok' },
      { fileID: missing, status: -503003, errMsg: expect.any(String) as unknown },
    ]);
    const gone = await fetch(link?.tempFileURL ?? '');
    expect(gone.status).toBe(404);
    expect(await gone.text()).toContain('<Code>NoSuchKey</Code>');
    expect(fs.existsSync(path.join(dataDir, 'storage', 'exports', 'stats', 'first.csv'))).toBe(
      false,
    );
    const [relinked] = await tempUrls([first]);
    expect(relinked).toMatchObject({ status: -503003, tempFileURL: '' });
    // Deleting again is harmless: the same per-file code, the other file untouched.
    expect((await deleteFiles([first])).fileList).toEqual([
      { fileID: first, status: -503003, errMsg: expect.any(String) as unknown },
    ]);
    const [kept] = await tempUrls([second]);
    expect(await (await fetch(kept?.tempFileURL ?? '')).text()).toBe('second');
  });

  it('refuses more than 50 files a deleteFile call, and deletes nothing then', async () => {
    const { fileID } = await upload('a/fifty.txt', 'x');
    const refusal = await deleteFiles(Array.from({ length: 51 }, () => fileID)).then(
      () => 'accepted',
      (err: unknown) => {
        const e = err as SdkError;
        return `${String(e.errCode)} ${e.code ?? ''} ${e.errMsg ?? ''}`;
      },
    );
    expect(refusal).toMatch(/^-1 INVALID_PARAM .*at most 50 files a call/);
    expect((await tempUrls([fileID]))[0]?.status).toBe(0);
    const fifty = await deleteFiles([
      fileID,
      ...Array.from({ length: 49 }, (_, i) => fileID.replace('fifty.txt', `none-${i}.txt`)),
    ]);
    expect(fifty.fileList.map((f) => f.status)).toEqual([0, ...Array(49).fill(-503003)]);
  });

  it('keeps the files in the data directory across a restart', async () => {
    const { fileID } = await upload('kept/file.txt', 'kept');
    await runner.close();
    await cloud.stop();
    cloud = await startLocalCloud({ dataDir });
    runner = await sdk(cloud);
    const [file] = await tempUrls([fileID]);
    expect(await (await fetch(file?.tempFileURL ?? '')).text()).toBe('kept');
  });
});
