/**
 * Test harness for the local cloud. `startLocalCloud` runs the real CLI (`local-cloud/src/cli.ts` via tsx)
 * in a child process on a free port; `sdk` runs code through the real `wx-server-sdk` in ONE long-lived
 * child Node process initialised with the env that `npm run -s local-cloud:env` would print, so tests go
 * through the same HTTP path as a cloud function, cheaply; `callFunction` is what the mini program's
 * `wx.cloud.callFunction` does, over HTTP.
 *
 * Every test file starts its own cloud (in memory unless told otherwise), so jest workers run suites in
 * parallel without sharing ports or data.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { InvokeOutcome } from '../../../local-cloud/src/runtime/types';
import { clientEnv, DEFAULT_ENV_ID } from '../../../local-cloud/src/sdk-env';

export const ROOT = path.resolve(__dirname, '../../..');
export const FIXTURE_FUNCTIONS = path.join(ROOT, 'test', 'fixtures', 'functions');
const CLI = path.join(ROOT, 'local-cloud', 'src', 'cli.ts');
/**
 * tsx as a loader of this very process (`node --import tsx`), not the `tsx` command: that one runs the
 * script in a second process, so a SIGKILL would kill only the wrapper and leave the server running.
 */
const NODE_ARGS = ['--import', 'tsx'];
const START_TIMEOUT_MS = 30_000;

export interface StartOptions {
  /** Keep everything in memory. The default unless `dataDir` is given or `memory` is false. */
  memory?: boolean;
  /** Durable data directory; with `memory: false` and no `dataDir` a fresh temporary one is made. */
  dataDir?: string;
  /** Load the demo data (`--seed`). */
  seed?: boolean;
  /** Extra environment for the local cloud, e.g. `{ LOCALCLOUD_FUNCTIONS: FIXTURE_FUNCTIONS }`. */
  extraEnv?: Record<string, string>;
}

export interface LocalCloud {
  /** `http://127.0.0.1:<port>` */
  url: string;
  port: number;
  /** What `npm run -s local-cloud:env` prints for this instance, as a map. */
  env: Record<string, string>;
  /** Output of the child so far (request log lines, warnings), for assertions and failure messages. */
  output(): string;
  /** SIGTERM and wait for a clean exit. */
  stop(): Promise<void>;
  /** SIGKILL (a crash), and wait for the process to be gone. */
  kill9(): Promise<void>;
}

function waitForExit(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

export async function startLocalCloud(options: StartOptions = {}): Promise<LocalCloud> {
  const args = [...NODE_ARGS, CLI];
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    LOCALCLOUD_PORT: '0',
    ...options.extraEnv,
  };
  if (options.dataDir !== undefined) {
    env.LOCALCLOUD_DATA = options.dataDir;
  } else if (options.memory === false) {
    env.LOCALCLOUD_DATA = fs.mkdtempSync(path.join(os.tmpdir(), 'local-cloud-'));
  } else {
    args.push('--memory');
  }
  if (options.seed) args.push('--seed');

  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // A test process that ends without stop() must not leave a server behind.
  const reap = (): void => {
    child.kill('SIGKILL');
  };
  process.once('exit', reap);
  child.once('exit', () => process.removeListener('exit', reap));
  let output = '';
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => (output += chunk));

  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`local cloud did not listen within ${START_TIMEOUT_MS} ms:\n${output}`));
    }, START_TIMEOUT_MS);
    child.stdout.on('data', (chunk: string) => {
      output += chunk;
      const match = /local-cloud listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`local cloud exited (${code ?? signal}) before listening:\n${output}`));
    });
  });

  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    port,
    env: clientEnv(url, options.extraEnv?.LOCALCLOUD_ENV_ID ?? DEFAULT_ENV_ID),
    output: () => output,
    async stop() {
      const exited = waitForExit(child);
      child.kill('SIGTERM');
      await exited;
    },
    async kill9() {
      const exited = waitForExit(child);
      child.kill('SIGKILL');
      await exited;
    },
  };
}

// ---------------------------------------------------------------------------------------------------
// The SDK runner

type WxCloud = typeof import('wx-server-sdk');

