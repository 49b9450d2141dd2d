/**
 * The database module itself, called with request bodies as wx-server-sdk 4.0.2 sends them (captured
 * from @cloudbase/database 1.4.3: query/data/order/projection are canonical EJSON strings): the exact
 * answer shapes, errors for malformed bodies (never a crash), imports, and durability across a reopen.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Clock } from '../../local-cloud/src/clock';
import { openDatabase, type LocalDatabase } from '../../local-cloud/src/db';
import type { DatabaseSchema } from '../../local-cloud/src/db/types';

const SCHEMA: DatabaseSchema = {
  collections: {
    things: {
      rule: { read: false, write: false },
      indexes: [{ name: 'code_unique', keys: { code: 1 }, unique: true }],
    },
  },
};

/** What the SDK adds to every body; the database ignores it. */
const ENVELOPE = {
  envName: 'dev',
  wxCloudApiToken: '',
  wxCloudbaseAccesstoken: '',
  tcb_sessionToken: '',
  crossAuthorizationToken: '',
};

function body(action: string, fields: Record<string, unknown>): Record<string, unknown> {
  return { ...fields, action: `database.${action}`, ...ENVELOPE };
}

const int = (n: number): { $numberInt: string } => ({ $numberInt: String(n) });

let db: LocalDatabase;
let requestId = 0;
const call = (b: Record<string, unknown>): Promise<Record<string, unknown>> =>
  db.handle(b, `r${++requestId}`);

beforeEach(async () => {
  db = await openDatabase({ clock: new Clock(), schema: SCHEMA });
});

afterEach(async () => {
  await db.close();
});

