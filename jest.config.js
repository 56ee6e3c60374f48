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
  // One test file at a time (they share one test database), in a worker that is replaced when a file leaves it
  // holding more than this: in one long-lived process, what each file's Nest apps leave behind adds up to
  // several GiB over the whole suite and the run slows down, then runs out of heap.
  maxWorkers: 1,
  workerIdleMemoryLimit: '1536MB',
};
