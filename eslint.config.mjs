// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      '**/miniprogram_npm/**',
      'miniprogram/**/*.js',
      'cloudfunctions/*/index.js',
      'coverage/**',
      'artifacts/**',
      '.local-cloud/**',
      '.bench/**',
      'test/fixtures/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true }],
      'no-console': ['error', { allow: ['log', 'warn', 'error'] }],
    },
  },
  {
    // Pure rules: no I/O, no platform. Checked mechanically (STYLE: layering you can check).
    files: ['server/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            'node:*',
            'wx-server-sdk',
            '../shared/*',
            '../functions/*',
            'fs',
            'http',
            'crypto',
          ],
        },
      ],
      'no-restricted-globals': ['error', 'wx', 'process', 'require'],
    },
  },
  {
    // Server code never sees the mini program's `wx`; the mini program never sees Node.
    files: ['server/**/*.ts'],
    rules: { 'no-restricted-globals': ['error', 'wx'] },
  },
  {
    // Pages, components and utils reach the platform through services/ (app.ts starts it), so that one
    // folder is what the tests' and the preview's `wx` has to honour.
    files: ['miniprogram/**/*.ts'],
    ignores: ['miniprogram/services/**', 'miniprogram/app.ts'],
    rules: {
      'no-restricted-globals': [
        'error',
        { name: 'wx', message: 'Call wx through miniprogram/services/ (platform.ts, api.ts).' },
      ],
    },
  },
  {
    // expect(wx.navigateTo) passes a mock, not a detached method call; jest's asymmetric matchers
    // (expect.objectContaining…) are typed `any` by @types/jest.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['jest.config.js', '.dependency-cruiser.js'],
    languageOptions: { sourceType: 'commonjs', globals: { module: 'writable' } },
  },
);
