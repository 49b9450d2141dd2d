/**
 * The production schema script's translation of server/database/schema.json into WeChat's HTTP API
 * calls: every collection created, and the unique indexes that keep bookings correct (R4, R5) sent as
 * unique, in WeChat's shape ({ name, direction: "1" }).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  applySafeRules,
  readSchema,
  safeRuleRequests,
  schemaCalls,
  tcbClient,
} from '../../scripts/db-schema';

describe('deploy:db', () => {
  const calls = schemaCalls(readSchema(), 'env-1');

  it('creates every collection of the schema before any index', () => {
    const schema = readSchema();
    const creates = calls.filter((c) => c.path === 'tcb/databasecollectionadd');
    expect(creates.map((c) => c.body.collection_name)).toEqual(
      Object.keys(schema.collections).sort(),
    );
    // The benchmark's collection is the benchmark's own (bench/local-cloud.ts creates it).
    expect(creates.map((c) => c.body.collection_name)).not.toContain('profiles');
    const firstIndex = calls.findIndex((c) => c.path === 'tcb/updateindex');
    expect(calls.slice(firstIndex).every((c) => c.path === 'tcb/updateindex')).toBe(true);
  });

  it("sends the bookings' unique keys as unique indexes in WeChat's shape", () => {
    const bookings = calls.find(
      (c) => c.path === 'tcb/updateindex' && c.body.collection_name === 'bookings',
    );
    const indexes = bookings?.body.create_indexes as {
      name: string;
      unique: boolean;
      keys: unknown;
    }[];
    expect(indexes.filter((i) => i.unique).map((i) => [i.name, i.keys])).toEqual(
      expect.arrayContaining([
        ['slot_unique', [{ name: 'slotKey', direction: '1' }]],
        ['person_day_unique', [{ name: 'activeKey', direction: '1' }]],
      ]),
    );
    expect(bookings?.body).toMatchObject({ env: 'env-1', drop_indexes: [] });
  });

  it('declares every collection server-only (R14)', () => {
    for (const c of Object.values(readSchema().collections))
      expect(c.rule).toEqual({ read: false, write: false });
  });
});

/**
 * The collections' rules in production (R14): Tencent Cloud's tcb API `ModifySafeRule` (2018-06-08;
 * EnvId, CollectionName, AclTag, Rule only for CUSTOM), sent through Tencent Cloud's SDK client. The
 * request is checked as it leaves the SDK, captured by a local server standing in for
 * tcb.tencentcloudapi.com.
 */
describe('deploy:db sets every collection server-only', () => {
  it('asks ADMINONLY (仅管理端可读写) for every collection of the schema, CUSTOM for any other rule', () => {
    const schema = readSchema();
    const requests = safeRuleRequests(schema, 'env-1');
    expect(requests.map((r) => r.params.CollectionName)).toEqual(
      Object.keys(schema.collections).sort(),
    );
    for (const r of requests) {
      expect(r).toEqual({
        action: 'ModifySafeRule',
        params: { EnvId: 'env-1', CollectionName: r.params.CollectionName, AclTag: 'ADMINONLY' },
      });
    }
    const custom = safeRuleRequests(
      { collections: { notes: { rule: { read: true, write: 'doc._openid == auth.openid' } } } },
      'env-1',
    );
    expect(custom).toEqual([
      {
        action: 'ModifySafeRule',
        params: {
          EnvId: 'env-1',
          CollectionName: 'notes',
          AclTag: 'CUSTOM',
          Rule: '{"read":true,"write":"doc._openid == auth.openid"}',
        },
      },
    ]);
  });

  it("sends each through Tencent Cloud's SDK as a signed tcb ModifySafeRule request, and reports the ones refused", async () => {
    const seen: { headers: http.IncomingHttpHeaders; body: Record<string, unknown> }[] = [];
    const server = http.createServer((req, res) => {
      let text = '';
      req.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      req.on('end', () => {
        const body = JSON.parse(text) as Record<string, unknown>;
        seen.push({ headers: req.headers, body });
        const refused = body.CollectionName === 'nonces';
        res.setHeader('content-type', 'application/json');
        res.end(
          JSON.stringify({
            Response: refused
              ? {
                  Error: { Code: 'ResourceNotFound', Message: 'collection not found' },
                  RequestId: 'r-2',
                }
              : { RequestId: 'r-1' },
          }),
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const client = tcbClient('AKIDtest', 'secret-test', `127.0.0.1:${port}`, 'http://');
      const lines: string[] = [];
      const failed = await applySafeRules(
        client,
        safeRuleRequests(readSchema(), 'jj-booking-prod'),
        (line) => lines.push(line),
      );
      const first = seen[0];
      expect(first?.body).toEqual({
        EnvId: 'jj-booking-prod',
        CollectionName: 'accounts',
        AclTag: 'ADMINONLY',
      });
      expect(first?.headers['x-tc-action']).toBe('ModifySafeRule');
      expect(first?.headers['x-tc-version']).toBe('2018-06-08');
      // Signed with the key (the scope's service is the endpoint's first label: `tcb` in production,
      // `127` for this stand-in).
      expect(first?.headers.authorization).toMatch(
        /^TC3-HMAC-SHA256 Credential=AKIDtest\/\d{4}-\d{2}-\d{2}\/127\/tc3_request, SignedHeaders=[^,]+, Signature=[0-9a-f]{64}$/,
      );
      expect(seen).toHaveLength(Object.keys(readSchema().collections).length);
      expect(failed).toEqual([expect.stringMatching(/^nonces: .*collection not found/)]);
      expect(lines).toContain('deploy:db: rule of bookings: ADMINONLY');
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
