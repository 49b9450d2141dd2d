/**
 * The admin API wx-server-sdk calls (`POST /admin?env=…&seqId=…`, as `TCB_CONTEXT_CNFG.URL` tells it):
 * JSON bodies for `database.*`, `functions.invokeFunction` and `storage.*` (src/storage.ts), multipart
 * bodies for `wx.openApi`.
 * Functions reach it at `/admin/fn/<name>`, so the local cloud knows which function calls (openapi
 * permissions); plain Node processes use `/admin`. Errors are answered like the platform: HTTP 200 with
 * `{ code, message, requestId }`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import busboy from 'busboy';
import type { Clock } from './clock';
import type { LocalDatabase } from './db/types';
import {
  HttpError,
  MAX_BODY_BYTES,
  MAX_DATA_DEPTH,
  nestedDeeperThan,
  readBody,
  sendJson,
} from './http';
import type { LocalCloudOptions } from './options';
import type { SubscribeMessages } from './openapi/subscribe';
import type { CloudStorage } from './storage';
import { API_TYPE_OPEN_API, decodeOpenApiRequest, encodeOpenApiResponse } from './openapi/wire';
import { toAdminAnswer } from './runtime/errors';
import { readFunction } from './runtime/functions';
import type { FunctionRuntime } from './runtime/types';

/**
 * Transient failure injected by LOCALCLOUD_FAULT_RATE: the platform's "resource server timeout"
 * (SERVER_TIMEOUT, which wx-server-sdk's TCB_ERR_CODE maps to -501002). A timeout is the honest model of
 * both halves: the caller cannot tell whether the write was applied.
 */
export const TRANSIENT_CODE = 'SERVER_TIMEOUT';
/** The same for both halves: the caller must not be able to tell them apart. */
const TRANSIENT_MESSAGE = 'resource server timeout';

/** wx-server-sdk's WX_FUNCTIONS_SERVER_OPENAPI_NO_PERMISSION: the function's config.json lacks the API. */
export const ERR_OPENAPI_NO_PERMISSION = -604101;
/** WX_FUNCTIONS_SERVER_OPENAPI_NOT_FOUND: an openapi the local cloud does not emulate. */
export const ERR_OPENAPI_NOT_FOUND = -604100;
/** WX_FUNCTIONS_SERVER_OPENAPI_ILLEGAL_INVOCATION_SOURCE: openapi from outside any cloud function. */
export const ERR_OPENAPI_ILLEGAL_SOURCE = -604104;

export interface AdminDeps {
  options: LocalCloudOptions;
  clock: Clock;
  db: LocalDatabase;
  runtime: FunctionRuntime;
  subscribe: SubscribeMessages;
  storage: CloudStorage;
}

export interface AdminCounters {
  faultsBefore: number;
  faultsAfter: number;
}

/** What the request log may say about an admin request (never its data). */
export interface AdminLogInfo {
  action: string;
  outcome: string;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function readMultipart(req: IncomingMessage): Promise<Partial<Record<string, Buffer>>> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: req.headers, limits: { fileSize: MAX_BODY_BYTES } });
    } catch (err) {
      reject(new HttpError(400, `bad multipart body: ${(err as Error).message}`));
      return;
    }
    const parts: Partial<Record<string, Buffer>> = {};
    parser.on('field', (name, value) => (parts[name] = Buffer.from(value, 'utf8')));
    parser.on('file', (name, stream) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => (parts[name] = Buffer.concat(chunks)));
    });
    parser.on('error', (err: Error) =>
      reject(new HttpError(400, `bad multipart body: ${err.message}`)),
    );
    parser.on('close', () => resolve(parts));
    req.pipe(parser);
  });
}

export class Admin {
  readonly counters: AdminCounters = { faultsBefore: 0, faultsAfter: 0 };

  constructor(private readonly deps: AdminDeps) {}

  private async database(
    body: Record<string, unknown>,
    requestId: string,
  ): Promise<Record<string, unknown>> {
    const { latencyMs, faultRate } = this.deps.options;
    if (latencyMs) await sleep(latencyMs.min + Math.random() * (latencyMs.max - latencyMs.min));
    const roll = Math.random();
    if (roll < faultRate / 2) {
      this.counters.faultsBefore++;
      return {
        code: TRANSIENT_CODE,
        message: TRANSIENT_MESSAGE,
        requestId,
      };
    }
    const answer = await this.deps.db.handle(body, requestId);
    if (roll < faultRate) {
      this.counters.faultsAfter++;
      return { code: TRANSIENT_CODE, message: TRANSIENT_MESSAGE, requestId };
    }
    return answer;
  }