export interface SdkRunner {
  /**
   * Runs `fn` inside the SDK child with the initialised `wx-server-sdk`. `fn` travels as source text, so
   * it must be self-contained: no closures over test variables or imports; pass values through `args`.
   * (Coverage instrumentation would inject counters into that text: run these suites without it.)
   * Values cross by structured clone (Dates and Buffers survive). A rejection comes back as an Error
   * carrying the SDK's `errCode` / `errMsg` / `code` when it had them.
   */
  run<T, A = undefined>(fn: (cloud: WxCloud, args: A) => Promise<T>, args?: A): Promise<T>;
  close(): Promise<void>;
}

export interface SdkError extends Error {
  errCode?: number | string;
  errMsg?: string;
  code?: string;
}

// Plain JavaScript for a plain `node -e`: the child must load wx-server-sdk exactly as a function would.
const SDK_CHILD = `
const cloud = require('wx-server-sdk');
cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV });
process.on('message', async (msg) => {
  try {
    const fn = (0, eval)('(' + msg.source + ')');
    const value = await fn(cloud, msg.args);
    process.send({ id: msg.id, ok: true, value });
  } catch (err) {
    const e = err || {};
    process.send({
      id: msg.id,
      ok: false,
      error: {
        message: String(e.message || e.errMsg || e),
        errCode: e.errCode, errMsg: e.errMsg, code: e.code, stack: e.stack,
      },
    });
  }
});
process.send({ ready: true });
`;

interface ChildReply {
  id?: number;
  ready?: boolean;
  ok?: boolean;
  value?: unknown;
  error?: {
    message: string;
    errCode?: number | string;
    errMsg?: string;
    code?: string;
    stack?: string;
  };
}

export async function sdk(cloud: Pick<LocalCloud, 'env'>): Promise<SdkRunner> {
  const child = spawn(process.execPath, ['-e', SDK_CHILD], {
    cwd: ROOT,
    env: { ...(process.env as Record<string, string>), ...cloud.env, SILENCE: 'true' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    serialization: 'advanced',
  });
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  let exited = false;

  await new Promise<void>((resolve, reject) => {
    child.once('message', (msg: ChildReply) =>
      msg.ready ? resolve() : reject(new Error('bad hello')),
    );
    child.once('exit', (code) => reject(new Error(`SDK child exited early (${code})`)));
  });
  child.on('message', (msg: ChildReply) => {
    if (msg.id === undefined) return;
    const waiter = pending.get(msg.id);
    if (!waiter) return;
    pending.delete(msg.id);
    if (msg.ok) {
      waiter.resolve(msg.value);
    } else {
      const info = msg.error ?? { message: 'unknown error' };
      const error: SdkError = Object.assign(new Error(info.message), {
        errCode: info.errCode,
        errMsg: info.errMsg,
        code: info.code,
      });
      if (info.stack) error.stack = `${info.stack}\n    --- in the SDK child ---`;
      waiter.reject(error);
    }
  });
  child.on('exit', (code) => {
    exited = true;
    for (const waiter of pending.values()) waiter.reject(new Error(`SDK child exited (${code})`));
    pending.clear();
  });

  return {
    run<T, A = undefined>(fn: (cloud: WxCloud, args: A) => Promise<T>, args?: A): Promise<T> {
      if (exited) return Promise.reject(new Error('SDK child is closed'));
      const id = nextId++;
      return new Promise<T>((resolve, reject) => {
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        child.send({ id, source: fn.toString(), args });
      });
    },
    async close() {
      if (exited) return;
      const done = waitForExit(child);
      child.kill('SIGTERM');
      await done;
    },
  };
}

// ---------------------------------------------------------------------------------------------------
// HTTP helpers

export async function postJson<T>(
  cloud: Pick<LocalCloud, 'url'>,
  route: string,
  body: unknown,
): Promise<T> {
  const res = await fetch(`${cloud.url}${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`POST ${route} → ${res.status}: ${text}`);
  return JSON.parse(text) as T;
}

export async function getJson<T>(cloud: Pick<LocalCloud, 'url'>, route: string): Promise<T> {
  const res = await fetch(`${cloud.url}${route}`);
  const text = await res.text();
  if (!res.ok) throw new Error(`GET ${route} → ${res.status}: ${text}`);
  return JSON.parse(text) as T;
}

/**
 * What `wx.cloud.callFunction({ name, data })` does from the mini program of the user `openid`: answers
 * `{ result }` or the platform's `{ errCode, errMsg }`.
 */
export function callFunction(
  cloud: Pick<LocalCloud, 'url'>,
  name: string,
  data: unknown,
  openid?: string,
): Promise<InvokeOutcome> {
  return postJson<InvokeOutcome>(cloud, '/callFunction', { name, data, openid });
}
