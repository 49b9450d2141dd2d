/**
 * The preview's HTTP server, on 127.0.0.1 only:
 *
 * | path                         | what                                                                      |
 * | ---------------------------- | ------------------------------------------------------------------------- |
 * | `GET /`                      | the shell: toolbar, phone, side panel (web/shell/)                        |
 * | `GET /frame`                 | the phone's web view, running the mini program (web/frame/)               |
 * | `GET /preview/app.js`        | the built mini program, bundled for the browser (bundle.ts)               |
 * | `GET /preview/simulate.js`   | miniprogram-simulate's browser build (`window.simulate`)                  |
 * |                              | (these three take `?device=phone|tablet`: rpx for that screen's width)    |
 * | `GET /preview/{shell,frame}.{js,css}` | the preview's own scripts (esbuild, in memory) and styles        |
 * | `GET /preview/config`        | the subscribe-message templates the local cloud knows                     |
 * | `GET /mp/<file>`             | an image of the mini program (`<image src="/…">`)                         |
 * | `* /cloud/<path>`            | proxied to the local cloud's `/<path>`, so the page talks to one origin   |
 *
 * Every page is served with a Content-Security-Policy that allows this origin only: nothing the mini
 * program or Vant refers to on the internet is fetched.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { build } from 'esbuild';
import { DEVICES, deviceOf, type PreviewConfig, type Template } from '../web/protocol';
import { bundler } from './bundle';
import { simulateBuild } from './simulate-build';

const WEB = path.resolve(__dirname, '..', 'web');

export interface PreviewOptions {
  /** 0 picks a free port. */
  port: number;
  /** The local cloud, `http://127.0.0.1:3210`. */
  localCloudUrl: string;
  /** The mini program folder, built (`npm run build`). */
  miniprogramRoot: string;
  /** The local cloud's subscribe-message templates file. */
  templatesFile: string;
  /** Called for each request that failed on the server (a broken bundle, the local cloud down). */
  log?: (line: string) => void;
}

export interface PreviewServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

const CSP = [
  "default-src 'self'",
  // simulate compiles templates and the frame's loader runs module sources with new Function.
  "script-src 'self' 'unsafe-eval'",
  // simulate inserts each component's styles as <style> elements; components set style attributes.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "frame-src 'self'",
].join('; ');

const TYPES: Partial<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.svg': 'image/svg+xml',
  '.webp': 'image/webp',
};

/** The preview's browser code, compiled from TypeScript once per server. */
async function compileWeb(): Promise<Record<string, string>> {
  const result = await build({
    entryPoints: {
      shell: path.join(WEB, 'shell', 'main.ts'),
      frame: path.join(WEB, 'frame', 'main.ts'),
    },
    bundle: true,
    write: false,
    outdir: '/out',
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    charset: 'utf8',
    sourcemap: 'inline',
    logLevel: 'silent',
  });
  const out: Record<string, string> = {};
  for (const file of result.outputFiles) out[path.basename(file.path)] = file.text;
  return out;
}

function readTemplates(file: string): Template[] {
  const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as { templates?: Template[] };
  return parsed.templates ?? [];
}

function send(
  res: http.ServerResponse,
  status: number,
  type: string,
  body: string | Buffer,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, {
    'content-type': type,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    ...headers,
  });
  res.end(body);
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

async function proxy(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  target: string,
): Promise<void> {
  const method = req.method ?? 'GET';
  const body = method === 'GET' || method === 'HEAD' ? undefined : await readBody(req);
  const headers: Record<string, string> = {};
  const type = req.headers['content-type'];
  if (type) headers['content-type'] = type;
  let answer: Response;
  try {
    answer = await fetch(target, { method, headers, ...(body ? { body } : {}) });
  } catch (err) {
    send(
      res,
      502,
      TYPES['.json'] ?? '',
      JSON.stringify({ error: `local cloud unreachable: ${(err as Error).message}` }),
    );
    return;
  }
  const text = Buffer.from(await answer.arrayBuffer());
  send(res, answer.status, answer.headers.get('content-type') ?? 'application/octet-stream', text);
}

export async function startPreviewServer(options: PreviewOptions): Promise<PreviewServer> {
  const web = await compileWeb();
  const simulate = new Map<number, string>();
  const app = bundler(options.miniprogramRoot);
  const cloud = options.localCloudUrl.replace(/\/$/, '');
  const log = options.log ?? ((line: string) => console.error(line));

  const statics: Partial<Record<string, { file: string; type: string; csp?: boolean }>> = {
    '/': { file: path.join(WEB, 'shell', 'shell.html'), type: TYPES['.html'] ?? '', csp: true },
    '/preview/shell.css': { file: path.join(WEB, 'shell', 'shell.css'), type: TYPES['.css'] ?? '' },
    '/preview/frame.css': { file: path.join(WEB, 'frame', 'frame.css'), type: TYPES['.css'] ?? '' },
  };

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const route = url.pathname;
    if (route.startsWith('/cloud/')) {
      await proxy(req, res, `${cloud}${route.slice('/cloud'.length)}${url.search}`);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      send(res, 405, 'text/plain', 'method not allowed');
      return;
    }
    if (route === '/frame') {
      // The phone's web view loads the mini program and simulate for its device's width.
      const device = deviceOf(url.searchParams.get('device'));
      const html = fs
        .readFileSync(path.join(WEB, 'frame', 'frame.html'), 'utf8')
        .replace('/preview/simulate.js', `/preview/simulate.js?device=${device}`)
        .replace('/preview/app.js', `/preview/app.js?device=${device}`);
      send(res, 200, TYPES['.html'] ?? '', html, { 'content-security-policy': CSP });
      return;
    }
    const known = statics[route];
    if (known) {
      send(
        res,
        200,
        known.type,
        fs.readFileSync(known.file),
        known.csp ? { 'content-security-policy': CSP } : {},
      );
      return;
    }
    const width = DEVICES[deviceOf(url.searchParams.get('device'))].width;
    if (route === '/preview/shell.js' || route === '/preview/frame.js') {
      send(res, 200, TYPES['.js'] ?? '', web[path.basename(route)] ?? '');
      return;
    }
    if (route === '/preview/simulate.js') {
      let build = simulate.get(width);
      if (build === undefined) {
        build = simulateBuild(width);
        simulate.set(width, build);
      }
      send(res, 200, TYPES['.js'] ?? '', build);
      return;
    }
    if (route === '/preview/app.js') {
      send(res, 200, TYPES['.js'] ?? '', app(width).script);
      return;
    }
    if (route === '/preview/config') {
      const config: PreviewConfig = {
        templates: readTemplates(options.templatesFile),
        localCloudUrl: cloud,
      };
      send(res, 200, TYPES['.json'] ?? '', JSON.stringify(config));
      return;
    }
    if (route.startsWith('/mp/')) {
      const root = path.resolve(options.miniprogramRoot);
      const file = path.resolve(root, `.${decodeURIComponent(route.slice(3))}`);
      const type = TYPES[path.extname(file).toLowerCase()];
      if (
        file.startsWith(`${root}${path.sep}`) &&
        type?.startsWith('image/') &&
        fs.existsSync(file)
      ) {
        send(res, 200, type, fs.readFileSync(file));
        return;
      }
    }
    if (route === '/favicon.ico') {
      res.writeHead(204).end();
      return;
    }
    send(res, 404, 'text/plain', 'not found');
  };

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      log(
        `preview: ${req.method ?? ''} ${req.url ?? ''} failed: ${(err as Error).stack ?? String(err)}`,
      );
      if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', (err as Error).message);
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
