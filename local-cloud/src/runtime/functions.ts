/**
 * Function folders as WeChat uploads them: `<root>/<name>/index.js` exporting `main(event, context)` and
 * `<root>/<name>/config.json` (timeout, openapi permissions, timer triggers, env variables).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** SCF's rule for function names: a letter first, then letters, digits, `-` or `_`, at most 60. */
export const FUNCTION_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,59}$/;
/** Same rule for trigger names (config.json documentation of timer triggers). */
const TRIGGER_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,59}$/;

/** The platform's default execution timeout and the ceiling the local cloud accepts, in seconds. */
export const DEFAULT_TIMEOUT_S = 3;
export const MAX_TIMEOUT_S = 60;

export interface TimerTrigger {
  name: string;
  /** 7-field cron: second minute hour day month weekday year, in China time. */
  config: string;
}

export interface FunctionConfig {
  timeoutMs: number;
  /** APIs the function may call through `cloud.openapi` (`permissions.openapi`). */
  openapi: string[];
  triggers: TimerTrigger[];
  envVariables: Record<string, string>;
}

export interface FunctionInfo {
  name: string;
  dir: string;
  entry: string;
  config: FunctionConfig;
  /** Changes when index.js or config.json changes (a redeploy): warm instances of older versions retire. */
  version: string;
}

/** A function folder exists but cannot be run as deployed. */
export class FunctionConfigError extends Error {}

const RACY_MS = 2000;

/**
 * A file's stamp (`mtime:size`), or undefined when it does not exist. `recent`: modified within the
 * last 2 s. The kernel stamps files from a coarse clock (a few ms), so two rewrites of the same size
 * that close together look the same; a folder read with a recent stamp is therefore not kept, and read
 * again next time (git's "racily clean" rule).
 */
function stamp(file: string): { at: string; recent: boolean } | undefined {
  const st = fs.statSync(file, { throwIfNoEntry: false });
  return st && { at: `${st.mtimeMs}:${st.size}`, recent: Date.now() - st.mtimeMs < RACY_MS };
}

export function parseConfig(raw: unknown, where: string): FunctionConfig {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new FunctionConfigError(`${where}: config.json must be an object`);
  }
  const cfg = raw as Record<string, unknown>;
  let timeoutS = DEFAULT_TIMEOUT_S;
  if (cfg.timeout !== undefined) {
    if (typeof cfg.timeout !== 'number' || !(cfg.timeout > 0) || cfg.timeout > MAX_TIMEOUT_S) {
      throw new FunctionConfigError(
        `${where}: timeout must be a number of seconds in (0, ${MAX_TIMEOUT_S}]`,
      );
    }
    timeoutS = cfg.timeout;
  }
  const permissions = (cfg.permissions ?? {}) as { openapi?: unknown };
  const openapi = Array.isArray(permissions.openapi)
    ? permissions.openapi.filter((x): x is string => typeof x === 'string')
    : [];
  const triggers: TimerTrigger[] = [];
  if (cfg.triggers !== undefined) {
    if (!Array.isArray(cfg.triggers))
      throw new FunctionConfigError(`${where}: triggers must be an array`);
    for (const t of cfg.triggers as unknown[]) {
      const trig = (t ?? {}) as Record<string, unknown>;
      if (trig.type !== 'timer') {
        throw new FunctionConfigError(
          `${where}: only "timer" triggers exist (got ${String(trig.type)})`,
        );
      }
      if (typeof trig.name !== 'string' || !TRIGGER_NAME.test(trig.name)) {
        throw new FunctionConfigError(`${where}: bad trigger name ${String(trig.name)}`);
      }
      if (typeof trig.config !== 'string') {
        throw new FunctionConfigError(`${where}: trigger ${trig.name} needs a cron "config"`);
      }
      triggers.push({ name: trig.name, config: trig.config });
    }
  }
  const envVariables: Record<string, string> = {};
  if (typeof cfg.envVariables === 'object' && cfg.envVariables !== null) {
    for (const [k, v] of Object.entries(cfg.envVariables as Record<string, unknown>)) {
      envVariables[k] = String(v);
    }
  }
  return { timeoutMs: Math.round(timeoutS * 1000), openapi, triggers, envVariables };
}

/**
 * The folders read so far, by directory: every invocation asks for its function (the gateway and the
 * pool each), and re-reading config.json each time cost the local cloud's one thread more than the
 * database work of a sold-out refusal (issue 16, bench:booking's profile). Two `stat`s tell whether a
 * folder is still the one read; a redeploy changes a stamp and the folder is read again (and a folder
 * modified in the last 2 s is not kept at all: `stamp`).
 */
const known = new Map<string, { stamps: string; info: FunctionInfo }>();

/**
 * Reads one function folder. `undefined` when there is no such deployed function (no folder or no
 * index.js); throws FunctionConfigError when config.json is unreadable.
 */
export function readFunction(root: string, name: string): FunctionInfo | undefined {
  if (!FUNCTION_NAME.test(name)) return undefined;
  const dir = path.join(root, name);
  const entry = path.join(dir, 'index.js');
  const configFile = path.join(dir, 'config.json');
  const entryStamp = stamp(entry);
  if (entryStamp === undefined) {
    known.delete(dir);
    return undefined;
  }
  const configStamp = stamp(configFile);
  const stamps = `${entryStamp.at}|${configStamp?.at ?? 'none'}`;
  const seen = known.get(dir);
  if (seen?.stamps === stamps && seen.info.name === name) return seen.info;
  let raw: unknown = {};
  let text = '';
  if (configStamp !== undefined) {
    try {
      text = fs.readFileSync(configFile, 'utf8');
      raw = JSON.parse(text);
    } catch (err) {
      known.delete(dir);
      throw new FunctionConfigError(`${name}/config.json: ${(err as Error).message}`);
    }
  }
  const info: FunctionInfo = {
    name,
    dir,
    entry,
    config: parseConfig(raw, `${name}/config.json`),
    // config.json by content: a rewrite the stamps cannot tell apart still retires warm instances.
    version: `${entryStamp.at}|${createHash('sha1').update(text).digest('base64url')}`,
  };
  if (entryStamp.recent || configStamp?.recent) known.delete(dir);
  else known.set(dir, { stamps, info });
  return info;
}

export function listFunctionNames(root: string): string[] {
  if (!fs.existsSync(root)) return [];
  return fs
    .readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory() && FUNCTION_NAME.test(d.name))
    .filter((d) => fs.existsSync(path.join(root, d.name, 'index.js')))
    .map((d) => d.name)
    .sort();
}
