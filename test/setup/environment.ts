import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { TestEnvironment } from 'jest-environment-node';
import { jestWorker, workerNames } from './test-names';

/**
 * Node's environment, with this worker's own TMPDIR. Set on the worker process itself, before the test
 * file's copy of process.env is made: os.tmpdir() reads the process's environment, not that copy, and a test
 * that checks a refused upload left no temporary file behind must not see the other worker's uploads.
 */
export default class WorkerEnvironment extends TestEnvironment {
  constructor(...[config, context]: ConstructorParameters<typeof TestEnvironment>) {
    const { tmpDir } = workerNames(jestWorker());
    mkdirSync(tmpDir, { recursive: true });
    process.env.TEST_SYSTEM_TMPDIR ??= tmpdir();
    process.env.TMPDIR = tmpDir;
    super(config, context);
  }
}
