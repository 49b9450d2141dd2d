/**
 * Cloud storage (云存储) as wx-server-sdk 4.0.2 (with @cloudbase/node-sdk 3.17.2) uses it for
 * `cloud.uploadFile`, `cloud.getTempFileURL` and `cloud.deleteFile`:
 *
 * - `uploadFile({ cloudPath, fileContent })`: the SDK asks the admin API `storage.getUploadMetadata`
 *   `{ path }` for `{ url, token, authorization, fileId, cosFileId }`, then PUTs the bytes to `url` with
 *   those as headers (COS answers an empty body, or an XML `<Error>`); it resolves `{ fileID,
 *   statusCode }` with `fileID` = `cloud://<env>.<bucket>/<cloudPath>`.
 * - `getTempFileURL({ fileList })`: `storage.batchGetDownloadUrl` `{ file_list: [{ fileid, max_age }] }`
 *   answers `{ download_list: [{ fileID, tempFileURL, code, maxAge }] }`; the SDK turns each `code` into
 *   `status` (0, or -503003 STORAGE_FILE_NONEXIST) and `errMsg`. A link lasts `maxAge` seconds, one day
 *   by default and at most (the getTempFileURL documentation: "默认一天且最大不超过一天"); at most 50
 *   files a call.
 * - `deleteFile({ fileList })` (ids): `storage.batchDeleteFile` `{ fileid_list }` answers `{ delete_list:
 *   [{ fileID, code }] }`; the SDK turns each `code` into `status` (0, or -503003 STORAGE_FILE_NONEXIST
 *   for a file that does not exist, deleted before included) and `errMsg`. At most 50 files a call (the
 *   deleteFile documentation: "一次最多 50 个"). A link issued before the file was deleted then answers 404.
 * - The link is served here: `GET /storage/<bucket>/<path>?sign=…&t=<expiry, Unix s>` answers the bytes,
 *   or COS's XML error with 403 (`AccessDenied` once expired by the emulated clock, `SignatureDoesNotMatch`
 *   for a link not issued here) or 404 (`NoSuchKey`).
 *
 * Files live under `<LOCALCLOUD_DATA>/storage/` (in memory with `--memory`). Ours where the platform does
 * not document it: which cloud paths are refused (empty, a leading `/`, empty, `.` or `..` segments, a
 * backslash or control character, over 850 characters), the bucket's name (`<hex>-<env>-1250000000`,
 * the shape of the platform's), `INVALID_PARAM` for more than 50 files a call (as for getTempFileURL),
 * and STORAGE_FILE_NONEXIST for an id of another environment or bucket.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from './clock';
import { readBody } from './http';

/** One day: the default and the longest life of a temporary link. */
export const TEMP_URL_MAX_AGE_S = 86_400;
/** Files one getTempFileURL call may name. */
export const TEMP_URL_MAX_FILES = 50;
/** Files one deleteFile call may name (the documentation: "一次最多 50 个"). */
export const DELETE_MAX_FILES = 50;
const MAX_PATH = 850;

export interface StorageDeps {
  envId: string;
  /** Undefined: in memory. */
  dataDir: string | undefined;
  clock: Clock;
  /** The local cloud's own address (`http://127.0.0.1:<port>`), known once it listens. */
  baseUrl: () => string;
}

const CONTENT_TYPES: Record<string, string> = {
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  '.csv': 'text/csv',
  '.json': 'application/json',
  '.txt': 'text/plain',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.pdf': 'application/pdf',
};

function xmlError(res: ServerResponse, status: number, code: string, message: string): void {
  const body = Buffer.from(
    `<?xml version='1.0' encoding='utf-8' ?>\n<Error>\n    <Code>${code}</Code>\n    <Message>${message}</Message>\n    <RequestId>${randomUUID()}</RequestId>\n    <TraceId>${randomUUID()}</TraceId>\n</Error>`,
  );
  res.writeHead(status, { 'content-type': 'application/xml', 'content-length': body.length });
  res.end(body);
}

