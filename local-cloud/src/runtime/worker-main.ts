/**
 * One function instance: a worker thread that loads the function's index.js when it starts (SCF's
 * initialisation phase, timed separately from invocations) and keeps its module state while warm. It handles one invocation at a time (the pool
 * never sends a second before the first answers). Bundled by esbuild and started with `eval`, so it runs
 * as plain Node without the TypeScript loader the local cloud itself runs under.
 */
import { createRequire } from 'node:module';
import { parentPort, workerData } from 'node:worker_threads';
import type { InvokeMessage, WorkerInit, WorkerReply } from './protocol';

const init = workerData as WorkerInit;
const offset = new BigInt64Array(init.clockOffset);
const RealDate = Date;
const realNow = RealDate.now.bind(RealDate);

function emulatedNow(): number {
  return realNow() + Number(Atomics.load(offset, 0));
}

/**
 * `Date` as the function sees it: `Date.now()`, `new Date()` and `Date()` read the emulated clock; every
 * other use (`new Date(ms)`, `Date.UTC`, `instanceof Date`, subclassing) behaves as the real one.
 */
const EmulatedDate = new Proxy(RealDate, {
  construct(target, args: unknown[], newTarget: new (...a: unknown[]) => object) {
    return Reflect.construct(
      target,
      args.length === 0 ? [emulatedNow()] : args,
      newTarget,
    ) as object;
  },
  apply() {
    return new RealDate(emulatedNow()).toString();
  },
  get(target, prop, receiver) {
    if (prop === 'now') return emulatedNow;
    return Reflect.get(target, prop, receiver) as unknown;
  },
});
globalThis.Date = EmulatedDate;

type Main = (event: unknown, context: unknown) => unknown;
let main: Main | undefined;

function load(): Main {
  if (main) return main;
  const requireFromFunction = createRequire(init.entry);
  const mod = requireFromFunction(init.entry) as { main?: unknown };
  if (typeof mod.main !== 'function') {
    throw new Error(`${init.functionName}/index.js does not export main`);
  }
  main = mod.main as Main;
  return main;
}

function describe(err: unknown): { name: string; message: string; stack?: string } {
  if (err instanceof Error) return { name: err.name, message: err.message, stack: err.stack };
  let message: string;
  try {
    message = typeof err === 'string' ? err : JSON.stringify(err);
  } catch {
    message = String(err);
  }
  return { name: 'Error', message };
}

const port = parentPort;
if (!port) throw new Error('worker-main must run in a worker thread');

port.on('message', (msg: InvokeMessage) => {
  // The per-invocation context (OPENID…) is process.env, which getWXContext() reads at call time.
  for (const key of msg.unsetEnv) Reflect.deleteProperty(process.env, key);
  Object.assign(process.env, msg.env);
  let reply: WorkerReply;
  Promise.resolve()
    .then(() => load()(msg.event, msg.context))
    .then(
      (result) => {
        let json: string;
        try {
          json = JSON.stringify(result === undefined ? null : result);
        } catch (err) {
          reply = { id: msg.id, ok: false, error: describe(err) };
          return;
        }
        reply = { id: msg.id, ok: true, json };
      },
      (err: unknown) => {
        reply = { id: msg.id, ok: false, error: describe(err) };
      },
    )
    .finally(() => port.postMessage(reply))
    .catch(() => undefined);
});

// Initialisation: load the module now and say so, so that the pool starts the execution timeout only
// once the function is ready, as SCF separates its initialisation timeout from the execution timeout.
try {
  load();
  port.postMessage({ id: 0, ok: true, json: 'null' } satisfies WorkerReply);
} catch (err) {
  port.postMessage({ id: 0, ok: false, error: describe(err) } satisfies WorkerReply);
}
