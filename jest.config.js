/**
 * NestJS 12 and several of its dependencies ship only ES modules, which Jest on Node 20 cannot load.
 * @swc/jest turns both our TypeScript and those packages into CommonJS (so node_modules is transformed too).
 */
const swc = ['@swc/jest', require('./test/support/swc-options')];

module.exports = {
  // ES-module-only packages (file-type…) publish their Node entry under "module-sync".
  testEnvironmentOptions: { customExportConditions: ['node', 'node-addons', 'module-sync'] },
  rootDir: '.',
  roots: ['<rootDir>/src', '<rootDir>/test'],
  testRegex: '\\.(spec|e2e-spec|int-spec)\\.ts$',
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
  transform: { '^.+\\.(t|j|mj|cj)s$': swc },
  transformIgnorePatterns: [],
  // Each jest worker's files get a database, Redis prefix, storage and TMPDIR of their own (test/setup/test-names.ts):
  // the global set-up migrates one database per worker, env.ts points a file at its worker's, and the
  // environment gives the worker process its TMPDIR.
  globalSetup: '<rootDir>/test/setup/global-setup.ts',
  globalTeardown: '<rootDir>/test/setup/global-teardown.ts',
  testEnvironment: '<rootDir>/test/setup/environment.ts',
  setupFiles: ['<rootDir>/test/setup/env.ts'],
  testSequencer: '<rootDir>/test/setup/sequencer.js',
  testTimeout: 30000,
  // Two files at a time (the machine has two cores; most of a file's time is the database's, Chromium's and
  // ffmpeg's), each worker replaced when a file leaves it holding more than this: in one long-lived process,
  // what each file's Nest apps leave behind adds up to several GiB over the whole suite and the run slows
  // down, then runs out of heap.
  maxWorkers: 2,
  workerIdleMemoryLimit: '1536MB',
};
