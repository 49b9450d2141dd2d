/**
 * Function instances like SCF runs them: each instance (a worker thread with its own process.env and
 * module registry) serves one invocation at a time and stays warm afterwards; at most `maxInstances`
 * live at once across all functions, further invocations wait in FIFO order; an instance that timed out
 * or crashed is discarded; idle instances of another function are retired to make room.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { buildSync } from 'esbuild';
import type { Clock } from '../clock';
import { sdkEnv } from '../sdk-env';
import { FunctionConfigError, readFunction, type FunctionInfo } from './functions';
import type { InvokeMessage, WorkerInit, WorkerReply } from './protocol';
import type { FiredTrigger, FunctionRuntime, InvokeContext, InvokeResult } from './types';

export interface PoolOptions {
  functionsDir: string;
  maxInstances: number;
  clock: Clock;
  envId: string;
  appId: string;
  /** The server's base URL, known once it listens. */
  baseUrl: () => string;
  /** Idle instances retire after this long (the platform reclaims them after some minutes). */
  idleMs?: number;
}

export interface FunctionStats {
  invocations: number;
  errors: number;
  timeouts: number;
  coldStarts: number;
}

export interface PoolStats {
  live: number;
  busy: number;
  queued: number;
  maxInstances: number;
  byFunction: Record<string, FunctionStats>;
}

/** Per-invocation variables: cleared before each invocation so none leaks into the next. */
const CONTEXT_VARS = [
  'WX_CONTEXT_KEYS',
  'WX_OPENID',
  'WX_APPID',
  'WX_UNIONID',
  'WX_CLIENTIP',
  'WX_CLIENTIPV6',
  'TCB_SOURCE',
];

let workerSource: string | undefined;

/** The worker's code, bundled once per process so workers run as plain Node (no TypeScript loader). */
function workerCode(): string {
  if (workerSource === undefined) {
    const out = buildSync({
      entryPoints: [path.join(__dirname, 'worker-main.ts')],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      write: false,
      logLevel: 'silent',
    });
    const [bundle] = out.outputFiles;
    if (bundle === undefined) throw new Error('esbuild wrote no worker bundle');
    workerSource = bundle.text;
  }
  return workerSource;
}

/** Loading index.js (SCF's initialisation phase) has its own, generous limit. */
const INIT_TIMEOUT_MS = 60_000;

class Instance {
  readonly worker: Worker;
  /** Settles once index.js is loaded (or failed to load). */
  readonly ready: Promise<void>;
  private settleReady: ((err?: Error) => void) | undefined;
  busy = false;
  dead = false;
  idleTimer: NodeJS.Timeout | undefined;
  private pending:
    { id: number; resolve: (r: WorkerReply) => void; reject: (e: Error) => void } | undefined;
  private nextId = 1;

  constructor(
    readonly info: FunctionInfo,
    env: Record<string, string>,
    clock: Clock,
    private readonly onDeath: (inst: Instance) => void,
  ) {
    const init: WorkerInit = {
      functionName: info.name,
      entry: info.entry,
      clockOffset: clock.sharedOffset,
    };
    this.worker = new Worker(workerCode(), {
      eval: true,
      workerData: init,
      env,
      // The local cloud runs under tsx; a function must not inherit its loader. LOCALCLOUD_CPU_PROF
      // (README): the instance writes a CPU profile there when it ends.
      execArgv: process.env.LOCALCLOUD_CPU_PROF
        ? ['--cpu-prof', `--cpu-prof-dir=${process.env.LOCALCLOUD_CPU_PROF}`]
        : [],
    });
    this.ready = new Promise<void>((resolve, reject) => {
      this.settleReady = (err) => (err ? reject(err) : resolve());
    });
    // Observed by runOn; a worker that dies before anyone waits must not be an unhandled rejection.
    this.ready.catch(() => undefined);
    this.worker.on('message', (reply: WorkerReply) => {
      if (reply.id === 0) {
        const e = reply.ok ? undefined : reply.error;
        this.settleReady?.(e ? new Error(e.stack ?? `${e.name}: ${e.message}`) : undefined);
        this.settleReady = undefined;
        return;
      }
      const p = this.pending;
      if (p?.id === reply.id) {
        this.pending = undefined;
        p.resolve(reply);
      }
    });
    this.worker.on('error', (err) => this.die(err));
    this.worker.on('exit', (code) => this.die(new Error(`instance exited with code ${code}`)));
  }

  get version(): string {
    return this.info.version;
  }

  run(msg: Omit<InvokeMessage, 'id'>): Promise<WorkerReply> {
    const id = this.nextId++;
    return new Promise<WorkerReply>((resolve, reject) => {
      this.pending = { id, resolve, reject };
      this.worker.postMessage({ ...msg, id });
    });
  }

