// Tests never touch the demo database: each jest worker gets its own, created by the global set-up and
// dropped by the teardown (see test-names.ts).
import { jestWorker, workerNames } from './test-names';

const names = workerNames(jestWorker());
process.env.NODE_ENV = 'test';
process.env.DB_NAME = names.db;
process.env.REDIS_PREFIX = names.redisPrefix;
process.env.STORAGE_DIR = names.storageDir;
process.env.LOG_LEVEL = process.env.TEST_LOG_LEVEL ?? 'silent';
process.env.JWT_SECRET = 'test-secret-test-secret-test-secret-0123';
// The hourly reminder scan would remind every test file's learners at minute 5: tests run it explicitly.
process.env.REMINDER_SCAN_CRON = process.env.TEST_REMINDER_SCAN_CRON ?? 'off';
