/**
 * The consents and the outbox (`<LOCALCLOUD_DATA>/openapi.json`, src/openapi/subscribe.ts) survive a
 * `kill -9`: the local cloud (real CLI, durable data directory) holding a large state — 2,000 consents
 * and 20 sent messages of 250 KB each planted in the file, so that each rewrite of its 5 MB takes long
 * enough to be caught under way — takes consents from four writers in a loop and is killed with SIGKILL several times: at a random moment, or the moment a rewrite is
 * seen under way. Restarted on the same directory each time, it must start, and hold every consent it
 * acknowledged and everything planted. A leftover temporary file (a write the kill cut short) is ignored
 * and removed.
 *
 * OPENAPI_CRASH_ROUNDS sets how many kills (default 6).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  outbox,
  startLocalCloud,
  subscribe,
  subscriptions,
  type LocalCloud,
} from '../../local-cloud/client';

const ROUNDS = Number(process.env.OPENAPI_CRASH_ROUNDS ?? '6');
const TEMPLATE = 'local-booking-reminder';
const PLANTED_CONSENTS = 2_000;
const PLANTED_MESSAGES = 20;
/** Long values (no template limits apply to what is planted): the file is written, not stringified. */
const PLANTED_VALUE = 'x'.repeat(250_000);
const WRITERS = 4;

jest.setTimeout(60_000 + ROUNDS * 20_000);

let dir: string;
let data: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'openapi-crash-'));
  data = path.join(dir, 'data');
  fs.mkdirSync(data);
});

afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function plant(): void {
  const consents = Array.from({ length: PLANTED_CONSENTS }, (_x, i) => ({
    openid: `o-planted-${i}`,
    templateId: TEMPLATE,
    remaining: 1 + (i % 3),
  }));
  const messages = Array.from({ length: PLANTED_MESSAGES }, (_x, i) => ({
    msgid: String(1_000_000 + i),
    touser: `o-planted-${i}`,
    templateId: TEMPLATE,
    page: 'pages/booking-detail/index?id=b1',
    miniprogramState: 'formal',
    lang: 'zh_CN',
    data: {
      character_string1: { value: `A${String(i).padStart(5, '0')}` },
      time2: { value: '2026-12-02 09:00~10:00' },
      thing3: { value: '思明区交警大队车管窗口' },
      thing4: { value: PLANTED_VALUE },
    },
    sentAt: 1_780_000_000_000 + i,
    function: 'reminders',
  }));
  fs.writeFileSync(path.join(data, 'openapi.json'), JSON.stringify({ consents, outbox: messages }));
}

const options = () => ({ dataDir: data, extraEnv: { LOCALCLOUD_LOG: '0' } });

/** What the restarted cloud must hold: everything planted and every acknowledged consent. */
async function expectHeld(cloud: LocalCloud, acknowledged: string[]): Promise<void> {
  const held = new Map((await subscriptions(cloud)).map((s) => [s.openid, s.remaining]));
  const planted = Array.from({ length: PLANTED_CONSENTS }, (_x, i) => held.get(`o-planted-${i}`));
  expect(planted.filter((r, i) => r !== 1 + (i % 3))).toEqual([]);
  expect(acknowledged.filter((openid) => held.get(openid) !== 1)).toEqual([]);
  expect((await outbox(cloud)).length).toBe(PLANTED_MESSAGES);
}

describe('consents and outbox across kill -9', () => {
  it('starts and holds every acknowledged consent after kills at random moments and mid-write', async () => {
    plant();
    const acknowledged: string[] = [];
    let cloud = await startLocalCloud(options());
    for (let round = 0; round < ROUNDS; round += 1) {
      await expectHeld(cloud, acknowledged);
      const target = 1 + Math.floor(Math.random() * 3);
      let roundAcks = 0;
      let next = 0;
      let stop = false;
      const writers = Array.from({ length: WRITERS }, async () => {
        while (!stop) {
          const openid = `o-crash-${round}-${next++}`;
          try {
            await subscribe(cloud, openid, TEMPLATE);
          } catch {
            return; // the server is gone: this consent was not acknowledged
          }
          acknowledged.push(openid);
          roundAcks += 1;
        }
      });
      // Once 1 to 3 of this round's consents are acknowledged (the server rewrites the file back to
      // back for the writers), the kill comes at a random moment in even rounds, and in odd rounds
      // the moment a rewrite is seen under way: a temporary file beside the state, or the state
      // itself cut short.
      const baseline = fs.statSync(path.join(data, 'openapi.json')).size;
      const writing = () =>
        fs.readdirSync(data).some((f) => f.startsWith('openapi.json.')) ||
        (fs.statSync(path.join(data, 'openapi.json'), { throwIfNoEntry: false })?.size ?? 0) <
          baseline / 2;
      while (roundAcks < target) await new Promise((resolve) => setTimeout(resolve, 5));
      if (round % 2 === 0) {
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 300));
      } else {
        while (!writing()) await new Promise((resolve) => setImmediate(resolve));
      }
      await cloud.kill9();
      stop = true;
      await Promise.all(writers);
      cloud = await startLocalCloud(options());
    }
    await expectHeld(cloud, acknowledged);
    await cloud.stop();
    expect(
      fs.readdirSync(data).filter((f) => f.includes('openapi.json') && f !== 'openapi.json'),
    ).toEqual([]);
  });

  it('ignores and removes a temporary file a kill left behind', async () => {
    plant();
    const good = fs.readFileSync(path.join(data, 'openapi.json'), 'utf8');
    // What a kill in the middle of a rewrite leaves: the old file whole, a cut temporary one beside it.
    fs.writeFileSync(path.join(data, 'openapi.json.1a2b3c4d.tmp'), good.slice(0, good.length / 2));
    const cloud = await startLocalCloud(options());
    try {
      await expectHeld(cloud, []);
      expect(fs.readdirSync(data).filter((f) => f.endsWith('.tmp'))).toEqual([]);
      await subscribe(cloud, 'o-after', TEMPLATE);
    } finally {
      await cloud.stop();
    }
    const restarted = await startLocalCloud(options());
    try {
      await expectHeld(restarted, ['o-after']);
    } finally {
      await restarted.stop();
    }
  });
});
