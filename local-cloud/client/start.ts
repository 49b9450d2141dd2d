/**
 * Starts the local cloud for a test, a benchmark or a tool: `startLocalCloud` runs the real CLI
 * (`local-cloud/src/cli.ts`, through tsx) in a child process on a free port and answers where it listens
 * and the environment that points `wx-server-sdk` at it.
 *
 * Every caller starts its own cloud (in memory unless told otherwise), so jest workers run suites in
 * parallel without sharing ports or data.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { clientEnv, DEFAULT_ENV_ID } from '../src/sdk-env';

/** The repository's root: the CLI runs from there, so `require('wx-server-sdk')` resolves. */
export const ROOT = path.resolve(__dirname, '../..');
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
  /** Extra environment for the local cloud, e.g. `{ LOCALCLOUD_FUNCTIONS: dir }`. */
  extraEnv?: Record<string, string>;
}

export interface LocalCloud {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** The local cloud's process id (its CPU time is read from it: `npm run bench:booking`). */
  pid: number;
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

export function waitForExit(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

export async function startLocalCloud(options: StartOptions = {}): Promise<LocalCloud> {
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    LOCALCLOUD_PORT: '0',
    ...options.extraEnv,
  };
  // Profiling (local-cloud/README.md): the main thread's profile too, written when it stops.
  const profile = env.LOCALCLOUD_CPU_PROF
    ? ['--cpu-prof', `--cpu-prof-dir=${env.LOCALCLOUD_CPU_PROF}`]
    : [];
  const args = [...profile, ...NODE_ARGS, CLI];
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
    let listening = false;
    child.stdout.on('data', (chunk: string) => {
      output += chunk;
      // Matched once: scanning the whole output again for every chunk of a long run made V8 flatten
      // an ever longer string each time, so the caller's CPU per call grew with everything logged
      // before (bench:booking's later runs, and its ceiling most, were measured slower than they were).
      if (listening) return;
      const match = /local-cloud listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(output);
      if (match) {
        listening = true;
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
    pid: child.pid ?? NaN,
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
