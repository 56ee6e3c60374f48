/**
 * NestJS 12 and several of its dependencies ship only ES modules, which Jest on Node 20 cannot load.
 * @swc/jest turns both our TypeScript and those packages into CommonJS (so node_modules is transformed too).
 */
const swc = ['@swc/jest', require('./test/support/swc-options')];

module.exports = {
  testEnvironment: 'node',
  // ES-module-only packages (file-type…) publish their Node entry under "module-sync".
  testEnvironmentOptions: { customExportConditions: ['node', 'node-addons', 'module-sync'] },
  rootDir: '.',
  roots: ['<rootDir>/src', '<rootDir>/test'],
  testRegex: '\\.(spec|e2e-spec|int-spec)\\.ts$',
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
  transform: { '^.+\\.(t|j|mj|cj)s$': swc },
  transformIgnorePatterns: [],
  globalSetup: '<rootDir>/test/setup/global-setup.ts',
  globalTeardown: '<rootDir>/test/setup/global-teardown.ts',
  setupFiles: ['<rootDir>/test/setup/env.ts'],
  testTimeout: 30000,
};
