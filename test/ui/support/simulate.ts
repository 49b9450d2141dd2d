/**
 * Renders a built page of the mini program with miniprogram-simulate and the official compiler, the real
 * Vant components coming from the packed `miniprogram/miniprogram_npm`.
 */
import fs from 'node:fs';
import path from 'node:path';
import simulate from 'miniprogram-simulate';

export const MINIPROGRAM_ROOT = path.resolve(__dirname, '../../../miniprogram');

/**
 * npm components are named by package path in page JSON; simulate needs them as root paths. Its override
 * map applies to every component of the page, so it holds the npm components of the page and of each of
 * the project's own components it uses, recursively.
 */
function npmComponents(pagePath: string, seen = new Set<string>()): Record<string, string> {
  if (seen.has(pagePath)) return {};
  seen.add(pagePath);
  const json = JSON.parse(fs.readFileSync(`${pagePath}.json`, 'utf8')) as {
    usingComponents?: Record<string, string>;
  };
  const mapped: Record<string, string> = {};
  for (const [tag, target] of Object.entries(json.usingComponents ?? {})) {
    if (target.startsWith('/')) {
      Object.assign(mapped, npmComponents(path.join(MINIPROGRAM_ROOT, target), seen));
    } else if (target.startsWith('.')) {
      Object.assign(mapped, npmComponents(path.resolve(path.dirname(pagePath), target), seen));
    } else {
      mapped[tag] = `/miniprogram_npm/${target}`;
    }
  }
  return mapped;
}

export interface RenderedPage {
  comp: ReturnType<typeof simulate.render>;
  /** The page instance: its data and its handlers. */
  page: Record<string, unknown> & { data: Record<string, unknown> };
}

// simulate registers a page's components afresh on each load and runs their JS through `require`,
// expecting it to execute again; jest's module registry would hand back the module from an earlier
// load instead, leaving the new registration without a definition (a component shared by two pages
// rendered empty on the second). Each load therefore runs in its own module registry. A page loaded
// once in a test file is rendered again from its registered definition.
const loaded = new Map<string, string>();

function loadPage(route: string): string {
  const known = loaded.get(route);
  if (known) return known;
  const pagePath = path.join(MINIPROGRAM_ROOT, route);
  let id = '';
  jest.isolateModules(() => {
    id = simulate.load(pagePath, {
      compiler: 'official',
      rootPath: MINIPROGRAM_ROOT,
      usingComponents: npmComponents(pagePath),
    });
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

/**
 * The visible text of a rendered node as a person reads it: every piece of text in order, separated by a
 * space where elements separate them, white space folded.
 */
export function textOf(node: { dom: HTMLElement | undefined } | undefined): string {
  const parts: string[] = [];
  const walk = (n: Node): void => {
    if (n.nodeType === 3) parts.push(n.textContent ?? '');
    else n.childNodes.forEach(walk);
  };
  if (node?.dom) walk(node.dom);
  return parts
    .map((p) => p.replace(/\s+/g, ' ').trim())
    .filter(Boolean)
    .join(' ');
}
