/**
 * Code run through the real `wx-server-sdk` against a local cloud: ONE long-lived child Node process
 * initialised with the environment `npm run -s local-cloud:env` would print, so callers go through the
 * same HTTP path as a cloud function, cheaply.
 */
import { spawn } from 'node:child_process';
import { ROOT, waitForExit, type LocalCloud } from './start';

type WxCloud = typeof import('wx-server-sdk');

export interface SdkRunner {
  /**
   * Runs `fn` inside the SDK child with the initialised `wx-server-sdk`. `fn` travels as source text, so
   * it must be self-contained: no closures over test variables or imports; pass values through `args`.
   * (Coverage instrumentation would inject counters into that text: run these suites without it.)
   * Values cross by structured clone (Dates and Buffers survive). A rejection comes back as an Error
   * carrying the SDK's `errCode` / `errMsg` / `code` when it had them.
   */
  run<T, const A = undefined>(fn: (cloud: WxCloud, args: A) => Promise<T>, args?: A): Promise<T>;
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
    run<T, const A = undefined>(fn: (cloud: WxCloud, args: A) => Promise<T>, args?: A): Promise<T> {
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