describe('answer shapes the SDK reads', () => {
  it('answers each action as @cloudbase/database expects', async () => {
    const insert = await call(
      body('insertDocument', {
        collectionName: 'things',
        data: [
          JSON.stringify({ _id: 'a', code: 'x', n: int(1) }),
          JSON.stringify({ _id: 'b', code: 'y' }),
        ],
      }),
    );
    const where = await call(
      body('getDocument', {
        collectionName: 'things',
        queryType: 'WHERE',
        query: JSON.stringify({ n: { $gt: int(0) } }),
        limit: 100,
      }),
    );
    const doc = await call(
      body('getDocument', {
        collectionName: 'things',
        query: JSON.stringify({ _id: 'b' }),
        queryType: 'DOC',
        multi: false,
      }),
    );
    const count = await call(
      body('calculateDocument', { collectionName: 'things', queryType: 'WHERE' }),
    );
    const update = await call(
      body('modifyDocument', {
        collectionName: 'things',
        queryType: 'DOC',
        query: JSON.stringify({ _id: 'a' }),
        data: JSON.stringify({ $inc: { n: int(2) } }),
        multi: false,
        merge: true,
        upsert: false,
      }),
    );
    const upsert = await call(
      body('modifyDocument', {
        collectionName: 'things',
        queryType: 'DOC',
        query: JSON.stringify({ _id: 'c' }),
        data: JSON.stringify({ code: 'z' }),
        multi: false,
        merge: false,
        upsert: true,
      }),
    );
    const remove = await call(
      body('removeDocument', {
        collectionName: 'things',
        query: JSON.stringify({ code: { $in: ['y', 'z'] } }),
        queryType: 'WHERE',
        multi: true,
      }),
    );
    const aggregate = await call(
      body('aggregateDocuments', {
        collectionName: 'things',
        stages: [{ stageKey: '$project', stageValue: JSON.stringify({ _id: int(0), n: int(1) }) }],
      }),
    );
    const start = await call(body('startTransaction', {}));
    const commit = await call(body('commitTransaction', { transactionId: start.transactionId }));
    expect([insert, where, doc, count, update, upsert, remove, aggregate, start, commit]).toEqual([
      { data: { insertedIds: ['a', 'b'] }, requestId: 'r1' },
      { data: { list: ['{"_id":"a","code":"x","n":1}'], offset: 0, limit: 100 }, requestId: 'r2' },
      { data: { list: ['{"_id":"b","code":"y"}'] }, requestId: 'r3' },
      { data: { total: 2 }, requestId: 'r4' },
      { data: { updated: 1 }, requestId: 'r5' },
      { data: { updated: 0, upsert_id: 'c' }, requestId: 'r6' },
      { data: { deleted: 2 }, requestId: 'r7' },
      { data: { list: ['{"n":3}'] }, requestId: 'r8' },
      { transactionId: expect.stringMatching(/^[0-9a-f]{32}$/) as unknown, requestId: 'r9' },
      { requestId: 'r10' },
    ]);
  });

  it('writes dates and non-finite numbers as Extended JSON the SDK parses back', async () => {
    await call(
      body('insertDocument', {
        collectionName: 'things',
        data: [
          JSON.stringify({
            _id: 'd',
            at: { $date: { $numberLong: '1767225600000' } },
            inf: { $numberDouble: 'Infinity' },
            big: { $numberLong: '1099511627776' },
            f: { $numberDouble: '2.5' },
          }),
        ],
      }),
    );
    const got = await call(
      body('getDocument', { collectionName: 'things', query: '{"_id":"d"}', queryType: 'DOC' }),
    );
    expect(got.data).toEqual({
      list: [
        '{"_id":"d","at":{"$date":{"$numberLong":"1767225600000"}},"inf":{"$numberDouble":"Infinity"},' +
          '"big":1099511627776,"f":2.5}',
      ],
    });
  });

  it('keeps a field named __proto__ as a field (MongoDB allows it), touching no prototype', async () => {
    await call(
      body('insertDocument', {
        collectionName: 'things',
        data: ['{"_id":"proto","__proto__":{"polluted":1},"a":{"__proto__":2}}'],
      }),
    );
    const got = await call(
      body('getDocument', { collectionName: 'things', query: '{"_id":"proto"}', queryType: 'DOC' }),
    );
    expect(got.data).toEqual({
      list: ['{"_id":"proto","__proto__":{"polluted":1},"a":{"__proto__":2}}'],
    });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('counts requests', async () => {
    const before = db.requestCount;
    await call(body('calculateDocument', { collectionName: 'things' }));
    await call({ action: 'database.nope' });
    expect(db.requestCount - before).toBe(2);
  });
});

describe('malformed bodies get the platform error answer, never a crash', () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ['no collectionName', body('getDocument', { queryType: 'WHERE' }), 'INVALID_PARAM'],
    [
      'query not JSON',
      body('getDocument', { collectionName: 'things', query: '{nope' }),
      'INVALID_PARAM',
    ],
    [
      'query not a string',
      body('getDocument', { collectionName: 'things', query: { a: 1 } }),
      'INVALID_PARAM',
    ],
    [
      'query an array',
      body('getDocument', { collectionName: 'things', query: '[1]' }),
      'INVALID_PARAM',
    ],
    [
      'bad queryType',
      body('getDocument', { collectionName: 'things', queryType: 'ALL' }),
      'INVALID_PARAM',
    ],
    [
      'DOC without _id',
      body('getDocument', { collectionName: 'things', queryType: 'DOC', query: '{}' }),
      'INVALID_PARAM',
    ],
    [
      'negative limit',
      body('getDocument', { collectionName: 'things', limit: -1 }),
      'INVALID_PARAM',
    ],
    [
      'limit as text',
      body('getDocument', { collectionName: 'things', limit: '10' }),
      'INVALID_PARAM',
    ],
    [
      'bad order',
      body('getDocument', { collectionName: 'things', order: '{"a":2}' }),
      'INVALID_PARAM',
    ],
    ['insert without data', body('insertDocument', { collectionName: 'things' }), 'INVALID_PARAM'],
    [
      'insert of a non-object',
      body('insertDocument', { collectionName: 'things', data: ['3'] }),
      'INVALID_PARAM',
    ],
    [
      'an object _id',
      body('insertDocument', { collectionName: 'things', data: ['{"_id":{"a":1}}'] }),
      'INVALID_PARAM',
    ],
    [
      'unsupported BSON type',
      body('insertDocument', { collectionName: 'things', data: ['{"b":{"$binary":"AA=="}}'] }),
      'INVALID_PARAM',
    ],
    [
      'update mixing fields and operators',
      body('modifyDocument', {
        collectionName: 'things',
        queryType: 'WHERE',
        data: '{"a":1}',
        merge: true,
      }),
      'INVALID_PARAM',
    ],
    [
      'unknown update operator',
      body('modifyDocument', {
        collectionName: 'things',
        queryType: 'WHERE',
        data: '{"$wat":{"a":1}}',
        merge: true,
      }),
      'DATABASE_INVALID_OPERRATOR',
    ],
    [
      'merge not a boolean',
      body('modifyDocument', { collectionName: 'things', data: '{"$set":{}}', merge: 'yes' }),
      'INVALID_PARAM',
    ],
    [
      'stages not an array',
      body('aggregateDocuments', { collectionName: 'things', stages: '[]' }),
      'INVALID_PARAM',
    ],
    [
      'a writing stage',
      body('aggregateDocuments', {
        collectionName: 'things',
        stages: [{ stageKey: '$out', stageValue: '"x"' }],
      }),
      'DATABASE_INVALID_OPERRATOR',
    ],
    ['a commit without id', body('commitTransaction', {}), 'INVALID_PARAM'],
    [
      'a commit of an unknown transaction',
      body('commitTransaction', { transactionId: 'nope' }),
      'DATABASE_TRANSACTION_FAIL',
    ],
    [
      'a transactionId that is no string',
      body('getDocument', { collectionName: 'things', transactionId: 5 }),
      'INVALID_PARAM',
    ],
    ['an unknown action', body('dropDatabase', {}), 'INVALID_PARAM'],
    ['no action at all', {}, 'INVALID_PARAM'],
  ];

  it.each(cases)('%s', async (_name, request, code) => {
    const answer = await call(request);
    expect(answer).toEqual({
      code,
      message: expect.any(String) as unknown,
      requestId: `r${requestId}`,
    });
  });
});

