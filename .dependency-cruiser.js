/**
 * The import boundaries the README claims, checked (`npm run check:deps`); `npm run -s deps:graph` prints
 * the import graph folder by folder. Each rule is proven to fire on test/fixtures/boundaries/ by
 * test/unit/static-checks.test.ts. Type-only imports count: a cycle of types is still a cycle.
 * (Calling `wx` outside miniprogram/services/ is a global, not an import: ESLint checks that one.)
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'domain-imports-only-typings',
      comment:
        'server/domain/ holds the pure rules (R1–R14, docs/rules.md): it may import typings/ and itself, ' +
        "and chinese-days' holiday table (data, no code), nothing else: no database, no platform.",
      severity: 'error',
      from: { path: '^server/domain/' },
      to: {
        pathNot: [
          '^server/domain/',
          '^typings/',
          '^node_modules/chinese-days/dist/chinese-days[.]json$',
        ],
      },
    },
    {
      name: 'booking-and-jobs-apart',
      comment:
        'The citizen actions (server/booking/) and the timer jobs (server/jobs/) stand side by side on ' +
        'server/store/ and server/domain/: neither imports the other.',
      severity: 'error',
      from: { path: '^server/(booking|jobs)/' },
      to: { path: '^server/(booking|jobs)/', pathNot: '^server/$1/' },
    },
    {
      name: 'layers-downward',
      comment:
        'server/ is layered: shared/ (the platform, errors, logs, the entry frame) at the bottom, store/ ' +
        '(the database) on it, and the action folders (booking, jobs, staff, admin, hall) on those. ' +
        'shared/ imports no other server folder but domain/; store/ imports none of the action folders.',
      severity: 'error',
      from: { path: '^server/(shared|store)/' },
      to: {
        path: '^server/(booking|jobs|staff|admin|hall|functions|store)/',
        pathNot: '^server/$1/',
      },
    },
    {
      name: 'not-to-test',
      comment:
        'Product, tool and benchmark code never imports from test/ (the local cloud client is ' +
        'local-cloud/client/).',
      severity: 'error',
      from: { path: '^(miniprogram|server|typings|local-cloud|preview|scripts|bench)/' },
      to: { path: '^test/' },
    },
    {
      name: 'no-circular',
      comment: 'No import cycles, type-only ones included.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Build output (the .js beside each page's .ts, the bundled functions), installed and generated
    // folders, and the fixtures that break these rules on purpose.
    exclude: {
      path: [
        '(^|/)node_modules/',
        '(^|/)miniprogram_npm/',
        '^cloudfunctions/',
        '^miniprogram/.*[.]js$',
        '^(coverage|artifacts|[.]local-cloud|[.]bench)/',
        '^test/fixtures/',
      ],
    },
    moduleSystems: ['cjs', 'es6'],
    tsPreCompilationDeps: true,
    // The TypeScript source, never the compiled .js that sits beside it in miniprogram/.
    enhancedResolveOptions: { extensions: ['.ts', '.d.ts', '.js', '.json'] },
    reporterOptions: {
      text: { highlightFocused: false },
    },
  },
};
