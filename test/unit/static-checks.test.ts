/**
 * `npm run check` must fail on a broken template, a type error, a lint error and a broken import boundary.
 * Each is proven here on a deliberately broken fixture, with the same tools and configuration the check
 * uses.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { checkTemplates } from '../../scripts/check-wxml';

const ROOT = path.resolve(__dirname, '../..');

/** Lints `code` as if it stood at `filePath`, with the project's ESLint configuration; returns rule ids. */
function lintRules(code: string, filePath: string): string[] {
  const eslint = path.join(ROOT, 'node_modules/eslint/bin/eslint.js');
  const res = spawnSync(
    process.execPath,
    [eslint, '--format', 'json', '--stdin', '--stdin-filename', filePath],
    {
      cwd: ROOT,
      input: code,
    },
  );
  const report = JSON.parse(res.stdout.toString()) as { messages: { ruleId: string | null }[] }[];
  return report.flatMap((file) => file.messages.map((m) => m.ruleId ?? 'parse-error'));
}

interface CruiseReport {
  summary: {
    violations: { rule: { name: string }; from: string; to: string; cycle?: { name: string }[] }[];
  };
}

/**
 * Runs dependency-cruiser with the project's `.dependency-cruiser.js` on `targets`, from `cwd` (the
 * rules' paths are relative to it); answers each violation as `rule: from → to` (a cycle: every module
 * on it).
 */
function cruise(cwd: string, targets: string[]): string[] {
  const bin = path.join(ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');
  const config = path.join(ROOT, '.dependency-cruiser.js');
  const res = spawnSync(
    process.execPath,
    [bin, '--config', config, '--output-type', 'json', ...targets],
    { cwd },
  );
  const report = JSON.parse(res.stdout.toString()) as CruiseReport;
  return report.summary.violations.map(
    (v) =>
      `${v.rule.name}: ${[v.from, ...(v.cycle ?? [{ name: v.to }]).map((c) => c.name)].join(' → ')}`,
  );
}

const BOUNDARIES = path.join(ROOT, 'test/fixtures/boundaries');

describe('npm run check', () => {
  it('compiles the real mini program templates and styles cleanly', () => {
    expect(checkTemplates(path.join(ROOT, 'miniprogram'))).toEqual([]);
  });

  it('fails on an unclosed tag, a broken attribute expression and a broken style', () => {
    const problems = checkTemplates(path.join(ROOT, 'test/fixtures/broken-wxml'));
    expect(problems).toEqual([
      expect.stringMatching(/^pages\/attr\/index\.wxml: .*did you forget \}\}/),
      expect.stringMatching(/^pages\/tag\/index\.wxml: .*expect end-tag `text`/),
      expect.stringMatching(/^pages\/style\/index\.wxss: wcsc: /),
    ]);
  });

  it('fails on type errors under the strict baseline, unchecked indexing included', () => {
    const tsc = require.resolve('typescript/bin/tsc');
    const res = spawnSync(process.execPath, [tsc, '-p', 'test/fixtures/type-error'], { cwd: ROOT });
    const out = res.stdout.toString();
    expect(res.status).not.toBe(0);
    // TS2532: `names[0]` may be undefined (noUncheckedIndexedAccess).
    expect(out.match(/error TS\d+/g)).toEqual([
      'error TS7006',
      'error TS6133',
      'error TS2345',
      'error TS2532',
    ]);
  });

  it('fails on lint errors, including the layering rule for pure domain code', () => {
    const floating = lintRules(
      'export function go(): void {\n  Promise.resolve(1);\n}\n',
      'scripts/paths.ts',
    );
    const layering = lintRules(
      "import fs from 'node:fs';\nexport const f = fs;\n",
      'server/domain/china-time.ts',
    );
    expect(floating).toContain('@typescript-eslint/no-floating-promises');
    expect(layering).toContain('no-restricted-imports');
  }, 60_000);

  it('fails when a page calls wx itself, not when services/ does', () => {
    const page = fs.readFileSync(path.join(BOUNDARIES, 'miniprogram/pages/home/index.ts'), 'utf8');
    expect(lintRules(page, 'miniprogram/pages/home/index.ts')).toContain('no-restricted-globals');
    expect(lintRules(page, 'miniprogram/services/platform.ts')).not.toContain(
      'no-restricted-globals',
    );
  }, 60_000);
});

describe('npm run check:deps (dependency-cruiser)', () => {
  let fixtureViolations: string[];

  beforeAll(() => {
    fixtureViolations = cruise(BOUNDARIES, ['.']);
  }, 60_000);

  it('finds no broken boundary in the repository', () => {
    const targets = [
      'miniprogram',
      'server',
      'typings',
      'local-cloud',
      'preview',
      'scripts',
      'bench',
    ];
    expect(cruise(ROOT, [...targets, 'test'])).toEqual([]);
  }, 60_000);

  it('fails when server/domain imports anything but typings/ and itself', () => {
    expect(fixtureViolations).toContain(
      'domain-imports-only-typings: server/domain/rule.ts → server/booking/book.ts',
    );
    expect(fixtureViolations.join('\n')).not.toMatch(/server\/domain\/allowed\.ts/);
  });

  it('fails when booking/ imports jobs/ or jobs/ imports booking/, not within either', () => {
    expect(fixtureViolations).toEqual(
      expect.arrayContaining([
        'booking-and-jobs-apart: server/booking/notice.ts → server/jobs/job.ts',
        'booking-and-jobs-apart: server/jobs/job.ts → server/booking/book.ts',
      ]),
    );
    expect(fixtureViolations.join('\n')).not.toMatch(/server\/jobs\/clock\.ts/);
  });

  it('fails when shared/ or store/ imports a layer above it, not when store/ imports shared/', () => {
    expect(fixtureViolations).toEqual(
      expect.arrayContaining([
        'layers-downward: server/shared/frame.ts → server/booking/book.ts',
        'layers-downward: server/store/read.ts → server/jobs/job.ts',
      ]),
    );
    expect(fixtureViolations.join('\n')).not.toMatch(/server\/shared\/when\.ts/);
  });

  it('fails when product, tool or benchmark code imports from test/', () => {
    expect(fixtureViolations).toContain('not-to-test: bench/run.ts → test/helper.ts');
  });

  it('fails on an import cycle, even one of type-only imports', () => {
    expect(fixtureViolations).toContain(
      'no-circular: miniprogram/app-option.ts → miniprogram/services/session.ts → miniprogram/app-option.ts',
    );
  });

  it('reports nothing else in the fixture', () => {
    expect(fixtureViolations).toHaveLength(7);
  });
});

describe('npm run check:openapi', () => {
  it('validates the hall API’s OpenAPI 3.1 file, and fails on a broken one', () => {
    // A child process: the validator's dependencies are ES modules, which jest's CommonJS runtime cannot load.
    const check = (file?: string) => {
      const args = ['--import', 'tsx', 'scripts/check-openapi.ts', ...(file ? [file] : [])];
      const res = spawnSync(process.execPath, args, { cwd: ROOT });
      return { status: res.status, out: `${res.stdout.toString()}${res.stderr.toString()}` };
    };
    const good = check();
    const broken = check('test/fixtures/broken-openapi/openapi.yaml');
    expect([good.status, good.out]).toEqual([
      0,
      expect.stringMatching(/hall-api\.openapi\.yaml: OpenAPI 3\.1\.0, \d+ paths, valid/),
    ]);
    expect([broken.status, broken.out]).toEqual([
      1,
      expect.stringMatching(/must NOT have unevaluated properties/),
    ]);
  }, 60_000);
});