  private async invoke(
    body: Record<string, unknown>,
    requestId: string,
  ): Promise<Record<string, unknown>> {
    const name = body.function_name;
    if (typeof name !== 'string' || name === '') {
      return { code: 'INVALID_PARAM', message: '函数名不能为空', requestId };
    }
    let data: unknown = undefined;
    const raw = body.request_data;
    if (typeof raw === 'string' && raw !== '') {
      try {
        data = JSON.parse(raw);
      } catch {
        return { code: 'INVALID_PARAM', message: 'request_data is not JSON', requestId };
      }
    }
    if (nestedDeeperThan(data, MAX_DATA_DEPTH)) {
      const message = `invalid parameters: request_data nested deeper than ${MAX_DATA_DEPTH} levels`;
      return { code: 'INVALID_PARAM', message, requestId };
    }
    const result = await this.deps.runtime.invoke(name, data ?? {}, { source: 'function' });
    return toAdminAnswer(result, requestId);
  }

  private openApi(parts: Partial<Record<string, Buffer>>, caller: string | undefined): Buffer {
    const apiName = parts.apiName?.toString('utf8') ?? '';
    if (caller === undefined)
      return encodeOpenApiResponse({ errorCode: ERR_OPENAPI_ILLEGAL_SOURCE });
    const info = readFunction(this.deps.options.functionsDir, caller);
    if (!info?.config.openapi.includes(apiName)) {
      return encodeOpenApiResponse({ errorCode: ERR_OPENAPI_NO_PERMISSION });
    }
    if (apiName !== 'subscribeMessage.send') {
      return encodeOpenApiResponse({ errorCode: ERR_OPENAPI_NOT_FOUND });
    }
    const request = decodeOpenApiRequest(parts.requestData ?? Buffer.alloc(0));
    if (request.apiType !== API_TYPE_OPEN_API) {
      return encodeOpenApiResponse({ errorCode: ERR_OPENAPI_NOT_FOUND });
    }
    const params: Record<string, unknown> = {};
    for (const { key, value } of request.pairs) {
      try {
        params[key] = JSON.parse(value.toString('utf8'));
      } catch {
        params[key] = value.toString('utf8');
      }
    }
    const answer = this.deps.subscribe.send(params, caller, this.deps.clock.now());
    return encodeOpenApiResponse({
      respData: Buffer.from(JSON.stringify(answer)),
      contentType: 'application/json; charset=utf-8',
    });
  }

  /** Handles one admin request; `caller` is the function whose instance sent it, if any. */
  async handle(
    req: IncomingMessage,
    res: ServerResponse,
    caller: string | undefined,
  ): Promise<AdminLogInfo> {
    const requestId = randomUUID();
    const type = req.headers['content-type'] ?? '';
    if (type.startsWith('multipart/form-data')) {
      const parts = await readMultipart(req);
      const action = parts.action?.toString('utf8') ?? '';
      if (action !== 'wx.openApi') {
        sendJson(res, 200, {
          code: 'INVALID_ACTION',
          message: `${action} is not emulated`,
          requestId,
        });
        return { action, outcome: 'INVALID_ACTION' };
      }
      const buf = this.openApi(parts, caller);
      res.writeHead(200, {
        'content-type': 'application/octet-stream',
        'content-length': buf.length,
      });
      res.end(buf);
      return { action: `${action}:${parts.apiName?.toString('utf8') ?? ''}`, outcome: 'answered' };
    }

    const raw = await readBody(req);
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      throw new HttpError(400, 'admin body is not valid JSON');
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new HttpError(400, 'admin body must be a JSON object');
    }
    const request = body as Record<string, unknown>;
    const action = typeof request.action === 'string' ? request.action : '';
    let answer: Record<string, unknown>;
    if (action.startsWith('database.')) {
      answer = await this.database(request, requestId);
    } else if (action === 'functions.invokeFunction') {
      answer = await this.invoke(request, requestId);
    } else if (action.startsWith('storage.')) {
      answer = this.deps.storage.handleAdmin(request, requestId);
    } else {
      answer = {
        code: 'INVALID_ACTION',
        message: `action "${action}" is not emulated by the local cloud`,
        requestId,
      };
    }
    sendJson(res, 200, answer);
    const code = answer.code;
    return { action, outcome: typeof code === 'string' ? code : 'ok' };
  }
}