  private die(err: Error): void {
    if (this.dead) return;
    this.dead = true;
    clearTimeout(this.idleTimer);
    this.settleReady?.(err);
    this.settleReady = undefined;
    const p = this.pending;
    this.pending = undefined;
    p?.reject(err);
    this.onDeath(this);
  }

  async kill(): Promise<void> {
    if (!this.dead) this.die(new Error('instance discarded'));
    await this.worker.terminate();
  }
}

interface Waiter {
  info: FunctionInfo;
  resolve: (inst: Instance) => void;
  reject: (err: Error) => void;
}

export class FunctionPool implements FunctionRuntime {
  private readonly instances = new Set<Instance>();
  private readonly queue: Waiter[] = [];
  private readonly stats = new Map<string, FunctionStats>();
  private closed = false;
  private readonly idleMs: number;
  /** Set by the trigger scheduler; the pool only delegates to it. */
  triggerFirer: (() => Promise<FiredTrigger[]>) | undefined;

  constructor(private readonly options: PoolOptions) {
    this.idleMs = options.idleMs ?? 10 * 60_000;
    // Fail fast at startup rather than on the first invocation.
    workerCode();
  }

  fireDueTriggers(): Promise<FiredTrigger[]> {
    return this.triggerFirer ? this.triggerFirer() : Promise.resolve([]);
  }

  private statsFor(name: string): FunctionStats {
    let s = this.stats.get(name);
    if (!s) {
      s = { invocations: 0, errors: 0, timeouts: 0, coldStarts: 0 };
      this.stats.set(name, s);
    }
    return s;
  }

  snapshot(): PoolStats {
    let busy = 0;
    for (const inst of this.instances) if (inst.busy) busy++;
    return {
      live: this.instances.size,
      busy,
      queued: this.queue.length,
      maxInstances: this.options.maxInstances,
      byFunction: Object.fromEntries([...this.stats].map(([k, v]) => [k, { ...v }])),
    };
  }

  async invoke(name: string, data: unknown, context: InvokeContext): Promise<InvokeResult> {
    if (this.closed)
      return { ok: false, failure: 'execute_fail', message: 'local cloud is closing' };
    let info: FunctionInfo | undefined;
    try {
      info = readFunction(this.options.functionsDir, name);
    } catch (err) {
      if (err instanceof FunctionConfigError) {
        return { ok: false, failure: 'execute_fail', message: err.message };
      }
      throw err;
    }
    if (!info) {
      return {
        ok: false,
        failure: 'not_found',
        message: 'FunctionName parameter could not be found.',
      };
    }
    const stats = this.statsFor(name);
    stats.invocations++;

    let inst: Instance;
    try {
      inst = await this.acquire(info, stats);
    } catch (err) {
      stats.errors++;
      return { ok: false, failure: 'execute_fail', message: (err as Error).message };
    }
    const result = await this.runOn(inst, info, data, context);
    if (!result.ok) {
      stats.errors++;
      if (result.failure === 'timeout') stats.timeouts++;
    }
    this.release(inst);
    return result;
  }

