/**
 * The preview's server side without a browser: what it does to stylesheets, the bundle it makes of the
 * built mini program, its corrections of miniprogram-simulate, and what its server answers (one origin,
 * 127.0.0.1 only, nothing from the internet).
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { bundler, pageRoutes, resolveComponentPaths } from '../../preview/src/bundle';
import { startPreviewServer, type PreviewServer } from '../../preview/src/server';
import { simulateBuild } from '../../preview/src/simulate-build';
import {
  forPhone,
  iconFallbacks,
  rpxToPx,
  scalableText,
  withoutRemoteUrls,
} from '../../preview/src/wxss';
import { ROOT } from '../../local-cloud/client';

const MINIPROGRAM = path.join(ROOT, 'miniprogram');

describe('stylesheets for a 375 px phone', () => {
  it('converts rpx at half a pixel, decimals and negatives included', () => {
    expect(rpxToPx('margin: 24rpx 0 -10rpx; width: 750rpx; border: 0.5rpx solid')).toBe(
      'margin: 12px 0 -5px; width: 375px; border: 0.25px solid',
    );
  });

  it('scales absolute text sizes with the font setting, and nothing else', () => {
    expect(
      scalableText(
        'a{font-size:17px}b{line-height: 24px;color:red}' +
          'c{font-size: var(--cell-font-size, 14px) !important}' +
          'd{--cell-font-size: 17px; font-size: 1.2em; line-height: 1.5; line-height: var(--x, 20px)}',
      ),
    ).toBe(
      'a{font-size:calc(17px * var(--preview-font-scale, 1))}' +
        'b{line-height: calc(24px * var(--preview-font-scale, 1));color:red}' +
        'c{font-size: calc(var(--cell-font-size, 14px) * var(--preview-font-scale, 1)) !important}' +
        'd{--cell-font-size: 17px; font-size: 1.2em; line-height: 1.5; line-height: var(--x, 20px)}',
    );
  });

  it('drops what is on the internet: a remote font whole, another remote url as an empty one', () => {
    expect(
      withoutRemoteUrls(
        '@font-face{font-family:vant-icon;src:url(//at.alicdn.com/a.woff2) format("woff2")}' +
          '.a{background:url("https://img.yzcdn.cn/x.png")}.b{background:url(/images/b.png)}',
      ),
    ).toBe('.a{background:url(data:,)}.b{background:url(/images/b.png)}');
  });

  it('gives common Vant icons a look-alike character, leaves the others', () => {
    expect(
      iconFallbacks(
        '.van-icon-arrow:before{content:"\\e660"}.van-icon-gem:before{content:"\\e6f0"}',
      ),
    ).toBe('.van-icon-arrow:before{content:"›"}.van-icon-gem:before{content:"\\e6f0"}');
  });
});

describe('the bundle of the built mini program', () => {
  const { data: bundle, script } = bundler(MINIPROGRAM)();

  it('holds every page of app.json: its template, JSON, script, and app.wxss applied to its styles', () => {
    for (const route of pageRoutes(bundle.app)) {
      expect(bundle.wxml).toContain(`${route}.wxml`);
      expect(bundle.modules[`${route}.js`]).toBeDefined();
      expect(bundle.text[`${route}.json`]).toBeDefined();
      expect(bundle.text[`${route}.wxss`]).toMatch(/^@import "(\.\.\/)+app\.wxss";/);
    }
    expect(script).toContain('return $gwx;');
  });

  it('resolves npm components to miniprogram_npm/, as WeChat does', () => {
    expect(
      resolveComponentPaths(
        { usingComponents: { a: '@vant/weapp/cell/index', b: '/components/x/index', c: '../y' } },
        MINIPROGRAM,
      ),
    ).toEqual({
      usingComponents: {
        a: '/miniprogram_npm/@vant/weapp/cell/index',
        b: '/components/x/index',
        c: '../y',
      },
    });
    for (const [file, json = ''] of Object.entries(bundle.text)) {
      if (!file.endsWith('.json')) continue;
      const using = (JSON.parse(json) as { usingComponents?: Record<string, string> })
        .usingComponents;
      for (const target of Object.values(using ?? {})) expect(target).not.toMatch(/^@/);
    }
  });

  it('leaves no rpx and nothing on the internet in any stylesheet', () => {
    const styles = Object.entries(bundle.text).filter(([f]) => f.endsWith('.wxss'));
    expect(styles.length).toBeGreaterThan(10);
    for (const [, css = ''] of styles) {
      expect(css).not.toMatch(/\drpx/);
      expect(css).not.toMatch(/url\(\s*['"]?(https?:)?\/\//);
    }
    expect(forPhone('a{width:750rpx}')).toBe('a{width:375px}');
    expect(forPhone('a{width:750rpx}', 1024)).toBe('a{width:1024px}');
  });
});

it("applies each correction of simulate's browser build exactly", () => {
  const build = simulateBuild();
  expect(build).not.toContain("'$1px'");
  expect(build).toContain('if (!path || !relationKey) return []');
  expect(build).toContain("* 0.5) + 'px'");
  expect(build).toContain('if (value) exparserNode.$$.id = value;');
});

describe('the preview server', () => {
  let cloud: http.Server;
  let preview: PreviewServer;
  const seen: string[] = [];

  beforeAll(async () => {
    // A stand-in for the local cloud that echoes what reached it.
    cloud = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        seen.push(`${req.method ?? ''} ${req.url ?? ''} ${body}`);
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ ok: true }));
      });
    });
    await new Promise<void>((resolve) => cloud.listen(0, '127.0.0.1', resolve));
    preview = await startPreviewServer({
      port: 0,
      localCloudUrl: `http://127.0.0.1:${(cloud.address() as AddressInfo).port}`,
      miniprogramRoot: MINIPROGRAM,
      templatesFile: path.join(ROOT, 'local-cloud', 'templates.json'),
      log: () => undefined,
    });
  });

  afterAll(async () => {
    await preview.close();
    await new Promise((resolve) => cloud.close(resolve));
  });

  it('serves the shell and the frame with a policy that allows this origin only', async () => {
    for (const route of ['/', '/frame']) {
      const res = await fetch(`${preview.url}${route}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
      expect(res.headers.get('content-security-policy')).toContain("connect-src 'self'");
    }
    expect(preview.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('converts rpx for the device the frame is opened as: a phone, or a tablet in landscape', async () => {
    const phone = await (await fetch(`${preview.url}/frame`)).text();
    const tablet = await (await fetch(`${preview.url}/frame?device=tablet`)).text();
    expect(phone).toContain('/preview/app.js?device=phone');
    expect(tablet).toContain('/preview/app.js?device=tablet');
    expect(tablet).toContain('/preview/simulate.js?device=tablet');
    const appWxss = async (device: string): Promise<string> => {
      const script = await (await fetch(`${preview.url}/preview/app.js?device=${device}`)).text();
      return /"app\.wxss":"(.*?)(?<!\\)"/.exec(script)?.[1] ?? '';
    };
    // app.wxss: `.section { margin: 24rpx 24rpx 0 }` — 12 px on a 375 px phone, 32.768 px on 1024 px.
    expect(await appWxss('phone')).toContain('margin: 12px 12px 0;');
    expect(await appWxss('tablet')).toContain('margin: 32.768px 32.768px 0;');
    const simulateTablet = await (
      await fetch(`${preview.url}/preview/simulate.js?device=tablet`)
    ).text();
    expect(simulateTablet).toContain(`* ${1024 / 750}) + 'px'`);
  });

  it('passes /cloud/* to the local cloud, method, query and body', async () => {
    const res = await fetch(`${preview.url}/cloud/callFunction?x=1`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"name":"booking"}',
    });
    expect(await res.json()).toEqual({ ok: true });
    expect(seen).toContain('POST /callFunction?x=1 {"name":"booking"}');
  });

  it('answers the templates the local cloud knows, for the consent sheet', async () => {
    const res = await fetch(`${preview.url}/preview/config`);
    const config = (await res.json()) as { templates: { id: string; title: string }[] };
    // Every template of the local cloud's list, in its order: the citizens' and the administrators'.
    const file = path.join(ROOT, 'local-cloud', 'templates.json');
    const known = (
      JSON.parse(fs.readFileSync(file, 'utf8')) as { templates: { title: string }[] }
    ).templates.map((t) => t.title);
    expect(known).toEqual(expect.arrayContaining(['预约提醒', '号源释放通知']));
    expect(config.templates.map((t) => t.title)).toEqual(known);
  });

  it('serves images of the mini program only, nothing outside its folder', async () => {
    expect((await fetch(`${preview.url}/mp/app.json`)).status).toBe(404);
    expect((await fetch(`${preview.url}/mp/..%2Fpackage.json`)).status).toBe(404);
    expect((await fetch(`${preview.url}/preview/nothing`)).status).toBe(404);
    expect((await fetch(`${preview.url}/`, { method: 'POST' })).status).toBe(405);
  });
});
