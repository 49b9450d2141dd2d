/**
 * `npm run deploy:db`: creates the collections and indexes of `server/database/schema.json` in a cloud
 * environment through WeChat's HTTP API (`tcb/databasecollectionadd`, `tcb/updateindex`). The unique
 * indexes are what keep bookings correct (one holder per number, one booking per person and day), so a
 * new environment must get them before the first booking. Needs Tencent's servers: never run in CI.
 *
 *   WX_APPID=wx…  WX_APPSECRET=…  WX_CLOUD_ENV=jj-booking-prod  npm run deploy:db
 *
 * Security rules have no HTTP API: set every collection to 仅管理端可读写 in the console (R14); the
 * schema's `rule` fields say so.
 */
import fs from 'node:fs';
import path from 'node:path';
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
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
