/**
 * `npm run deploy`: uploads the mini program and every cloud function with miniprogram-ci.
 * Needs Tencent's servers, so it never runs in CI or on this machine's tests.
 *
 *   WX_APPID=wx…  WX_PRIVATE_KEY_PATH=/secure/private.wx….key  WX_CLOUD_ENV=jj-booking-prod \
 *   [WX_VERSION=1.2.3] [WX_DESC="…"] npm run deploy
 *
 * Not done here (once per environment, in the cloud console): the functions' environment variable
 * ID_HASH_SECRET (the key of the ID-number hashes, R14), and the collections and indexes of
 * server/database/schema.json.
 */
import path from 'node:path';
import fs from 'node:fs';
import { CLOUDFUNCTIONS, ROOT } from './paths';
import { functionNames } from './build';

function required(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(
      `deploy: ${name} is not set. Set WX_APPID, WX_PRIVATE_KEY_PATH (the upload key from mp.weixin.qq.com → ` +
        `开发管理 → 开发设置 → 小程序代码上传) and WX_CLOUD_ENV, then run \`npm run build && npm run deploy\`.`,
    );
  }
  return value;
}

async function main(): Promise<void> {
  const appid = required('WX_APPID');
  const privateKeyPath = required('WX_PRIVATE_KEY_PATH');
  const env = required('WX_CLOUD_ENV');
  if (!fs.existsSync(privateKeyPath))
    throw new Error(`deploy: no private key at ${privateKeyPath}`);
  const missing = functionNames().filter(
    (n) => !fs.existsSync(path.join(CLOUDFUNCTIONS, n, 'index.js')),
  );
  if (missing.length > 0)
    throw new Error(`deploy: run \`npm run build\` first (${missing.join(', ')} not built)`);

  const ci = (await import('miniprogram-ci')) as typeof import('miniprogram-ci');
  const project = new ci.Project({
    appid,
    type: 'miniProgram',
    projectPath: ROOT,
    privateKeyPath,
    ignores: ['node_modules/**/*'],
  });
  for (const name of functionNames()) {
    console.log(`deploy: function ${name}`);
    const dir = path.join(CLOUDFUNCTIONS, name);
    await ci.cloud.uploadFunction({ project, env, name, path: dir, remoteNpmInstall: true });
    // The timer triggers of config.json (cron in China time) are created separately on the platform.
    const config = JSON.parse(fs.readFileSync(path.join(dir, 'config.json'), 'utf8')) as {
      triggers?: { name: string; type: string; config: string }[];
    };
    if (config.triggers && config.triggers.length > 0) {
      console.log(
        `deploy: ${name} timer trigger ${config.triggers.map((t) => t.config).join(', ')}`,
      );
      await ci.cloud.createTimeTrigger({
        project,
        envId: env,
        functionName: name,
        triggersConfig: config.triggers,
      });
    }
  }
  const version = process.env.WX_VERSION ?? '0.1.0';
  console.log(`deploy: mini program ${version}`);
  await ci.upload({
    project,
    version,
    desc: process.env.WX_DESC ?? `deploy ${new Date().toISOString()}`,
    setting: { es6: true, es7: true, minify: true },
  });
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
