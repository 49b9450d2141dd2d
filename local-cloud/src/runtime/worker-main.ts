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
 *
 * A plain constructor function, not a Proxy: every `new Date(ms)` and `Date.UTC` a function makes went
 * through a Proxy trap, a cost the platform's own `Date` does not have (it made a booking's date
 * arithmetic about twice as slow, issue 16). The dates it makes are real `Date` objects: the prototype is
 * the real one and the instances come from the real constructor.
 */
function EmulatedDate(this: unknown, ...args: unknown[]): unknown {
  // Called without `new`, `Date()` ignores its arguments and answers the current time as a string.
  const target = new.target as unknown;
  if (target === undefined) return new RealDate(emulatedNow()).toString();
  if (target === EmulatedDate) {
    // The common cases without the spread; the arguments' count matters (`new Date(2026, 0)`).
    if (args.length === 0) return new RealDate(emulatedNow());
    if (args.length === 1) return new RealDate(args[0] as number);
  }
  // A subclass (`class D extends Date`), or more fields: the real constructor, for `new.target`.
  return Reflect.construct(
    RealDate,
    args.length === 0 ? [emulatedNow()] : args,
    target as new (...a: unknown[]) => object,
  ) as object;
}
// What the real one has: `Date.UTC`, `Date.parse` through the prototype chain, its own `prototype`
// (so `instanceof` holds both ways), `length` 7 and `name` 'Date'; `now` reads the emulated clock.
Object.setPrototypeOf(EmulatedDate, RealDate);
Object.defineProperties(EmulatedDate, {
  prototype: { value: RealDate.prototype, writable: false, enumerable: false, configurable: false },
  length: { value: RealDate.length },
  name: { value: RealDate.name },
  now: { value: emulatedNow, writable: true, enumerable: false, configurable: true },
});
globalThis.Date = EmulatedDate as unknown as DateConstructor;

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