/** Why a cloud path is refused, or undefined. */
function badPath(p: unknown): string | undefined {
  if (typeof p !== 'string' || p === '') return 'cloudPath must be a non-empty string';
  if (p.length > MAX_PATH) return `cloudPath longer than ${MAX_PATH} characters`;
  if (p.startsWith('/')) return 'cloudPath must not start with /';
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  if (/[\\\u0000-\u001f\u007f]/.test(p)) return 'cloudPath has a backslash or control character';
  if (p.split('/').some((s) => s === '' || s === '.' || s === '..'))
    return 'cloudPath has an empty, . or .. segment';
  return undefined;
}

export class CloudStorage {
  readonly bucket: string;
  private readonly secret = randomBytes(32);
  private readonly memory = new Map<string, Buffer>();

  constructor(private readonly deps: StorageDeps) {
    this.bucket = `${Buffer.from(deps.envId.slice(0, 2)).toString('hex')}-${deps.envId}-1250000000`;
  }

  private sign(...parts: string[]): string {
    return createHmac('sha256', this.secret).update(parts.join('\n')).digest('hex');
  }

  private signed(given: string | undefined, expected: string): boolean {
    if (given === undefined || given.length !== expected.length) return false;
    return timingSafeEqual(Buffer.from(given), Buffer.from(expected));
  }

  private fileOnDisk(cloudPath: string): string | undefined {
    if (this.deps.dataDir === undefined) return undefined;
    return path.join(this.deps.dataDir, 'storage', ...cloudPath.split('/'));
  }

