/**
 * Five projects: pure rules (unit), pages through miniprogram-simulate (ui), our functions on the local
 * cloud (cloud), the local cloud's own conformance (local-cloud), and the whole product in Chromium through
 * the browser preview (e2e: one file at a time, see test/e2e/support/serial.ts).
 */
const tsJest = ['ts-jest', { diagnostics: false }];

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      testMatch: ['<rootDir>/test/unit/**/*.test.ts'],
      transform: { '^.+\\.ts$': tsJest },
    },
    {
      displayName: 'ui',
      testEnvironment: 'jsdom',
      testMatch: ['<rootDir>/test/ui/**/*.test.ts'],
      setupFiles: ['<rootDir>/test/ui/setup.ts'],
      transform: { '^.+\\.ts$': tsJest },
      // Pages are loaded as built (the .js next to the .wxml), exactly what ships.
      moduleFileExtensions: ['js', 'ts', 'json'],
    },
    {
      displayName: 'cloud',
      testEnvironment: 'node',
      testMatch: ['<rootDir>/test/cloud/**/*.test.ts'],
      transform: { '^.+\\.ts$': tsJest },
    },
    {
      displayName: 'local-cloud',
      testEnvironment: 'node',
      testMatch: ['<rootDir>/test/local-cloud/**/*.test.ts'],
      transform: { '^.+\\.ts$': tsJest },
    },
    {
      displayName: 'e2e',
      testEnvironment: 'node',
      testMatch: ['<rootDir>/test/e2e/**/*.test.ts'],
      setupFilesAfterEnv: ['<rootDir>/test/e2e/setup.ts'],
      transform: { '^.+\\.ts$': tsJest },
    },
  ],
};
