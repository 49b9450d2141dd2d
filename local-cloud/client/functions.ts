/**
 * Functions on the local cloud as their timers run them, and a private copy of the built functions whose
 * `config.json` a caller may change (injected faults, a shorter timeout) without touching what ships.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { TriggerRunAnswer } from '../src/server';
import { postJson } from './http';
import { ROOT, type LocalCloud } from './start';

/** The functions the CLI serves by default (`LOCALCLOUD_FUNCTIONS`), as `npm run build` leaves them. */
const BUILT = path.join(ROOT, 'cloudfunctions');

/**
 * Runs a function's timer trigger now, as the platform runs it (`POST /trigger`: the SCF timer event,
 * SOURCE `wx_trigger`, no OPENID): answers its result, or throws on a failed run. `trigger` names one
 * when the function has several.
 */
export async function runJob(
  cloud: Pick<LocalCloud, 'url'>,
  name: string,
  trigger?: string,
): Promise<Record<string, unknown>> {
  const ran = await postJson<TriggerRunAnswer>(cloud, '/trigger', { function: name, trigger });
  if (!ran.ok) throw new Error(`${name} failed: ${ran.error ?? 'unknown'}`);
  return ran.result as Record<string, unknown>;
}

/**
 * A private root of functions (give it as `LOCALCLOUD_FUNCTIONS`) holding only the built functions named:
 * `copy` ones copied, so that `setConfig` may rewrite their config.json (the local cloud then retires warm
 * instances), `link` ones linked as built. Functions left out are absent, timers included. Inside the
 * repository, so `require('wx-server-sdk')` resolves from the root `node_modules`.
 */
export class FunctionsCopy {
  readonly root: string;

  constructor(label: string, functions: { copy: string[]; link?: string[] }) {
    const { copy: copied, link = [] } = functions;
    this.root = path.join(ROOT, '.local-cloud', `functions-${label}-${process.pid}`);
    fs.rmSync(this.root, { recursive: true, force: true });
    fs.mkdirSync(this.root, { recursive: true });
    for (const name of copied) {
      const dir = path.join(this.root, name);
      fs.mkdirSync(dir);
      for (const file of ['index.js', 'package.json', 'config.json']) {
        const from = path.join(BUILT, name, file);
        if (!fs.existsSync(from)) throw new Error(`${from} is missing: run the build first`);
        fs.copyFileSync(from, path.join(dir, file));
      }
    }
    for (const name of link) {
      fs.symlinkSync(path.join(BUILT, name), path.join(this.root, name), 'dir');
    }
  }

  /** The shipped config.json of `name` with `changes` merged in (`envVariables`, `timeout`…). */
  setConfig(name: string, changes: Record<string, unknown>): void {
    const shipped = JSON.parse(
      fs.readFileSync(path.join(BUILT, name, 'config.json'), 'utf8'),
    ) as Record<string, unknown>;
    // Written whole then renamed, as a deployment replaces a function at once: the local cloud's
    // every-second trigger check must never read half a file.
    const tmp = path.join(this.root, `.${name}.config.json.tmp`);
    fs.writeFileSync(tmp, JSON.stringify({ ...shipped, ...changes }));
    fs.renameSync(tmp, path.join(this.root, name, 'config.json'));
  }

  remove(): void {
    fs.rmSync(this.root, { recursive: true, force: true });
  }
}