describe('importDocuments (demo data, fixtures)', () => {
  it('inserts or replaces, creates the collection, enforces unique indexes and changes nothing when refused', async () => {
    expect(
      await db.importDocuments('things', [
        { _id: 'i1', code: 'c1', at: new Date(5) },
        { _id: 'i2', code: 'c2' },
      ]),
    ).toBe(2);
    expect(await db.importDocuments('things', [{ _id: 'i1', code: 'c1b' }])).toBe(1);
    await expect(
      db.importDocuments('things', [
        { _id: 'i3', code: 'ok' },
        { _id: 'i4', code: 'c2' },
      ]),
    ).rejects.toThrow('code_unique');
    expect(await db.importDocuments('fresh', [{ _id: 'f' }])).toBe(1);
    const things = await call(body('getDocument', { collectionName: 'things', limit: 10 }));
    const fresh = await call(body('getDocument', { collectionName: 'fresh', limit: 10 }));
    expect([things.data, fresh.data]).toEqual([
      { list: ['{"_id":"i1","code":"c1b"}', '{"_id":"i2","code":"c2"}'], offset: 0, limit: 10 },
      { list: ['{"_id":"f"}'], offset: 0, limit: 10 },
    ]);
  });
});

describe('durability across close and reopen (LMDB store)', () => {
  let dir: string;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'db-protocol-'));
  });

  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('keeps documents, their natural order, created collections and unique indexes; commits all of a transaction and nothing of an aborted one', async () => {
    const durable = await openDatabase({ clock: new Clock(), schema: SCHEMA, dir });
    const send = (b: Record<string, unknown>): Promise<Record<string, unknown>> =>
      durable.handle(b, 'x');
    await send(
      body('insertDocument', {
        collectionName: 'things',
        data: ['{"_id":"z","code":"1"}', '{"_id":"a","code":"2"}'],
      }),
    );
    await send(body('addCollection', { collectionName: 'made' }));
    const kept = await send(body('startTransaction', {}));
    await send(
      body('insertDocument', {
        collectionName: 'made',
        transactionId: kept.transactionId,
        data: ['{"_id":"t1"}'],
      }),
    );
    await send(
      body('modifyDocument', {
        collectionName: 'things',
        transactionId: kept.transactionId,
        queryType: 'DOC',
        query: '{"_id":"z"}',
        data: '{"$set":{"v":1}}',
        merge: true,
      }),
    );
    await send(body('commitTransaction', { transactionId: kept.transactionId }));
    const dropped = await send(body('startTransaction', {}));
    await send(
      body('insertDocument', {
        collectionName: 'made',
        transactionId: dropped.transactionId,
        data: ['{"_id":"t2"}'],
      }),
    );
    await send(body('abortTransaction', { transactionId: dropped.transactionId }));
    await durable.close();

    const reopened = await openDatabase({ clock: new Clock(), schema: SCHEMA, dir });
    const again = (b: Record<string, unknown>): Promise<Record<string, unknown>> =>
      reopened.handle(b, 'y');
    const things = await again(body('getDocument', { collectionName: 'things', limit: 10 }));
    const made = await again(body('getDocument', { collectionName: 'made', limit: 10 }));
    const dup = await again(
      body('insertDocument', { collectionName: 'things', data: ['{"code":"2"}'] }),
    );
    await reopened.close();
    expect([things.data, made.data, dup.code]).toEqual([
      { list: ['{"_id":"z","code":"1","v":1}', '{"_id":"a","code":"2"}'], offset: 0, limit: 10 },
      { list: ['{"_id":"t1"}'], offset: 0, limit: 10 },
      'DATABASE_DUPLICATE_WRITE',
    ]);
  });

  it('refuses a data directory another live process serves, and takes over one a killed process left', async () => {
    fs.writeFileSync(path.join(dir, 'database.pid'), String(process.ppid));
    await expect(openDatabase({ clock: new Clock(), schema: SCHEMA, dir })).rejects.toThrow(
      `in use by process ${process.ppid}`,
    );
    fs.writeFileSync(path.join(dir, 'database.pid'), '2147483646');
    const taken = await openDatabase({ clock: new Clock(), schema: SCHEMA, dir });
    expect(fs.readFileSync(path.join(dir, 'database.pid'), 'utf8')).toBe(String(process.pid));
    await taken.close();
  });

  it('takes over a directory whose owner was killed but not yet reaped (a zombie still answers kill(pid, 0))', async () => {
    // sh starts `sleep` in the background, prints its pid, then becomes another sleep that never waits
    // for it: once killed, the first sleep stays a zombie until this test ends its parent.
    const parent = spawn('sh', ['-c', 'sleep 60 & echo $!; exec sleep 60'], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    try {
      const pid = await new Promise<number>((resolve) =>
        parent.stdout.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim()))),
      );
      // Only once sh has become the sleep that never waits: sh itself would reap a child killed earlier.
      const parentPid = parent.pid ?? 0;
      const execed = (): boolean =>
        fs.readFileSync(`/proc/${parentPid}/cmdline`, 'utf8').split('\0')[0] === 'sleep';
      for (let i = 0; i < 250 && !execed(); i++) await new Promise((r) => setTimeout(r, 20));
      expect(execed()).toBe(true);
      process.kill(pid, 'SIGKILL');
      const state = (): string => {
        const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
        return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
      };
      for (let i = 0; i < 100 && state() !== 'Z'; i++) await new Promise((r) => setTimeout(r, 20));
      expect(state()).toBe('Z');
      expect(() => process.kill(pid, 0)).not.toThrow();
      fs.writeFileSync(path.join(dir, 'database.pid'), String(pid));
      const taken = await openDatabase({ clock: new Clock(), schema: SCHEMA, dir });
      expect(fs.readFileSync(path.join(dir, 'database.pid'), 'utf8')).toBe(String(process.pid));
      await taken.close();
    } finally {
      parent.kill('SIGKILL');
    }
  });

  it('opens a data directory whose name has a dot as a directory (lmdb-js would take it for a file name)', async () => {
    const dotted = path.join(dir, 'data.v2');
    const first = await openDatabase({ clock: new Clock(), schema: SCHEMA, dir: dotted });
    await first.handle(
      body('insertDocument', { collectionName: 'things', data: ['{"_id":"d","code":"1"}'] }),
      'x',
    );
    await first.close();
    expect(fs.statSync(dotted).isDirectory()).toBe(true);
    expect(fs.existsSync(path.join(dotted, 'data.mdb'))).toBe(true);
    const again = await openDatabase({ clock: new Clock(), schema: SCHEMA, dir: dotted });
    const got = await again.handle(
      body('getDocument', { collectionName: 'things', limit: 10 }),
      'y',
    );
    await again.close();
    expect(got.data).toEqual({ list: ['{"_id":"d","code":"1"}'], offset: 0, limit: 10 });
  });
});
