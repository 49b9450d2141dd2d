/**
 * `npm run deploy:db`: creates the collections and indexes of `server/database/schema.json` in a cloud
 * environment through WeChat's HTTP API (`tcb/databasecollectionadd`, `tcb/updateindex`). The unique
 * indexes are what keep bookings correct (one holder per number, one booking per person and day), so a
 * new environment must get them before the first booking. Needs Tencent's servers: never run in CI.
 *
 *   WX_APPID=wx…  WX_APPSECRET=…  WX_CLOUD_ENV=jj-booking-prod  npm run deploy:db
 *
 * Then the collections' security rules (R14), which WeChat's HTTP API cannot set: with
 * `TENCENTCLOUD_SECRETID`/`TENCENTCLOUD_SECRETKEY` (a Tencent Cloud API key of the account owning the
 * environment) each collection gets its schema `rule` through Tencent Cloud's tcb API `ModifySafeRule`
 * (version 2018-06-08): `{ read: false, write: false }` is `AclTag: ADMINONLY` (仅管理端可读写), anything
 * else `CUSTOM` with the rule as JSON. Without those keys it says plainly that it did NOT set them, and
 * that the console must.
 */
import fs from 'node:fs';
import path from 'node:path';
import { CommonClient } from 'tencentcloud-sdk-nodejs-common';
import { ROOT } from './paths';

interface IndexSpec {
  name: string;
  keys: Record<string, 1 | -1>;
  unique?: boolean;
}

interface Schema {
  collections: Record<string, { rule: Record<string, unknown>; indexes?: IndexSpec[] }>;
}

export interface ApiCall {
  path: 'tcb/databasecollectionadd' | 'tcb/updateindex';
  body: Record<string, unknown>;
}

/** The HTTP calls that bring an environment to the schema, in order: collections first, then indexes. */
export function schemaCalls(schema: Schema, env: string): ApiCall[] {
  const entries = Object.entries(schema.collections).sort(([a], [b]) => a.localeCompare(b));
  const collections: ApiCall[] = entries.map(([name]) => ({
    path: 'tcb/databasecollectionadd',
    body: { env, collection_name: name },
  }));
  const indexes: ApiCall[] = entries.flatMap(([name, collection]) => {
    const specs = collection.indexes ?? [];
    if (specs.length === 0) return [];
    return [
      {
        path: 'tcb/updateindex' as const,
        body: {
          env,
          collection_name: name,
          create_indexes: specs.map((spec) => ({
            name: spec.name,
            unique: spec.unique === true,
            keys: Object.entries(spec.keys).map(([field, direction]) => ({
              name: field,
              direction: String(direction),
            })),
          })),
          drop_indexes: [],
        },
      },
    ];
  });
  return [...collections, ...indexes];
}

/** One `ModifySafeRule` request of Tencent Cloud's tcb API (parameters as its API reference names them). */
export interface SafeRuleRequest {
  action: 'ModifySafeRule';
  params: { EnvId: string; CollectionName: string; AclTag: 'ADMINONLY' | 'CUSTOM'; Rule?: string };
}

/** The requests that set every collection's rule as the schema declares it, in name order. */
export function safeRuleRequests(schema: Schema, envId: string): SafeRuleRequest[] {
  return Object.entries(schema.collections)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, { rule }]) => {
      const serverOnly =
        Object.keys(rule).length === 2 && rule.read === false && rule.write === false;
      return {
        action: 'ModifySafeRule',
        params: serverOnly
          ? { EnvId: envId, CollectionName: name, AclTag: 'ADMINONLY' }
          : { EnvId: envId, CollectionName: name, AclTag: 'CUSTOM', Rule: JSON.stringify(rule) },
      };
    });
}

/** What sends a tcb API request: Tencent Cloud's SDK client, or a test's stand-in. */
export interface TcbClient {
  request(action: string, params: Record<string, unknown>): Promise<unknown>;
}

