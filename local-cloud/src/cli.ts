/**
 * `npm run local-cloud [-- --memory] [-- --seed]`: the local cloud on 127.0.0.1:${LOCALCLOUD_PORT:-3210}.
 * Prints `local-cloud listening on <url>` once it accepts requests (the test harness waits for it).
 */
// Cloud functions run in UTC (R3); so does everything here, whatever the machine's zone. Set before any
// Date is used; Node applies a runtime change of TZ.
process.env.TZ = 'UTC';
// The key of the functions' ID-number hashes (R14). Production sets its own secret as the function's
// environment variable in the cloud console; locally every function instance inherits this one.
process.env.ID_HASH_SECRET ??= 'local-cloud-development-only-secret';
// The key the hall API's key secrets are derived from (server/hall/signature.ts); the same arrangement.
process.env.API_KEY_SECRET ??= 'local-cloud-development-only-api-key-secret';
// The mini program's AppSecret, for WeChat's server API (access tokens, the real-name checks); the local
// cloud's emulation of that API accepts this one (src/openapi/realname.ts).
process.env.WX_APP_SECRET ??= 'local-cloud-development-only-app-secret';

import fs from 'node:fs';
import path from 'node:path';
import { Clock } from './clock';
import { openDatabase } from './db';
import type { DatabaseSchema, LocalDatabase } from './db/types';
import { OptionsError, parseOptions, USAGE, type LocalCloudOptions } from './options';
import { TemplateConfigError } from './openapi/subscribe';
import { createLocalCloud, readSchema } from './server';

function log(line: string): void {
  console.log(`[local-cloud ${new Date().toISOString()}] ${line}`);
}

async function seed(db: LocalDatabase): Promise<void> {
  // Loaded only with --seed: the demo data module may pull in the domain code.
  const { demoData } = await import('../seed/demo-data');
  let total = 0;
  for (const { collection, docs } of demoData())
    total += await db.importDocuments(collection, docs);
  log(`seeded ${total} documents`);
}

async function main(): Promise<void> {
  let options: LocalCloudOptions | 'help';
  try {
    options = parseOptions(process.argv.slice(2), process.env);
  } catch (err) {
    if (err instanceof OptionsError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
  if (options === 'help') {
    console.log(USAGE);
    return;
  }
  if (options.dataDir) fs.mkdirSync(options.dataDir, { recursive: true });
  // The emulated time is kept with the data it stamped (see clock.ts); in memory it starts at real time.
  const clock = new Clock(options.dataDir ? path.join(options.dataDir, 'clock.json') : undefined);
  const db = await openDatabase({
    ...(options.dataDir ? { dir: options.dataDir } : {}),
    clock,
    schema: readSchema(options.schemaFile) as DatabaseSchema,
  });
  if (options.seed) await seed(db);

  let cloud;
  try {
    cloud = await createLocalCloud(options, db, clock, log);
  } catch (err) {
    await db.close();
    if (err instanceof TemplateConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      console.error(
        `port ${options.port} is in use: stop the other local cloud or set LOCALCLOUD_PORT`,
      );
      process.exit(2);
    }
    throw err;
  }
  if (!fs.existsSync(options.functionsDir)) {
    log(`warning: no functions in ${options.functionsDir} (run npm run build)`);
  }
  const where = options.dataDir ? `data in ${options.dataDir}` : 'in memory';
  log(`functions from ${options.functionsDir}, ${where}, env ${options.envId}`);
  // The harness matches this exact line.
  console.log(`local-cloud listening on ${cloud.url}`);

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping`);
    cloud
      .close()
      .then(() => db.close())
      .then(
        () => process.exit(0),
        (err: unknown) => {
          console.error(err);
          process.exit(1);
        },
      );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
