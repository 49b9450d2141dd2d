/**
 * What `npm run -s local-cloud:env` prints makes a plain Node script with wx-server-sdk use the local cloud
 * (here: read the seeded demo data); and the database knobs LOCALCLOUD_LATENCY_MS / LOCALCLOUD_FAULT_RATE.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  callFunction,
  type LocalCloud,
  ROOT,
  sdk,
  startLocalCloud,
  stats,
} from '../../local-cloud/client';
import { FIXTURE_FUNCTIONS } from './support/fixtures';

jest.setTimeout(90_000);

const run = promisify(execFile);

describe('local-cloud:env', () => {
  let cloud: LocalCloud;

  beforeAll(async () => {
    cloud = await startLocalCloud({ seed: true });
  });

  afterAll(async () => {
    await cloud.stop();
  });

  it('prints export lines that let a plain Node script read the seeded data', async () => {
    const script = [
      "const cloud = require('wx-server-sdk');",
      'cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV });',
      "cloud.database().collection('offices').get()",
      '  .then((res) => console.log(JSON.stringify(res.data.map((o) => o.name))))',
      '  .catch((err) => { console.error(err); process.exit(1); });',
    ].join('\n');
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? os.tmpdir(),
      LOCALCLOUD_PORT: String(cloud.port),
    };
    // The printer's own output, evaluated by a POSIX shell exactly as the README says.
    const { stdout } = await run(
      'bash',
      ['-c', `eval "$(npm run -s local-cloud:env)" && node -e "$SCRIPT"`],
      { cwd: ROOT, env: { ...env, SCRIPT: script } },
    );
    const names = JSON.parse(stdout.trim().split('\n').pop() ?? '[]') as string[];
    expect(names).toContainEqual(expect.stringContaining('思明'));
  });

  it('prints the same variables the test harness uses', async () => {
    const { stdout } = await run('npm', ['run', '-s', 'local-cloud:env'], {
      cwd: ROOT,
      env: { ...process.env, LOCALCLOUD_PORT: String(cloud.port) },
    });
    const printed = Object.fromEntries(
      stdout
        .trim()
        .split('\n')
        .map((line) => {
          const m = /^export ([A-Z_]+)='(.*)'$/.exec(line);
          if (!m) throw new Error(`not an export line: ${line}`);
          return [m[1], m[2]];
        }),
    );
    expect(printed).toEqual(cloud.env);
  });
});

describe('database knobs', () => {
  it('LOCALCLOUD_LATENCY_MS delays every database request', async () => {
    const slow = await startLocalCloud({ extraEnv: { LOCALCLOUD_LATENCY_MS: '300-300' } });
    const runner = await sdk(slow);
    try {
      const elapsed = await runner.run(async (c) => {
        const started = Date.now();
        await c.database().collection('offices').limit(1).get();
        return Date.now() - started;
      });
      expect(elapsed).toBeGreaterThanOrEqual(300);
    } finally {
      await runner.close();
      await slow.stop();
    }
  });

  it('LOCALCLOUD_FAULT_RATE fails requests transiently, half before and half after applying', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'local-cloud-faults-'));
    const faulty = await startLocalCloud({
      dataDir,
      extraEnv: { LOCALCLOUD_FAULT_RATE: '1', LOCALCLOUD_FUNCTIONS: FIXTURE_FUNCTIONS },
    });
    const attempts = 40;
    const outcomes = await Promise.all(
      Array.from({ length: attempts }, (_, i) =>
        callFunction(faulty, 'dbwrite', { collection: 'offices', doc: { name: `fault-${i}` } }),
      ),
    );
    const s = await stats(faulty);
    await faulty.stop();

    // Every write failed for its caller with the platform's "resource server timeout"…
    const unexpected = outcomes.filter(
      (o) => !('errCode' in o && o.errMsg.includes('-501002 resource server timeout')),
    );
    expect(unexpected).toEqual([]);
    const { beforeApplying, afterApplying } = s.faultsInjected;
    expect(beforeApplying + afterApplying).toBe(attempts);
    expect(beforeApplying).toBeGreaterThan(0);
    expect(afterApplying).toBeGreaterThan(0);

    // …yet those failed after applying were written, as a lost acknowledgement leaves them.
    const clean = await startLocalCloud({ dataDir });
    const runner = await sdk(clean);
    try {
      const written = await runner.run(async (c) => {
        const res = (await c
          .database()
          .collection('offices')
          .where({ name: c.database().RegExp({ regexp: '^fault-' }) })
          .count()) as { total: number };
        return res.total;
      });
      expect(written).toBe(afterApplying);
    } finally {
      await runner.close();
      await clean.stop();
    }
  });
});
