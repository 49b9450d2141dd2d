/**
 * Renders a built page of the mini program with miniprogram-simulate and the official compiler, the real
 * Vant components coming from the packed `miniprogram/miniprogram_npm`.
 */
import fs from 'node:fs';
import path from 'node:path';
import simulate from 'miniprogram-simulate';

export const MINIPROGRAM_ROOT = path.resolve(__dirname, '../../../miniprogram');

/** npm components are named by package path in page JSON; simulate needs them as root paths. */
function npmComponents(pagePath: string): Record<string, string> {
  const json = JSON.parse(fs.readFileSync(`${pagePath}.json`, 'utf8')) as {
    usingComponents?: Record<string, string>;
  };
  const mapped: Record<string, string> = {};
  for (const [tag, target] of Object.entries(json.usingComponents ?? {})) {
    if (!target.startsWith('/') && !target.startsWith('.'))
      mapped[tag] = `/miniprogram_npm/${target}`;
  }
  return mapped;
}

export interface RenderedPage {
  comp: ReturnType<typeof simulate.render>;
  /** The page instance: its data and its handlers. */
  page: Record<string, unknown> & { data: Record<string, unknown> };
}

// jest keeps its own module registry, so a page's JS runs only on its first load in a test file;
// later renders reuse the registered definition.
const loaded = new Map<string, string>();

function loadPage(route: string): string {
  const known = loaded.get(route);
  if (known) return known;
  const pagePath = path.join(MINIPROGRAM_ROOT, route);
  const id = simulate.load(pagePath, {
    compiler: 'official',
    rootPath: MINIPROGRAM_ROOT,
    usingComponents: npmComponents(pagePath),
  });
  loaded.set(route, id);
  return id;
}

export function renderPage(route: string, query: Record<string, string> = {}): RenderedPage {
  const id = loadPage(route);
  const comp = simulate.render(id);
  comp.attach(document.createElement('parent-wrapper'));
  const page = comp.instance as unknown as RenderedPage['page'];
  const onLoad = page.onLoad;
  if (typeof onLoad === 'function')
    (onLoad as (q: Record<string, string>) => void).call(page, query);
  return { comp, page };
}

export { simulate };

/** The visible text of a rendered node, white space folded, as a person reads it. */
export function textOf(node: { dom: HTMLElement | undefined } | undefined): string {
  return (node?.dom?.textContent ?? '').replace(/\s+/g, ' ').trim();
}
