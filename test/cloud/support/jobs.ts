/**
 * Helpers for the timer jobs' tests (reminders, noshow-sweep, notify): running a job as its timer does,
 * reading documents raw, changing configuration the way an administrator does (raising
 * `configVersion`), and a private copy of the built functions whose `config.json` a test may change
 * (injected faults, a shorter timeout) without touching what ships.
 */
import fs from 'node:fs';
import path from 'node:path';
import { callFunction, ROOT, type LocalCloud, type SdkRunner } from './local-cloud';

type Cloud = Pick<LocalCloud, 'url'>;

/** Runs a job function as its timer would (no OPENID): answers its result, or throws on a failed run. */
export async function runJob(cloud: Cloud, name: string): Promise<Record<string, unknown>> {
  const outcome = await callFunction(cloud, name, {
    Type: 'Timer',
    TriggerName: 'test',
    Time: new Date().toISOString(),
    Message: '',
  });
  if (!('result' in outcome))
    throw new Error(`${name} failed: ${outcome.errCode} ${outcome.errMsg}`);
  return outcome.result as Record<string, unknown>;
}

/** Every document of `collection` matching `where` (raw, up to 1,000). */
export async function docs<T = Record<string, unknown>>(
  db: SdkRunner,
  collection: string,
  where: Record<string, unknown> = {},
): Promise<T[]> {
  return db.run(
    async (c, a) => {
      const res = (await c
        .database()
        .collection(a.collection)
        .where(a.where)
        .limit(1000)
        .get()) as {
        data: unknown[];
      };
      return res.data;
    },
    { collection, where },
  ) as Promise<T[]>;
}

export async function removeAll(db: SdkRunner, collections: string[]): Promise<void> {
  await db.run(async (c, names) => {
    const d = c.database();
    const _ = d.command;
    for (const name of names)
      await d
        .collection(name)
        .where({ _id: _.exists(true) })
        .remove();
  }, collections);
}

/**
 * Updates one document, raw. Each field given is replaced whole (an object value is not merged into the
 * stored one, as a plain update would do); dotted paths reach inside.
 */
export async function patch(
  db: SdkRunner,
  collection: string,
  id: string,
  data: Record<string, unknown>,
): Promise<void> {
  await db.run(
    async (c, a) => {
      const d = c.database();
      const replaced: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(a.data)) {
        replaced[key] = typeof value === 'object' && value !== null ? d.command.set(value) : value;
      }
      await d.collection(a.collection).doc(a.id).update({ data: replaced });
    },
    { collection, id, data },
  );
}

/** Changes configuration as an administrator does: the document, then `configVersion` raised. */
export async function configure(
  db: SdkRunner,
  collection: string,
  id: string,
  data: Record<string, unknown>,
): Promise<void> {
  await patch(db, collection, id, data);
  await db.run(async (c) => {
    const d = c.database();
    await d
      .collection('settings')
      .doc('global')
      .update({ data: { configVersion: d.command.inc(1) } });
  });
}

/**
 * A private root of functions for a test file: the built `booking` (linked) and copies of the job
 * functions, whose config.json `setConfig` rewrites (the local cloud then retires warm instances). Inside
 * the repository, so `require('wx-server-sdk')` resolves from the root `node_modules`.
 */
export class FunctionsCopy {
  readonly root: string;

  constructor(label: string, jobs: string[]) {
    this.root = path.join(ROOT, '.local-cloud', `functions-${label}-${process.pid}`);
    fs.rmSync(this.root, { recursive: true, force: true });
    fs.mkdirSync(this.root, { recursive: true });
    const built = path.join(ROOT, 'cloudfunctions');
    fs.symlinkSync(path.join(built, 'booking'), path.join(this.root, 'booking'), 'dir');
    for (const name of jobs) {
      const dir = path.join(this.root, name);
      fs.mkdirSync(dir);
      for (const file of ['index.js', 'package.json', 'config.json']) {
        const from = path.join(built, name, file);
        if (!fs.existsSync(from)) throw new Error(`${from} is missing: run the build first`);
        fs.copyFileSync(from, path.join(dir, file));
      }
    }
  }

  /** The shipped config.json of `name` with `changes` merged in (`envVariables`, `timeout`…). */
  setConfig(name: string, changes: Record<string, unknown>): void {
    const shipped = JSON.parse(
      fs.readFileSync(path.join(ROOT, 'cloudfunctions', name, 'config.json'), 'utf8'),
    ) as Record<string, unknown>;
    fs.writeFileSync(
      path.join(this.root, name, 'config.json'),
      JSON.stringify({ ...shipped, ...changes }),
    );
  }

  remove(): void {
    fs.rmSync(this.root, { recursive: true, force: true });
  }
}
