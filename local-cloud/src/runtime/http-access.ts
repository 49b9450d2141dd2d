/**
 * CloudBase's HTTP access service (HTTP 访问服务, "云函数 HTTP 触发"): an HTTP request to a path bound to a
 * function runs it with the *integration request* as its event, and its return value becomes the HTTP
 * response. Locally the binding is `ANY /http/<function>/<rest>`: `<function>` runs with `path: "/<rest>"`.
 *
 * The contract, from the CloudBase documentation "使用 HTTP 访问云函数" (docs.cloudbase.net/service/
 * access-cloud-function, cloud.tencent.com/document/product/876/41776):
 * - event: `{ path, httpMethod, headers, queryStringParameters, requestContext, body, isBase64Encoded }`;
 *   `body` is the request body as text, or Base64 with `isBase64Encoded: true` when it is binary;
 * - a returned string or number → 200 `text/plain; charset=utf-8` with it as the body;
 * - a returned object → 200 `application/json; charset=utf-8` with its JSON;
 * - a returned *integration response* `{ statusCode, headers?, body?, isBase64Encoded? }` → that status,
 *   those headers, that body (decoded from Base64 when flagged).
 * Choices of ours where the documentation says nothing: an object is an integration response when its
 * `statusCode` is an integer 100–599; `null`/`undefined` → 200 with an empty body; a non-string `body`
 * of an integration response is sent as JSON; a function that throws or times out → 502, a missing one →
 * 404, each with `{ errCode, errMsg }` as `POST /callFunction` reports them. The call carries no OPENID
 * and no `userInfo` (nobody signed in to WeChat made it), and no `SOURCE`.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { toHttpOutcome } from './errors';
import type { InvokeResult } from './types';

export interface IntegrationRequest {
  path: string;
  httpMethod: string;
  headers: Record<string, string>;
  queryStringParameters: Record<string, string>;
  requestContext: { requestId: string; envId: string; appId: string; uin: string };
  body: string;
  isBase64Encoded: boolean;
}

export interface HttpAnswer {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** Bodies sent to the function as text; anything else that is not empty arrives Base64-encoded. */
const TEXT_TYPE =
  /^(text\/|application\/(json|[\w.+-]*\+json|xml|[\w.+-]*\+xml|javascript|x-www-form-urlencoded))/i;

export function integrationRequest(args: {
  req: IncomingMessage;
  rest: string;
  query: URLSearchParams;
  body: Buffer;
  envId: string;
  appId: string;
}): IntegrationRequest {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(args.req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  const queryStringParameters: Record<string, string> = {};
  // A repeated key keeps its last value (the documented shape is one value per key).
  for (const [key, value] of args.query) queryStringParameters[key] = value;
  const contentType = headers['content-type'] ?? '';
  const binary = args.body.length > 0 && !TEXT_TYPE.test(contentType);
  return {
    path: `/${args.rest}`,
    httpMethod: (args.req.method ?? 'GET').toUpperCase(),
    headers,
    queryStringParameters,
    requestContext: {
      requestId: randomUUID().replace(/-/g, ''),
      envId: args.envId,
      appId: args.appId,
      uin: '0',
    },
    body: binary ? args.body.toString('base64') : args.body.toString('utf8'),
    isBase64Encoded: binary,
  };
}

function isIntegrationResponse(value: unknown): value is {
  statusCode: number;
  headers?: unknown;
  body?: unknown;
  isBase64Encoded?: unknown;
} {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const code = (value as { statusCode?: unknown }).statusCode;
  return typeof code === 'number' && Number.isInteger(code) && code >= 100 && code <= 599;
}

function text(status: number, contentType: string, body: string): HttpAnswer {
  return { status, headers: { 'content-type': contentType }, body: Buffer.from(body, 'utf8') };
}

const JSON_TYPE = 'application/json; charset=utf-8';

/** What the HTTP client gets for the function's outcome. */
export function httpAnswer(result: InvokeResult): HttpAnswer {
  if (!result.ok) {
    return text(
      result.failure === 'not_found' ? 404 : 502,
      JSON_TYPE,
      JSON.stringify(toHttpOutcome(result)),
    );
  }
  const value = result.result;
  if (value === null || value === undefined) return text(200, 'text/plain; charset=utf-8', '');
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    return text(200, 'text/plain; charset=utf-8', String(value));
  }
  if (!isIntegrationResponse(value)) return text(200, JSON_TYPE, result.json);

  const headers: Record<string, string> = {};
  if (typeof value.headers === 'object' && value.headers !== null) {
    for (const [name, v] of Object.entries(value.headers as Record<string, unknown>)) {
      if (typeof v === 'string' || typeof v === 'number') headers[name.toLowerCase()] = String(v);
    }
  }
  let body: Buffer;
  if (value.body === undefined || value.body === null) body = Buffer.alloc(0);
  else if (typeof value.body === 'string')
    body = Buffer.from(value.body, value.isBase64Encoded === true ? 'base64' : 'utf8');
  else body = Buffer.from(JSON.stringify(value.body), 'utf8');
  return { status: value.statusCode, headers, body };
}
