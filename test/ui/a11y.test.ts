/**
 * Plain, large, and usable by touch and screen reader, checked mechanically over every template and style
 * of the mini program's own pages and components, the subpackages' included (Vant's are its own): a
 * tappable plain view says what it is (a button, or a radio or checkbox with its state) and what it does,
 * is at least 44 px (88 rpx) tall, and no text is set below 14 px (28 rpx).
 */
import fs from 'node:fs';
import path from 'node:path';
import { MINIPROGRAM_ROOT } from './support/simulate';

/** `pages` and `components` of the main package and of each subpackage (`staff/pages`…). */
function unitDirs(): string[] {
  const app = JSON.parse(fs.readFileSync(path.join(MINIPROGRAM_ROOT, 'app.json'), 'utf8')) as {
    subpackages?: { root: string }[];
  };
  const roots = ['', ...(app.subpackages ?? []).map((s) => s.root)];
  return roots
    .flatMap((root) => [`${root}pages`, `${root}components`])
    .filter((dir) => fs.existsSync(path.join(MINIPROGRAM_ROOT, dir)));
}

function files(ext: string): string[] {
  const out: string[] = [];
  for (const dir of unitDirs()) {
    const root = path.join(MINIPROGRAM_ROOT, dir);
    for (const entry of fs.readdirSync(root)) {
      const file = path.join(root, entry, `index${ext}`);
      if (fs.existsSync(file)) out.push(file);
    }
  }
  if (ext === '.wxss') out.push(path.join(MINIPROGRAM_ROOT, 'app.wxss'));
  return out;
}

/** Opening tags of plain views that handle a tap themselves. */
function tappableViews(wxml: string): string[] {
  return [...wxml.matchAll(/<view\b[^>]*>/g)]
    .map((m) => m[0])
    .filter((tag) => /\bbindtap=/.test(tag));
}

function classesOf(tag: string): string[] {
  const match = /\bclass="([^"]*)"/.exec(tag);
  return (match?.[1] ?? '')
    .replace(/\{\{[^}]*\}\}/g, ' ')
    .split(/\s+/)
    .filter(Boolean);
}

function rpx(value: string): number {
  const m = /^(\d+(?:\.\d+)?)(rpx|px)$/.exec(value.trim());
  if (!m) return NaN;
  // The design width is 750 rpx = 375 px.
  return m[2] === 'px' ? Number(m[1]) * 2 : Number(m[1]);
}

const styles = files('.wxss')
  .map((f) => fs.readFileSync(f, 'utf8'))
  .join('\n');

/** The largest min-height any rule sets for `.cls`, in rpx. */
function minHeightOf(cls: string): number {
  let best = 0;
  const rule = new RegExp(`\\.${cls}\\b[^{]*\\{([^}]*)\\}`, 'g');
  for (const m of styles.matchAll(rule)) {
    const h = /min-height:\s*([^;]+);/.exec(m[1] ?? '');
    if (h?.[1]) best = Math.max(best, rpx(h[1]));
  }
  return best;
}

describe('accessibility of the pages', () => {
  const templates = files('.wxml').map((f) => ({
    file: path.relative(MINIPROGRAM_ROOT, f),
    wxml: fs.readFileSync(f, 'utf8'),
  }));

  it('finds the tappable views it checks, the staff desk’s included', () => {
    expect(templates.flatMap((t) => tappableViews(t.wxml)).length).toBeGreaterThanOrEqual(8);
    expect(templates.map((t) => t.file)).toContain(
      path.join('staff', 'pages', 'desk', 'index.wxml'),
    );
  });

  it('gives every tappable view a role (a radio or checkbox says whether it is checked) and a label', () => {
    const missing = templates.flatMap(({ file, wxml }) =>
      tappableViews(wxml)
        .filter((tag) => {
          const role = /aria-role="(button|radio|checkbox)"/.exec(tag)?.[1];
          if (!role || !/aria-label="[^"]+"/.test(tag)) return true;
          return role !== 'button' && !/aria-checked="[^"]+"/.test(tag);
        })
        .map((tag) => `${file}: ${tag}`),
    );
    expect(missing).toEqual([]);
  });

  it('makes every tappable view at least 44 px tall', () => {
    const small = templates.flatMap(({ file, wxml }) =>
      tappableViews(wxml)
        .filter((tag) => Math.max(0, ...classesOf(tag).map(minHeightOf)) < 88)
        .map((tag) => `${file}: ${classesOf(tag).join(' ')}`),
    );
    expect(small).toEqual([]);
  });

  it('lets the staff pages turn to landscape: on phones (pageOrientation) and iPads (resizable)', () => {
    const app = JSON.parse(fs.readFileSync(path.join(MINIPROGRAM_ROOT, 'app.json'), 'utf8')) as {
      resizable?: boolean;
      subpackages?: { root: string; pages: string[] }[];
    };
    const staff = app.subpackages?.find((s) => s.root === 'staff/');
    expect(app.resizable).toBe(true);
    expect(staff?.pages.length).toBeGreaterThan(0);
    for (const page of staff?.pages ?? []) {
      const json = JSON.parse(
        fs.readFileSync(path.join(MINIPROGRAM_ROOT, 'staff', `${page}.json`), 'utf8'),
      ) as { pageOrientation?: string };
      expect([page, json.pageOrientation]).toEqual([page, 'auto']);
    }
  });

  it('sets no text smaller than 14 px', () => {
    const sizes = [...styles.matchAll(/font-size:\s*([\d.]+(?:rpx|px))/g)].flatMap(
      (m) => m[1] ?? [],
    );
    expect(sizes.length).toBeGreaterThan(20);
    expect(sizes.filter((s) => rpx(s) < 28)).toEqual([]);
  });
});