  private async runOn(
    inst: Instance,
    info: FunctionInfo,
    data: unknown,
    ctx: InvokeContext,
  ): Promise<InvokeResult> {
    const requestId = randomUUID();
    const { timeoutMs } = info.config;
    const env: Record<string, string> = { WX_APPID: this.options.appId };
    if (ctx.openid !== undefined) env.WX_OPENID = ctx.openid;
    if (ctx.source === 'http') {
      env.WX_CLIENTIP = '127.0.0.1';
      env.TCB_SOURCE = 'wx_client';
    }
    // getWXContext's SOURCE: `wx_trigger` for a run by a timer trigger (the documented enumeration).
    if (ctx.source === 'timer') env.TCB_SOURCE = 'wx_trigger';
    env.WX_CONTEXT_KEYS = Object.keys(env)
      .filter((k) => k.startsWith('WX_'))
      .join(',');
    const environ = Object.entries(env)
      .map(([k, v]) => `${k}=${v}`)
      .join(';');
    const context = {
      callbackWaitsForEmptyEventLoop: false,
      memory_limit_in_mb: 256,
      time_limit_in_ms: timeoutMs,
      request_id: requestId,
      function_name: info.name,
      function_version: '$LATEST',
      namespace: this.options.envId,
      tencentcloud_region: 'ap-shanghai',
      environ,
    };
    // The platform adds the caller to the event of a mini program call; handlers must tolerate it.
    const event =
      ctx.source === 'http' && typeof data === 'object' && data !== null && !Array.isArray(data)
        ? {
            ...(data as Record<string, unknown>),
            userInfo: { appId: this.options.appId, openId: ctx.openid },
          }
        : data;

    let initTimer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        inst.ready,
        new Promise<never>((_, reject) => {
          initTimer = setTimeout(() => {
            reject(new Error(`Initialization timed out after ${INIT_TIMEOUT_MS / 1000} seconds`));
          }, INIT_TIMEOUT_MS);
        }),
      ]);
    } catch (err) {
      void inst.kill();
      return { ok: false, failure: 'execute_fail', message: (err as Error).message };
    } finally {
      clearTimeout(initTimer);
    }

    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<InvokeResult>((resolve) => {
      timer = setTimeout(() => {
        void inst.kill();
        const s = timeoutMs / 1000;
        resolve({
          ok: false,
          failure: 'timeout',
          message: `Invoking task timed out after ${s} seconds`,
          timeoutS: s,
        });
      }, timeoutMs);
    });
    const ran = inst
      .run({ event, context, env, unsetEnv: CONTEXT_VARS })
      .then((reply): InvokeResult => {
        if (reply.ok)
          return { ok: true, result: JSON.parse(reply.json) as unknown, json: reply.json };
        const e = reply.error;
        return {
          ok: false,
          failure: 'execute_fail',
          message: e.stack ?? `${e.name}: ${e.message}`,
        };
      })
      .catch((err: unknown): InvokeResult => {
        void inst.kill();
        return { ok: false, failure: 'execute_fail', message: (err as Error).message };
      });
    try {
      return await Promise.race([ran, timedOut]);
    } finally {
      clearTimeout(timer);
    }
  }

  private baseEnv(info: FunctionInfo): Record<string, string> {
    const inherited: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) {
      if (v !== undefined && !k.startsWith('LOCALCLOUD_') && !CONTEXT_VARS.includes(k)) {
        inherited[k] = v;
      }
    }
    return {
      ...inherited,
      // Cloud functions run in UTC (R3): a function that reads local time gets what production gives it.
      TZ: 'UTC',
      ...sdkEnv(`${this.options.baseUrl()}/admin/fn/${info.name}`, this.options.envId),
      // WeChat's server API (api.weixin.qq.com) as the local cloud emulates it: the real-name checks.
      WX_API_BASE: `${this.options.baseUrl()}/wxapi`,
      SCF_FUNCTIONNAME: info.name,
      SCF_FUNCTIONVERSION: '$LATEST',
      ...info.config.envVariables,
    };
  }

  private createInstance(info: FunctionInfo, stats: FunctionStats): Instance {
    stats.coldStarts++;
    const inst = new Instance(info, this.baseEnv(info), this.options.clock, (dead) => {
      this.instances.delete(dead);
      // Deferred: a death can happen inside tryAcquire (retiring a victim), i.e. inside pump itself.
      setImmediate(() => this.pump());
    });
    this.instances.add(inst);
    return inst;
  }

  /** An instance for `info` right now, or undefined when the cap is reached and none can be retired. */
  private tryAcquire(info: FunctionInfo, stats: FunctionStats): Instance | undefined {
    let victim: Instance | undefined;
    for (const inst of this.instances) {
      if (inst.busy || inst.dead) continue;
      if (inst.info.name === info.name && inst.version === info.version) {
        inst.busy = true;
        clearTimeout(inst.idleTimer);
        return inst;
      }
      if (inst.info.name === info.name) {
        // Redeployed since this instance started: the platform would not route to it again.
        this.instances.delete(inst);
        void inst.kill();
        continue;
      }
      victim ??= inst;
    }
    if (this.instances.size >= this.options.maxInstances) {
      if (!victim) return undefined;
      this.instances.delete(victim);
      void victim.kill();
    }
    const inst = this.createInstance(info, stats);
    inst.busy = true;
    return inst;
  }

  private acquire(info: FunctionInfo, stats: FunctionStats): Promise<Instance> {
    if (this.queue.length === 0) {
      const inst = this.tryAcquire(info, stats);
      if (inst) return Promise.resolve(inst);
    }
    return new Promise<Instance>((resolve, reject) => {
      this.queue.push({ info, resolve, reject });
    });
  }

  private pump(): void {
    for (let head = this.queue[0]; head !== undefined && !this.closed; head = this.queue[0]) {
      const inst = this.tryAcquire(head.info, this.statsFor(head.info.name));
      if (!inst) return;
      this.queue.shift();
      head.resolve(inst);
    }
  }

  private release(inst: Instance): void {
    if (inst.dead) {
      this.pump();
      return;
    }
    inst.busy = false;
    clearTimeout(inst.idleTimer);
    inst.idleTimer = setTimeout(() => {
      this.instances.delete(inst);
      void inst.kill();
    }, this.idleMs);
    inst.idleTimer.unref();
    this.pump();
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const waiter of this.queue.splice(0)) waiter.reject(new Error('local cloud is closing'));
    const all = [...this.instances];
    this.instances.clear();
    await Promise.all(all.map((inst) => inst.kill()));
  }
}
