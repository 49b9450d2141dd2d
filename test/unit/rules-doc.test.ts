/**
 * docs/rules.md is where a rule id cited in the code is looked up: it must define every id the repository
 * cites, and every file or folder it names must exist (a move that forgets the rules file fails here).
 */
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const RULES = fs.readFileSync(path.join(ROOT, 'docs/rules.md'), 'utf8');
const SCANNED = [
  'server',
  'miniprogram',
  'typings',
  'local-cloud',
  'preview',
  'bench',
  'scripts',
  'test',
  'docs',
];
const SKIPPED = new Set(['node_modules', 'miniprogram_npm', 'fixtures']);

/** The repository's own sources and docs, not build output. */
function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return SKIPPED.has(entry.name) ? [] : sources(full);
    const built = full.startsWith(path.join(ROOT, 'miniprogram')) && entry.name.endsWith('.js');
    return /\.(ts|md|json|wxml)$/.test(entry.name) && !built ? [full] : [];
  });
}

describe('docs/rules.md', () => {
  it('defines R1–R17, each once, in order', () => {
    const defined = [...RULES.matchAll(/^## (R\d+) /gm)].map((m) => m[1]);
    expect(defined).toEqual(Array.from({ length: 17 }, (_, i) => `R${i + 1}`));
  });

  it('defines every rule id the repository cites', () => {
    const files = [
      path.join(ROOT, 'README.md'),
      ...SCANNED.flatMap((d) => sources(path.join(ROOT, d))),
    ];
    const cited = new Map<string, string>();
    for (const file of files) {
      for (const m of fs.readFileSync(file, 'utf8').matchAll(/\bR(\d{1,2})\b/g)) {
        if (!cited.has(`R${m[1]}`)) cited.set(`R${m[1]}`, path.relative(ROOT, file));
      }
    }
    const undefinedIds = [...cited].filter(([id]) => !new RegExp(`^## ${id} `, 'm').test(RULES));
    expect(undefinedIds).toEqual([]);
    expect(cited.size).toBe(17);
  });

  it('names only files and folders that exist', () => {
    const named = [
      ...RULES.matchAll(
        /`((?:server|miniprogram|typings|local-cloud|preview|bench|scripts|test|docs|\.ci)\/[^`\s]*)`/g,
      ),
    ].flatMap((m) => m[1] ?? []);
    expect(named.length).toBeGreaterThan(50);
    expect(named.filter((p) => !fs.existsSync(path.join(ROOT, p)))).toEqual([]);
  });
});