/**
 * Tencent Cloud's SDK client for the tcb API (TC3-HMAC-SHA256 signing). `endpoint`/`protocol` are for a
 * test's local server; production uses the defaults.
 */
export function tcbClient(
  secretId: string,
  secretKey: string,
  endpoint = 'tcb.tencentcloudapi.com',
  protocol = 'https://',
): TcbClient {
  const client = new CommonClient(endpoint, '2018-06-08', {
    credential: { secretId, secretKey },
    profile: { httpProfile: { endpoint, protocol, reqMethod: 'POST', reqTimeout: 30 } },
  });
  return { request: (action, params) => client.request(action, params) };
}

/** Sends each request; answers the collections whose rule could not be set (with why). */
export async function applySafeRules(
  client: TcbClient,
  requests: SafeRuleRequest[],
  log: (line: string) => void,
): Promise<string[]> {
  const failed: string[] = [];
  for (const { action, params } of requests) {
    try {
      await client.request(action, { ...params });
      log(`deploy:db: rule of ${params.CollectionName}: ${params.AclTag}`);
    } catch (err) {
      failed.push(`${params.CollectionName}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return failed;
}

export function readSchema(): Schema {
  const file = path.join(ROOT, 'server', 'database', 'schema.json');
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Schema;
}

function required(name: string): string {
  const value = process.env[name];
  if (!value)
    throw new Error(`deploy:db: ${name} is not set (WX_APPID, WX_APPSECRET, WX_CLOUD_ENV)`);
  return value;
}

interface WxAnswer {
  errcode?: number;
  errmsg?: string;
  access_token?: string;
}

async function main(): Promise<void> {
  const appid = required('WX_APPID');
  const secret = required('WX_APPSECRET');
  const env = required('WX_CLOUD_ENV');
  const base = 'https://api.weixin.qq.com';
  const tokenRes = await fetch(
    `${base}/cgi-bin/token?grant_type=client_credential&appid=${encodeURIComponent(appid)}&secret=${encodeURIComponent(secret)}`,
  );
  const token = ((await tokenRes.json()) as WxAnswer).access_token;
  if (!token)
    throw new Error(
      'deploy:db: no access token (check WX_APPID / WX_APPSECRET and the IP whitelist)',
    );
  let failures = 0;
  for (const call of schemaCalls(readSchema(), env)) {
    const res = await fetch(`${base}/${call.path}?access_token=${token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(call.body),
    });
    const answer = (await res.json()) as WxAnswer;
    const what = `${call.path} ${String(call.body.collection_name)}`;
    // Re-running is expected: an existing collection or index is not a failure.
    if (answer.errcode === 0 || /exist/i.test(answer.errmsg ?? '')) {
      console.log(`deploy:db: ${what}: ${answer.errcode === 0 ? 'ok' : 'already there'}`);
    } else {
      failures += 1;
      console.error(`deploy:db: ${what}: ${String(answer.errcode)} ${answer.errmsg ?? ''}`);
    }
  }
  if (failures > 0) throw new Error(`deploy:db: ${failures} call(s) failed`);

  const secretId = process.env.TENCENTCLOUD_SECRETID;
  const secretKey = process.env.TENCENTCLOUD_SECRETKEY;
  if (!secretId || !secretKey) {
    console.log(
      "deploy:db: the collections' security rules were NOT set: TENCENTCLOUD_SECRETID and " +
        'TENCENTCLOUD_SECRETKEY are not given. Set every collection to 仅管理端可读写 in the console, ' +
        'or run again with them.',
    );
    return;
  }
  const failed = await applySafeRules(
    tcbClient(secretId, secretKey),
    safeRuleRequests(readSchema(), env),
    (line) => console.log(line),
  );
  if (failed.length > 0)
    throw new Error(`deploy:db: rules not set for ${failed.length}:\n  ${failed.join('\n  ')}`);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
