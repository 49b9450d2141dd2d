/**
 * `npm run preview`: the browser preview on 127.0.0.1:${PREVIEW_PORT:-3200}, for a local cloud already
 * running on ${LOCALCLOUD_PORT:-3210} (`npm start` starts both). Prints
 * `preview listening on http://127.0.0.1:<port>/` once it accepts requests.
 */
import path from 'node:path';
import { startPreviewServer } from './server';

const ROOT = path.resolve(__dirname, '..', '..');

function port(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    console.error(`${name}=${raw}: expected a port number`);
    process.exit(2);
  }
  return n;
}

async function main(): Promise<void> {
  const cloudPort = port('LOCALCLOUD_PORT', 3210);
  const server = await startPreviewServer({
    port: port('PREVIEW_PORT', 3200),
    localCloudUrl: process.env.LOCALCLOUD_URL ?? `http://127.0.0.1:${cloudPort}`,
    miniprogramRoot: path.join(ROOT, 'miniprogram'),
    templatesFile: path.resolve(
      ROOT,
      process.env.LOCALCLOUD_TEMPLATES ?? 'local-cloud/templates.json',
    ),
  });
  console.log(`preview listening on ${server.url}/`);
  const stop = (): void => {
    void server.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
    console.error('the preview port is in use: stop the other preview or set PREVIEW_PORT');
    process.exit(2);
  }
  console.error(err);
  process.exit(1);
});
