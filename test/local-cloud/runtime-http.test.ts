/**
 * The HTTP access service (HTTP 访问服务): `ANY /http/<function>/<rest>` runs the function with the
 * integration request as its event and maps what it returns to the HTTP response, as the CloudBase
 * documentation "使用 HTTP 访问云函数" describes (local-cloud/src/runtime/http-access.ts).
 */
import { type LocalCloud, startLocalCloud } from '../../local-cloud/client';
import { FIXTURE_FUNCTIONS } from './support/fixtures';

jest.setTimeout(90_000);

let cloud: LocalCloud;

beforeAll(async () => {
  cloud = await startLocalCloud({ extraEnv: { LOCALCLOUD_FUNCTIONS: FIXTURE_FUNCTIONS } });
});

afterAll(async () => {
  await cloud.stop();
});

interface Answer {
  status: number;
  type: string | null;
  headers: Headers;
  text: string;
  bytes: number[];
}

async function request(route: string, init: RequestInit = {}): Promise<Answer> {
  const res = await fetch(`${cloud.url}${route}`, init);
  const buf = Buffer.from(await res.arrayBuffer());
  return {
    status: res.status,
    type: res.headers.get('content-type'),
    headers: res.headers,
    text: buf.toString('utf8'),
    bytes: [...buf],
  };
}

interface Seen {
  event: {
    path: string;
    httpMethod: string;
    headers: Record<string, string>;
    queryStringParameters: Record<string, string>;
    requestContext: Record<string, unknown>;
    body: string;
    isBase64Encoded: boolean;
    userInfo?: unknown;
  };
  wxContext: Record<string, unknown>;
}

describe('the integration request (the function’s event)', () => {
  it('carries the path after the function, the method, headers, query and a text body', async () => {
    const answer = await request('/http/httpfn/v1/things/A011?since=abc&n=2', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-key-id': 'k1' },
      body: '{"event":"call"}',
    });
    expect(answer.status).toBe(200);
    const seen = JSON.parse(answer.text) as Seen;
    expect(seen.event).toMatchObject({
      path: '/v1/things/A011',
      httpMethod: 'POST',
      headers: { 'content-type': 'application/json', 'x-key-id': 'k1' },
      queryStringParameters: { since: 'abc', n: '2' },
      requestContext: { envId: 'local', appId: 'wx0000000000000000' },
      body: '{"event":"call"}',
      isBase64Encoded: false,
    });
    // Nobody signed in to WeChat made this call: no OPENID, no userInfo added to the event.
    expect(seen.event.userInfo).toBeUndefined();
    expect(seen.wxContext.OPENID).toBeUndefined();
    expect(seen.wxContext.ENV).toBe('local');
  });

  it('gives the root path for /http/<function>, any method, and an empty body as ""', async () => {
    const seen = JSON.parse((await request('/http/httpfn', { method: 'DELETE' })).text) as Seen;
    expect([seen.event.path, seen.event.httpMethod, seen.event.body]).toEqual(['/', 'DELETE', '']);
  });

  it('Base64-encodes a binary body and says so', async () => {
    const answer = await request('/http/httpfn/upload', {
      method: 'PUT',
      headers: { 'content-type': 'application/octet-stream' },
      body: Buffer.from([0, 1, 2, 255]),
    });
    const seen = JSON.parse(answer.text) as Seen;
    expect([seen.event.body, seen.event.isBase64Encoded]).toEqual(['AAEC/w==', true]);
  });
});

describe('the function’s return value as the HTTP response', () => {
  it('sends a string or a number as text/plain', async () => {
    const [s, n] = await Promise.all([
      request('/http/httpfn/string'),
      request('/http/httpfn/number'),
    ]);
    expect([s.status, s.type, s.text, n.status, n.type, n.text]).toEqual([
      200,
      'text/plain; charset=utf-8',
      'hello gateway',
      200,
      'text/plain; charset=utf-8',
      '42',
    ]);
  });

  it('sends a plain object as JSON, even one with a statusCode that is not a status', async () => {
    const answer = await request('/http/httpfn/not-integration');
    expect([answer.status, answer.type, JSON.parse(answer.text)]).toEqual([
      200,
      'application/json; charset=utf-8',
      { statusCode: 'teapot', foo: 'bar' },
    ]);
  });

  it('sends an integration response as its status, headers and body', async () => {
    const answer = await request('/http/httpfn/integration');
    expect([answer.status, answer.type, answer.headers.get('x-answer'), answer.text]).toEqual([
      201,
      'text/html',
      'yes',
      '<h1>Hello</h1>',
    ]);
  });

  it('decodes a Base64 body flagged isBase64Encoded', async () => {
    const answer = await request('/http/httpfn/base64');
    expect([answer.status, answer.bytes]).toEqual([200, [0, 1, 2, 255]]);
  });

  it('sends nothing for undefined', async () => {
    const answer = await request('/http/httpfn/nothing');
    expect([answer.status, answer.text]).toEqual([200, '']);
  });

  it('answers 502 when the function throws, 404 when there is no such function', async () => {
    const [thrown, missing] = await Promise.all([
      request('/http/httpfn/throw'),
      request('/http/nosuchfn/x'),
    ]);
    expect([thrown.status, (JSON.parse(thrown.text) as { errCode: number }).errCode]).toEqual([
      502, -504002,
    ]);
    expect([missing.status, (JSON.parse(missing.text) as { errCode: number }).errCode]).toEqual([
      404, -501000,
    ]);
  });

  it('logs the function, method and status, never the query or body', async () => {
    await request('/http/httpfn/v1/secret-path?token=s3cr3t', { method: 'POST', body: 'p4yload' });
    const deadline = Date.now() + 10_000;
    while (!/http fn=httpfn POST 200 ok/.test(cloud.output()) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(cloud.output()).toMatch(/http fn=httpfn POST 200 ok \d+ms/);
    expect(cloud.output()).not.toMatch(/s3cr3t|p4yload/);
  });
});
