/**
 * The local cloud's function runtime, with the fixture functions of test/fixtures/functions: what a function
 * sees (event, getWXContext, context), calls between functions, the platform's error codes, timeouts,
 * one request per instance, warm module state and the instance cap.
 */
import {
  callFunction,
  type LocalCloud,
  sdk,
  type SdkRunner,
  startLocalCloud,
  stats,
} from '../../local-cloud/client';
import { FIXTURE_FUNCTIONS } from './support/fixtures';

jest.setTimeout(90_000);

let cloud: LocalCloud;
let runner: SdkRunner;

beforeAll(async () => {
  cloud = await startLocalCloud({ extraEnv: { LOCALCLOUD_FUNCTIONS: FIXTURE_FUNCTIONS } });
  runner = await sdk(cloud);
});

afterAll(async () => {
  await runner.close();
  await cloud.stop();
});

interface EchoResult {
  event: Record<string, unknown>;
  wxContext: Record<string, unknown>;
  functionName: string;
  timeLimit: number;
}

describe('a call from the mini program (POST /callFunction)', () => {
  it('runs the built function with the caller as OPENID, the APPID and the ENV', async () => {
    const outcome = await callFunction(cloud, 'echo', { action: 'ping', n: 1 }, 'o-alice');
    const { result } = outcome as { result: EchoResult };
    expect(result).toMatchObject({
      // The platform adds the caller to the event of a mini program call.
      event: { action: 'ping', n: 1, userInfo: { appId: 'wx0000000000000000', openId: 'o-alice' } },
      wxContext: {
        OPENID: 'o-alice',
        APPID: 'wx0000000000000000',
        ENV: 'local',
        SOURCE: 'wx_client',
      },
      functionName: 'echo',
      // config.json has no timeout: the platform's 3 s.
      timeLimit: 3000,
    });
  });

  it('logs the function and action but never the data', async () => {
    // The line is written once the answer is sent, so it may trail the response a little.
    const deadline = Date.now() + 10_000;
    while (!/callFunction fn=echo action=ping ok \d+ms/.test(cloud.output())) {
      if (Date.now() > deadline) throw new Error(`no request line in:\n${cloud.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(cloud.output()).not.toContain('o-alice');
  });

  it('answers -504002 when the function throws, with its message', async () => {
    const outcome = await callFunction(cloud, 'thrower', {}, 'o-alice');
    expect(outcome).toEqual({
      errCode: -504002,
      errMsg: expect.stringContaining('Error: boom from thrower') as unknown,
    });
  });

  it('answers -501000 for a function that does not exist', async () => {
    expect(await callFunction(cloud, 'nosuchfunction', {}, 'o-alice')).toEqual({
      errCode: -501000,
      errMsg: 'FunctionName parameter could not be found.',
    });
  });
});

describe('a call from another function (wx-server-sdk callFunction)', () => {
  it('gives the callee no OPENID, like the platform, while the caller keeps its own', async () => {
    const outcome = await callFunction(
      cloud,
      'caller',
      { target: 'echo', data: { hop: 2 } },
      'o-bob',
    );
    const { result } = outcome as {
      result: { result: EchoResult; myContext: Record<string, unknown> };
    };
    expect(result.myContext).toMatchObject({ OPENID: 'o-bob' });
    expect(result.result.event).toEqual({ hop: 2 });
    expect(result.result.wxContext).toEqual({ APPID: 'wx0000000000000000', ENV: 'local' });
  });

  // wx-server-sdk 4.0.2 rethrows the platform's answer as a TcbError, which its own toSDKError turns
  // into errCode -1; the platform's code stays on `code`.
  it("rejects with the platform's code: FUNCTIONS_EXECUTE_FAIL, ResourceNotFound.Function", async () => {
    const thrown = await callFunction(cloud, 'caller', { target: 'thrower', data: {} });
    const missing = await callFunction(cloud, 'caller', { target: 'nosuchfunction', data: {} });
    expect([thrown, missing]).toEqual([
      {
        result: {
          errCode: -1,
          code: 'FUNCTIONS_EXECUTE_FAIL',
          errMsg: expect.stringContaining('callFunction:fail Error: boom from thrower') as unknown,
        },
      },
      {
        result: {
          errCode: -1,
          code: 'ResourceNotFound.Function',
          errMsg: 'callFunction:fail FunctionName parameter could not be found.',
        },
      },
    ]);
  });

  it('is also what a plain Node process with the exported env can do', async () => {
    const result = await runner.run(async (c) => {
      const res = await c.callFunction({ name: 'echo', data: { from: 'script' } });
      if (!res) throw new Error('callFunction answered nothing');
      return res.result as { event: unknown; wxContext: unknown };
    });
    expect(result).toMatchObject({ event: { from: 'script' }, wxContext: { ENV: 'local' } });
  });
});

describe('instances', () => {
  it('enforces the timeout of config.json with -504003 and discards the instance', async () => {
    const started = Date.now();
    const outcome = await callFunction(cloud, 'slow', { ms: 8000 });
    const elapsed = Date.now() - started;
    expect(outcome).toEqual({
      errCode: -504003,
      errMsg: 'Invoking task timed out after 1 seconds',
    });
    // Answered at the 1 s timeout, long before the function's 8 s (generous bound for a busy machine).
    expect(elapsed).toBeGreaterThanOrEqual(1000);
    expect(elapsed).toBeLessThan(6000);
    // A fresh instance: module state starts over.
    expect(await callFunction(cloud, 'slow', { ms: 1 })).toMatchObject({ result: { calls: 1 } });
  });

  it('keeps module state in a warm instance', async () => {
    const results = [];
    for (let i = 0; i < 3; i++) results.push(await callFunction(cloud, 'counter', {}));
    const values = results.map(
      (r) => (r as { result: { instance: string; count: number } }).result,
    );
    expect(values.map((v) => v.count)).toEqual([1, 2, 3]);
    expect(new Set(values.map((v) => v.instance)).size).toBe(1);
  });

  it('gives each instance one request at a time', async () => {
    const results = await Promise.all(
      [1, 2, 3].map(() => callFunction(cloud, 'sleeper', { ms: 600 })),
    );
    const values = results.map(
      (r) => (r as { result: { instance: string; maxActive: number } }).result,
    );
    expect(values.map((v) => v.maxActive)).toEqual([1, 1, 1]);
    expect(new Set(values.map((v) => v.instance)).size).toBe(3);
  });
});

describe('the instance cap', () => {
  let capped: LocalCloud;

  beforeAll(async () => {
    capped = await startLocalCloud({
      extraEnv: { LOCALCLOUD_FUNCTIONS: FIXTURE_FUNCTIONS, LOCALCLOUD_MAX_INSTANCES: '20' },
    });
  });

  afterAll(async () => {
    await capped.stop();
  });

  it('queues the calls beyond 20 instances until one is free: 25 slow calls take two waves', async () => {
    const results = await Promise.all(
      Array.from({ length: 25 }, () => callFunction(capped, 'sleeper', { ms: 1500 })),
    );
    const runs = results.map(
      (r) =>
        (
          r as {
            result: { instance: string; maxActive: number; startedAt: number; endedAt: number };
          }
        ).result,
    );
    expect(runs.every((r) => r.maxActive === 1)).toBe(true);
    expect(new Set(runs.map((r) => r.instance)).size).toBe(20);
    // The five that waited started only after some call of the first wave had ended.
    const byStart = [...runs].sort((a, b) => a.startedAt - b.startedAt);
    const firstWave = byStart.slice(0, 20);
    const secondWave = byStart.slice(20);
    const firstEnd = Math.min(...firstWave.map((r) => r.endedAt));
    expect(secondWave.every((r) => r.startedAt >= firstEnd)).toBe(true);
    const s = await stats(capped);
    expect(s.functions.byFunction.sleeper).toMatchObject({ invocations: 25, coldStarts: 20 });
    expect(s.functions.live).toBeLessThanOrEqual(20);
  });
});

describe('bad requests to the local cloud itself', () => {
  async function status(method: string, route: string, body?: string): Promise<number> {
    const res = await fetch(`${cloud.url}${route}`, {
      method,
      headers: { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body }),
    });
    await res.text();
    return res.status;
  }

  it('answers 4xx with a reason and keeps serving', async () => {
    const answers = await Promise.all([
      status('POST', '/callFunction', '{not json'),
      status('POST', '/callFunction', '[1,2]'),
      status('POST', '/callFunction', JSON.stringify({ data: {} })),
      status('POST', '/callFunction', JSON.stringify({ name: '../etc/passwd' })),
      status('POST', '/callFunction', JSON.stringify({ name: 'echo', openid: 42 })),
      status('GET', '/callFunction'),
      status('POST', '/clock', JSON.stringify({ now: 'tomorrow' })),
      status('POST', '/subscriptions', JSON.stringify({ openid: 'o-1' })),
      status('POST', '/subscriptions', JSON.stringify({ openid: 'o-1', templateId: 'nope' })),
      status('POST', '/admin', '{not json'),
      status('POST', '/admin/fn/..%2Fx', '{}'),
      status('GET', '/nowhere'),
    ]);
    expect(answers).toEqual([400, 400, 400, 400, 400, 405, 400, 400, 400, 400, 404, 404]);
    const res = await fetch(`${cloud.url}/callFunction`, { method: 'POST', body: '{' });
    expect(await res.json()).toEqual({ error: 'body is not valid JSON' });
    expect(await callFunction(cloud, 'counter', {})).toHaveProperty('result');
  });

  it('answers an unknown admin action like the platform: HTTP 200 with a code', async () => {
    const res = await fetch(`${cloud.url}/admin`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ action: 'storage.uploadFile' }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ code: 'INVALID_ACTION' });
  });
});
