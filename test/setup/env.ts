// Tests never touch the demo database: they get their own, created and dropped by the global set-up.
process.env.NODE_ENV = 'test';
process.env.DB_NAME = process.env.TEST_DB_NAME ?? 'bst_test';
process.env.REDIS_PREFIX = process.env.TEST_REDIS_PREFIX ?? 'bst-test';
process.env.LOG_LEVEL = process.env.TEST_LOG_LEVEL ?? 'silent';
process.env.JWT_SECRET = 'test-secret-test-secret-test-secret-0123';
process.env.STORAGE_DIR = process.env.TEST_STORAGE_DIR ?? require('node:path').join(require('node:os').tmpdir(), 'bst-test-storage');
// The hourly reminder scan would remind every test file's learners at minute 5: tests run it explicitly.
process.env.REMINDER_SCAN_CRON = process.env.TEST_REMINDER_SCAN_CRON ?? 'off';
