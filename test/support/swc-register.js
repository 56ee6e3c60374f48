/**
 * `node -r ./test/support/swc-register.js file.ts`: runs our TypeScript in a plain Node process (a worker
 * that a test can kill with SIGKILL) by compiling each .ts file with SWC as it is required, with the
 * options Jest uses (swc-options.js). node_modules load natively (Node ≥ 20.19 requires ES modules itself).
 */
const { readFileSync } = require('node:fs');
const { transformSync } = require('@swc/core');
const swcOptions = require('./swc-options');

require.extensions['.ts'] = function compile(module, filename) {
  const { code } = transformSync(readFileSync(filename, 'utf8'), {
    filename,
    sourceMaps: 'inline',
    ...swcOptions,
  });
  module._compile(code, filename);
};
