const Sequencer = require('@jest/test-sequencer').default;
const { relative, sep } = require('node:path');

/**
 * The slowest files first, so the two workers finish together instead of one waiting on a long file the
 * other took last. Jest's own order (by the durations it cached, in its cache folder) once it knows every
 * file's; on a clean clone, by where a file lives (a browser journey takes minutes, a unit spec a second),
 * then by size (jest's own fallback).
 */
const SLOWEST_FIRST = ['test/browser/', 'test/integration/', 'test/e2e/', 'test/services/', 'test/'];

class SlowestFirstSequencer extends Sequencer {
  sort(tests) {
    const timed = tests.every((test) => (this._getCache(test)[test.path]?.[1] ?? 0) > 0);
    if (timed) return super.sort(tests);
    const rank = (test) => {
      const path = relative(test.context.config.rootDir, test.path).split(sep).join('/');
      const at = SLOWEST_FIRST.findIndex((folder) => path.startsWith(folder));
      return at === -1 ? SLOWEST_FIRST.length : at;
    };
    const size = (test) => require('node:fs').statSync(test.path).size;
    return [...tests].sort((a, b) => rank(a) - rank(b) || size(b) - size(a));
  }
}

module.exports = SlowestFirstSequencer;
