/**
 * What the local cloud refuses before any function runs, and that refusing leaves it serving:
 * - data nested thousands of levels deep: the platform refuses such a body at its gateway (the function
 *   never sees it); locally handing it to an instance overflowed the stack, answered -504002 and
 *   discarded the warm instance;
 * - a body over 8 MB: 413, and the keep-alive connection it came on is closed after the answer (its
 *   unread bytes must not be taken for the next request, which used to get no answer at all).
 */
import net from 'node:net';
import {
  callFunction,
  type LocalCloud,
  sdk,
  startLocalCloud,
  stats,
} from '../../local-cloud/client';
import { FIXTURE_FUNCTIONS } from './support/fixtures';

jest.setTimeout(90_000);

let cloud: LocalCloud;

beforeAll(async () => {
  cloud = await startLocalCloud({
    extraEnv: { LOCALCLOUD_FUNCTIONS: FIXTURE_FUNCTIONS, LOCALCLOUD_LOG: '0' },
  });
});

afterAll(async () => {
  await cloud.stop();
});

/** `{"a":{"a":…1…}}` as text: JSON.stringify itself overflows on such a value. */
function nested(depth: number): string {
  return `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}

async function postRaw(route: string, body: string): Promise<{ status: number; json: unknown }> {
  const res = await fetch(`${cloud.url}${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });
  return { status: res.status, json: await res.json() };
}

describe('data nested too deep', () => {
  it('is refused with INVALID_PARAM (-501007) before the function runs, and the warm instance stays warm', async () => {
    expect(await callFunction(cloud, 'echo', { n: 1 }, 'o-deep')).toHaveProperty('result');
    const refused = await postRaw(
      '/callFunction',
      `{"name":"echo","openid":"o-deep","data":{"x":${nested(5000)}}}`,
    );
    expect(refused).toEqual({
      status: 200,
      json: {
        errCode: -501007,
        errMsg: 'invalid parameters: data nested deeper than 512 levels',
      },
    });
    // Much deeper still: the same answer, no crash of the server.
    const deeper = await postRaw(
      '/callFunction',
      `{"name":"echo","openid":"o-deep","data":${nested(200_000)}}`,
    );
    expect(deeper.json).toMatchObject({ errCode: -501007 });
    // Real data, even nested a few hundred levels, still reaches the function.
    const fine = await postRaw(
      '/callFunction',
      `{"name":"echo","openid":"o-deep","data":{"x":${nested(300)}}}`,
    );
    expect(fine.json).toHaveProperty('result');
    expect((await stats(cloud)).functions.byFunction.echo).toMatchObject({
      invocations: 2,
      errors: 0,
      coldStarts: 1,
    });
  });

  it('is refused the same way to a function calling another (functions.invokeFunction)', async () => {
    const runner = await sdk(cloud);
    try {
      const answer = await runner.run(async (wx) => {
        let data: Record<string, unknown> = { a: 1 };
        for (let i = 1; i < 600; i++) data = { a: data };
        try {
          await wx.callFunction({ name: 'echo', data });
          return 'ran';
        } catch (err) {
          return (err as { code?: unknown }).code;
        }
      }, undefined);
      expect(answer).toBe('INVALID_PARAM');
    } finally {
      await runner.close();
    }
  });
});

describe('a body over 8 MB', () => {
  it('gets 413, then the keep-alive connection is closed instead of hanging the next request on it', async () => {
    const socket = net.connect(cloud.port, '127.0.0.1');
    let received = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => (received += chunk));
    // The server closes while this side is still sending: a reset is the expected end here.
    socket.on('error', () => undefined);
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    const body = Buffer.alloc(9 * 1024 * 1024, 0x61);
    socket.write(
      `POST /callFunction HTTP/1.1\r\nHost: local\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${body.length}\r\nConnection: keep-alive\r\n\r\n`,
    );
    socket.write(body);
    socket.write('GET /health HTTP/1.1\r\nHost: local\r\n\r\n');
    let timer: NodeJS.Timeout | undefined;
    const outcome = await Promise.race([
      closed.then(() => 'closed'),
      new Promise<string>((resolve) => (timer = setTimeout(() => resolve('hung'), 15_000))),
    ]);
    clearTimeout(timer);
    socket.destroy();
    expect(outcome).toBe('closed');
    expect(received).toMatch(/^HTTP\/1\.1 413 [^\r]*\r\n/);
    expect(received.toLowerCase()).toContain('connection: close');
    // The server itself is fine: a new connection is answered.
    const health = await fetch(`${cloud.url}/health`).catch((err: unknown) => {
      throw new Error(`${String(err)}\n${cloud.output()}`);
    });
    expect(health.status).toBe(200);
  });
});
