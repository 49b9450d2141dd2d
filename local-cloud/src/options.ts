/** The local cloud's settings, from the command line and `LOCALCLOUD_*` variables (see the README). */
import path from 'node:path';
import { DEFAULT_APPID, DEFAULT_ENV_ID, DEFAULT_PORT } from './sdk-env';

export const ROOT = path.resolve(__dirname, '..', '..');

export interface LocalCloudOptions {
  host: string;
  /** 0 picks a free port (the harness does). */
  port: number;
  /** Durable data directory; undefined keeps everything in memory (`--memory`). */
  dataDir: string | undefined;
  seed: boolean;
  functionsDir: string;
  templatesFile: string;
  schemaFile: string;
  envId: string;
  appId: string;
  maxInstances: number;
  /** Added to each database request, uniformly drawn in [min, max] ms. */
  latencyMs: { min: number; max: number } | undefined;
  /** Fraction of database requests that fail transiently (half before applying, half after). */
  faultRate: number;
  /** One log line per request unless false. */
  logRequests: boolean;
}

export class OptionsError extends Error {}

function int(name: string, raw: string, min: number, max: number): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new OptionsError(`${name}=${raw}: expected an integer in [${min}, ${max}]`);
  }
  return n;
}

export function parseLatency(raw: string | undefined): LocalCloudOptions['latencyMs'] {
  if (raw === undefined || raw === '' || raw === '0') return undefined;
  const m = /^(\d+)(?:-(\d+))?$/.exec(raw.trim());
  if (!m)
    throw new OptionsError(`LOCALCLOUD_LATENCY_MS=${raw}: expected "min-max" or "ms", e.g. 5-40`);
  const min = Number(m[1]);
  const max = m[2] ? Number(m[2]) : min;
  if (max < min) throw new OptionsError(`LOCALCLOUD_LATENCY_MS=${raw}: max is below min`);
  return { min, max };
}

export function parseFaultRate(raw: string | undefined): number {
  if (raw === undefined || raw === '') return 0;
  const rate = Number(raw);
  if (!Number.isFinite(rate) || rate < 0 || rate > 1) {
    throw new OptionsError(`LOCALCLOUD_FAULT_RATE=${raw}: expected a fraction in [0, 1]`);
  }
  return rate;
}

export const USAGE = `usage: npm run local-cloud -- [--memory] [--seed]
  --memory   keep everything in memory (nothing read from or written to LOCALCLOUD_DATA)
  --seed     load the demo data (local-cloud/seed/demo-data.ts) into the database on start
  --help     this text
environment: LOCALCLOUD_PORT, LOCALCLOUD_DATA, LOCALCLOUD_FUNCTIONS, LOCALCLOUD_TEMPLATES,
  LOCALCLOUD_MAX_INSTANCES, LOCALCLOUD_LATENCY_MS, LOCALCLOUD_FAULT_RATE, LOCALCLOUD_ENV_ID,
  LOCALCLOUD_APPID, LOCALCLOUD_LOG, LOCALCLOUD_SCHEMA (see local-cloud/README.md)`;

export function parseOptions(argv: string[], env: NodeJS.ProcessEnv): LocalCloudOptions | 'help' {
  let memory = false;
  let seed = false;
  for (const arg of argv) {
    if (arg === '--memory') memory = true;
    else if (arg === '--seed') seed = true;
    else if (arg === '--help' || arg === '-h') return 'help';
    else throw new OptionsError(`unknown argument ${arg}\n${USAGE}`);
  }
  const fromRoot = (p: string): string => path.resolve(ROOT, p);
  return {
    host: '127.0.0.1',
    port: env.LOCALCLOUD_PORT
      ? int('LOCALCLOUD_PORT', env.LOCALCLOUD_PORT, 0, 65535)
      : DEFAULT_PORT,
    dataDir: memory ? undefined : fromRoot(env.LOCALCLOUD_DATA || '.local-cloud'),
    seed,
    functionsDir: fromRoot(env.LOCALCLOUD_FUNCTIONS || 'cloudfunctions'),
    templatesFile: fromRoot(env.LOCALCLOUD_TEMPLATES || 'local-cloud/templates.json'),
    schemaFile: fromRoot(env.LOCALCLOUD_SCHEMA || 'server/database/schema.json'),
    envId: env.LOCALCLOUD_ENV_ID || DEFAULT_ENV_ID,
    appId: env.LOCALCLOUD_APPID || DEFAULT_APPID,
    maxInstances: env.LOCALCLOUD_MAX_INSTANCES
      ? int('LOCALCLOUD_MAX_INSTANCES', env.LOCALCLOUD_MAX_INSTANCES, 1, 1000)
      : 20,
    latencyMs: parseLatency(env.LOCALCLOUD_LATENCY_MS),
    faultRate: parseFaultRate(env.LOCALCLOUD_FAULT_RATE),
    logRequests: env.LOCALCLOUD_LOG !== '0' && env.LOCALCLOUD_LOG !== 'off',
  };
}
