/**
 * `npm start` (after `npm run build`): the local cloud with the demo data (`--seed`, on
 * ${LOCALCLOUD_PORT:-3210}, data in ${LOCALCLOUD_DATA:-.local-cloud}; the seed upserts by `_id`, so it
 * can be repeated) and the browser preview on ${PREVIEW_PORT:-3200}. Prints the preview's URL; Ctrl-C
 * stops both. If the local cloud stops by itself, so does the preview.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { startPreviewServer, type PreviewServer } from '../preview/src/server';
import { ROOT } from './paths';

const CLOUD_CLI = path.join(ROOT, 'local-cloud', 'src', 'cli.ts');

function portOf(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 65535) {
    console.error(`${name}=${raw}: expected a port number`);
    process.exit(2);
  }
  return n;
}

/** Starts the local cloud (its own process: `node --import tsx`, so a signal reaches the server itself). */
function startCloud(port: number): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', CLOUD_CLI, '--seed'], {
    cwd: ROOT,
    env: { ...process.env, LOCALCLOUD_PORT: String(port) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let seen = '';
    let listening = false;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      process.stdout.write(chunk);
      if (listening) return;
      seen += chunk;
      const match = /local-cloud listening on (http:\/\/\S+)/.exec(seen);
      if (match?.[1]) {
        listening = true;
        resolve({ child, url: match[1] });
      }
    });
    child.once('exit', (code, signal) => {
      reject(new Error(`the local cloud exited (${code ?? signal ?? '?'}) before listening`));
    });
  });
}

async function main(): Promise<void> {
  const cloudPort = portOf('LOCALCLOUD_PORT', 3210);
  const previewPort = portOf('PREVIEW_PORT', 3200);
  const cloud = await startCloud(cloudPort);
  let preview: PreviewServer | undefined;
  let stopping = false;

  const stop = async (code: number): Promise<void> => {
    if (stopping) return;
    stopping = true;
    await preview?.close();
    if (cloud.child.exitCode === null && cloud.child.signalCode === null) {
      const exited = new Promise((resolve) => cloud.child.once('exit', resolve));
      cloud.child.kill('SIGTERM');
      await exited;
    }
    process.exit(code);
  };
  process.once('SIGINT', () => void stop(0));
  process.once('SIGTERM', () => void stop(0));
  cloud.child.once('exit', (code) => {
    if (!stopping) {
      console.error(`the local cloud stopped (${code ?? 'signal'}); stopping the preview`);
      void stop(1);
    }
  });

  try {
    preview = await startPreviewServer({
      port: previewPort,
      localCloudUrl: cloud.url,
      miniprogramRoot: path.join(ROOT, 'miniprogram'),
      templatesFile: path.resolve(
        ROOT,
        process.env.LOCALCLOUD_TEMPLATES ?? path.join('local-cloud', 'templates.json'),
      ),
    });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      console.error(`port ${previewPort} is in use: stop the other preview or set PREVIEW_PORT`);
    } else {
      console.error(err);
    }
    await stop(2);
    return;
  }
  console.log('');
  console.log(`  Preview:     ${preview.url}/   (open it in a browser; Ctrl-C stops everything)`);
  console.log(`  Local cloud: ${cloud.url}`);
  console.log('');
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