  private read(cloudPath: string): Buffer | undefined {
    const file = this.fileOnDisk(cloudPath);
    if (file === undefined) return this.memory.get(cloudPath);
    try {
      return fs.readFileSync(file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  private write(cloudPath: string, bytes: Buffer): void {
    const file = this.fileOnDisk(cloudPath);
    if (file === undefined) {
      this.memory.set(cloudPath, bytes);
      return;
    }
    fs.mkdirSync(path.dirname(file), { recursive: true });
    // Whole or not at all: a reader never sees half a file.
    const tmp = `${file}.${randomBytes(4).toString('hex')}.tmp`;
    fs.writeFileSync(tmp, bytes);
    fs.renameSync(tmp, file);
  }

  /** Removes the file; answers whether there was one. */
  private remove(cloudPath: string): boolean {
    const file = this.fileOnDisk(cloudPath);
    if (file === undefined) return this.memory.delete(cloudPath);
    try {
      fs.unlinkSync(file);
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw err;
    }
  }

  private fileId(cloudPath: string): string {
    return `cloud://${this.deps.envId}.${this.bucket}/${cloudPath}`;
  }

  private pathOf(fileId: unknown): string | undefined {
    const prefix = `cloud://${this.deps.envId}.${this.bucket}/`;
    if (typeof fileId !== 'string' || !fileId.startsWith(prefix)) return undefined;
    const p = fileId.slice(prefix.length);
    return badPath(p) === undefined ? p : undefined;
  }

  private url(route: string, cloudPath: string): string {
    const encoded = cloudPath.split('/').map(encodeURIComponent).join('/');
    return `${this.deps.baseUrl()}/${route}/${this.bucket}/${encoded}`;
  }

  /** An admin API request `storage.*`; the answer as the platform gives it. */
  handleAdmin(body: Record<string, unknown>, requestId: string): Record<string, unknown> {
    const invalid = (message: string) => ({ code: 'INVALID_PARAM', message, requestId });
    if (body.action === 'storage.getUploadMetadata') {
      const why = badPath(body.path);
      if (why !== undefined) return invalid(why);
      const cloudPath = body.path as string;
      return {
        data: {
          url: this.url('storage', cloudPath),
          token: randomBytes(16).toString('hex'),
          authorization: this.sign('put', cloudPath),
          fileId: this.fileId(cloudPath),
          cosFileId: randomBytes(12).toString('hex'),
        },
        requestId,
      };
    }
    if (body.action === 'storage.batchGetDownloadUrl') {
      const list = body.file_list;
      if (!Array.isArray(list) || list.length === 0)
        return invalid('file_list must be a non-empty array');
      if (list.length > TEMP_URL_MAX_FILES)
        return invalid(`at most ${TEMP_URL_MAX_FILES} files a call`);
      const nowS = Math.floor(this.deps.clock.now() / 1000);
      const download_list = list.map((entry: unknown) => {
        const e = (typeof entry === 'object' && entry !== null ? entry : {}) as Record<
          string,
          unknown
        >;
        const fileID = e.fileid;
        const given = e.max_age;
        const maxAge =
          typeof given === 'number' && Number.isFinite(given) && given > 0
            ? Math.min(Math.floor(given), TEMP_URL_MAX_AGE_S)
            : TEMP_URL_MAX_AGE_S;
        const cloudPath = this.pathOf(fileID);
        if (cloudPath === undefined || this.read(cloudPath) === undefined) {
          return { fileID, tempFileURL: '', code: 'STORAGE_FILE_NONEXIST', maxAge };
        }
        const t = String(nowS + maxAge);
        const sign = this.sign('get', cloudPath, t);
        return {
          fileID,
          tempFileURL: `${this.url('storage', cloudPath)}?sign=${sign}&t=${t}`,
          code: 'SUCCESS',
          maxAge,
        };
      });
      return { data: { download_list }, requestId };
    }
    if (body.action === 'storage.batchDeleteFile') {
      const list = body.fileid_list;
      if (!Array.isArray(list) || list.length === 0)
        return invalid('fileid_list must be a non-empty array');
      if (list.length > DELETE_MAX_FILES)
        return invalid(`at most ${DELETE_MAX_FILES} files a call`);
      const delete_list = list.map((fileID: unknown) => {
        const cloudPath = this.pathOf(fileID);
        const removed = cloudPath !== undefined && this.remove(cloudPath);
        return { fileID, code: removed ? 'SUCCESS' : 'STORAGE_FILE_NONEXIST' };
      });
      return { data: { delete_list }, requestId };
    }
    return {
      code: 'INVALID_ACTION',
      message: `action "${String(body.action)}" is not emulated by the local cloud`,
      requestId,
    };
  }

  /** `PUT` (an upload the metadata allowed) or `GET` (a temporary link) of `/storage/<bucket>/<path>`. */
  async handleHttp(req: IncomingMessage, res: ServerResponse, url: URL): Promise<string> {
    const method = req.method ?? 'GET';
    const prefix = `/storage/${this.bucket}/`;
    let cloudPath: string | undefined;
    try {
      cloudPath = url.pathname.startsWith(prefix)
        ? url.pathname.slice(prefix.length).split('/').map(decodeURIComponent).join('/')
        : undefined;
    } catch {
      cloudPath = undefined;
    }
    if (cloudPath === undefined || badPath(cloudPath) !== undefined) {
      xmlError(res, 404, 'NoSuchBucket', 'The specified bucket or key does not exist.');
      return `storage ${method} 404`;
    }
    if (method === 'PUT') {
      const auth = req.headers.authorization;
      const bytes = await readBody(req);
      if (!this.signed(auth, this.sign('put', cloudPath))) {
        xmlError(res, 403, 'SignatureDoesNotMatch', 'The request signature does not match.');
        return 'storage PUT 403';
      }
      this.write(cloudPath, bytes);
      res.writeHead(200, { 'content-length': 0, etag: `"${this.sign('etag', cloudPath)}"` });
      res.end();
      return 'storage PUT 200';
    }
    if (method !== 'GET' && method !== 'HEAD') {
      xmlError(res, 405, 'MethodNotAllowed', 'The specified method is not allowed.');
      return `storage ${method} 405`;
    }
    const t = url.searchParams.get('t') ?? '';
    if (!this.signed(url.searchParams.get('sign') ?? undefined, this.sign('get', cloudPath, t))) {
      xmlError(res, 403, 'SignatureDoesNotMatch', 'The request signature does not match.');
      return `storage ${method} 403`;
    }
    if (Number(t) < this.deps.clock.now() / 1000) {
      xmlError(res, 403, 'AccessDenied', 'Request has expired');
      return `storage ${method} 403 expired`;
    }
    const bytes = this.read(cloudPath);
    if (bytes === undefined) {
      xmlError(res, 404, 'NoSuchKey', 'The specified key does not exist.');
      return `storage ${method} 404`;
    }
    res.writeHead(200, {
      'content-type':
        CONTENT_TYPES[path.extname(cloudPath).toLowerCase()] ?? 'application/octet-stream',
      'content-length': bytes.length,
    });
    res.end(method === 'HEAD' ? undefined : bytes);
    return `storage ${method} 200`;
  }
}
