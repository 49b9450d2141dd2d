/**
 * The local cloud a `test/cloud` file runs against, written once: started before the file's tests and
 * stopped after them, with the real `wx-server-sdk` runner (`db`) opened on it, and what the files need
 * around that — the demo data, the emulated clock pinned, latency or faults, a private copy of the built
 * functions, this process's own `wx-server-sdk` pointed at it, collections emptied before each test.
 *
 * `useLocalCloud` registers the hooks and answers `{ cloud, db, functions }` at once, so a file
 * destructures them at the top as it used to declare them; they reach the instances started in
 * `beforeAll` (before it, any use throws). Hooks run in the order registered: the file's own `beforeAll`,
 * `beforeEach` and `afterAll` come after these (its `afterAll` after the cloud is stopped).
 */
import {
  FunctionsCopy,
  sdk,
  setClock,
  startLocalCloud,
  removeAll,
  type LocalCloud,
  type SdkRunner,
} from '../../../local-cloud/client';

export interface LocalCloudOptions {
  /** Load the demo data (`--seed`); default true. */
  seed?: boolean;
  /**
   * Extra environment for the local cloud (`LOCALCLOUD_LATENCY_MS`, `LOCALCLOUD_FAULT_RATE`,
   * `LOCALCLOUD_SCHEMA`…); a function is called in `beforeAll`, for what is made there.
   */
  extraEnv?: Record<string, string> | (() => Record<string, string>);
  /**
   * The functions run from this private copy of the built folders (made in `beforeAll`, given as
   * `LOCALCLOUD_FUNCTIONS`, removed after the cloud stopped), e.g. to set a function's config.json.
   */
  functions?: () => FunctionsCopy;
  /** Pins the emulated clock here once started (epoch ms, e.g. `chinaTime('2026-06-22T10:00:00')`). */
  now?: number;
  /** Whether that first jump fires the timers that became due; default false (no side effects). */
  fireTriggers?: boolean;
  /**
   * Points this process's `wx-server-sdk` (server/shared/cloud) at the local cloud, for server code the
   * test runs itself against the same database as the functions.
   */
  inProcess?: boolean;
  /** Collections emptied (`removeAll`) before each test. */
  empty?: string[];
}

export interface LocalCloudHandle {
  cloud: LocalCloud;
  db: SdkRunner;
  /** The copy given by `functions` (throws when there is none). */
  functions: Pick<FunctionsCopy, 'root' | 'setConfig'>;
}

export function useLocalCloud(options: LocalCloudOptions = {}): LocalCloudHandle {
  let cloud: LocalCloud | undefined;
  let db: SdkRunner | undefined;
  let functions: FunctionsCopy | undefined;
  const started = (): { cloud: LocalCloud; db: SdkRunner } => {
    if (!cloud || !db)
      throw new Error('useLocalCloud: the local cloud is used before its beforeAll ran');
    return { cloud, db };
  };
  const copy = (): FunctionsCopy => {
    if (!functions)
      throw new Error(
        'useLocalCloud: no functions copy (option `functions`), or used before beforeAll',
      );
    return functions;
  };

  beforeAll(async () => {
    functions = options.functions?.();
    const extraEnv =
      typeof options.extraEnv === 'function' ? options.extraEnv() : (options.extraEnv ?? {});
    cloud = await startLocalCloud({
      seed: options.seed ?? true,
      extraEnv: functions ? { ...extraEnv, LOCALCLOUD_FUNCTIONS: functions.root } : extraEnv,
    });
    db = await sdk(cloud);
    if (options.now !== undefined)
      await setClock(cloud, options.now, { fireTriggers: options.fireTriggers ?? false });
    if (options.inProcess) {
      // Loaded only here: the files that do not need it stay without wx-server-sdk in this process.
      const { initCloud } = await import('../../../server/shared/cloud');
      Object.assign(process.env, cloud.env);
      initCloud();
    }
  });

  afterAll(async () => {
    await db?.close();
    await cloud?.stop();
    functions?.remove();
  });

  if (options.empty) {
    const collections = options.empty;
    beforeEach(async () => {
      await removeAll(started().db, collections);
    });
  }

  return {
    cloud: {
      get url() {
        return started().cloud.url;
      },
      get port() {
        return started().cloud.port;
      },
      get pid() {
        return started().cloud.pid;
      },
      get env() {
        return started().cloud.env;
      },
      output: () => started().cloud.output(),
      stop: () => started().cloud.stop(),
      kill9: () => started().cloud.kill9(),
    },
    db: {
      run: (fn, args) => started().db.run(fn, args),
      close: () => started().db.close(),
    },
    functions: {
      get root() {
        return copy().root;
      },
      setConfig: (name, changes) => copy().setConfig(name, changes),
    },
  };
}
