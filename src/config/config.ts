import { z } from 'zod';

/** A bad environment must stop the process with a message naming the variable and the fix. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}\nSee .env.example for every variable.`);
    this.name = 'ConfigError';
  }
}

const DEV_JWT_SECRET = 'dev-only-secret-change-me-in-production-0123456789';

const port = z.coerce.number().int().min(1).max(65535);
const positiveInt = z.coerce.number().int().positive();
const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
const clock = /^([01]\d|2[0-3]):[0-5]\d$/;

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('0.0.0.0'),
  PORT: port.default(3000),
  PUBLIC_URL: z.url().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  CORS_ORIGINS: z.string().default(''),
  BODY_LIMIT_BYTES: positiveInt.default(1024 * 1024),
  SHUTDOWN_DRAIN_SECONDS: z.coerce.number().int().min(1).max(600).default(10),
  UPLOAD_LIMIT_BYTES: positiveInt.default(2 * 1024 * 1024 * 1024),

  DB_HOST: z.string().min(1).default('127.0.0.1'),
  DB_PORT: port.default(3306),
  DB_USER: z.string().min(1).default('root'),
  DB_PASSWORD: z.string().default(''),
  DB_NAME: z
    .string()
    .regex(/^[A-Za-z0-9_]{1,64}$/, 'letters, digits and _ only (at most 64)')
    .default('secretary_training'),
  DB_POOL_SIZE: positiveInt.default(10),
  DB_LOGGING: bool.default(false),

  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must start with redis:// or rediss://')
    .default('redis://127.0.0.1:6379'),
  REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,40}$/, 'letters, digits, _ . - only (at most 40)')
    .default('bst'),

  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  JWT_EXPIRES_IN_SECONDS: positiveInt.default(12 * 3600),
  LOGIN_MAX_FAILURES_PER_ACCOUNT: positiveInt.default(5),
  LOGIN_MAX_FAILURES_PER_ADDRESS: positiveInt.default(30),
  LOGIN_FAILURE_WINDOW_SECONDS: positiveInt.default(15 * 60),
  INITIAL_PASSWORD_TTL_DAYS: positiveInt.default(30),

  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must start with smtp:// or smtps://')
    .default('smtp://127.0.0.1:1025'),
  MAIL_FROM: z.string().min(3).default('培训班 <noreply@training.local>'),
  QUIET_HOURS: z
    .string()
    .refine((v) => v === 'off' || v.split('-').length === 2 && v.split('-').every((t) => clock.test(t)), {
      message: 'must be HH:MM-HH:MM (China time) or off',
    })
    .default('22:00-07:00'),
  REMINDER_SCAN_CRON: z
    .string()
    .regex(/^(off|\S+( \S+){4,5})$/, 'must be a cron pattern of 5 or 6 fields, e.g. "5 * * * *", or off')
    .default('5 * * * *'),
  STORAGE_DIR: z.string().min(1).default('./storage'),
  STORAGE_DRIVER: z.enum(['local', 's3']).default('local'),
  S3_ENDPOINT: z.url().optional(),
  S3_REGION: z.string().min(1).default('us-east-1'),
  S3_BUCKET: z.string().min(3).optional(),
  S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  S3_FORCE_PATH_STYLE: bool.default(true),
  VIDEO_MAX_PLAYBACK_RATE: z.coerce.number().min(1).max(16).default(2),
  VIDEO_URL_TTL_SECONDS: z.coerce.number().int().min(60).max(24 * 3600).default(4 * 3600),
  VIDEO_FLUSH_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(300).default(5),
  CERTIFICATE_ISSUER: z.string().min(1).max(100).default('党委组织部'),
  CERTIFICATE_CHUNK_SIZE: z.coerce.number().int().min(1).max(1000).default(100),
  REPORTS_REFRESH_INTERVAL_SECONDS: z.coerce.number().int().min(5).max(24 * 3600).default(60),
  ASSESSMENT_CHUNK_SIZE: z.coerce.number().int().min(1).max(5000).default(500),
});

export type Env = z.infer<typeof schema>;

export interface AppConfig {
  env: Env['NODE_ENV'];
  http: {
    host: string;
    port: number;
    publicUrl: string;
    corsOrigins: string[];
    bodyLimitBytes: number;
    uploadLimitBytes: number;
    logLevel: Env['LOG_LEVEL'];
    /** On SIGTERM: how long requests (API) and jobs (worker) in flight may take before the rest is cut off. */
    shutdownDrainSeconds: number;
  };
  db: { host: string; port: number; user: string; password: string; name: string; poolSize: number; logging: boolean };
  redis: { url: string; prefix: string };
  auth: {
    jwtSecret: string;
    jwtExpiresInSeconds: number;
    maxFailuresPerAccount: number;
    maxFailuresPerAddress: number;
    failureWindowSeconds: number;
    initialPasswordTtlDays: number;
  };
  mail: { smtpUrl: string; from: string; quietHours: { start: string; end: string } | null };
  storage: {
    dir: string;
    driver: 'local' | 's3';
    s3: { endpoint?: string; region: string; bucket?: string; accessKeyId?: string; secretAccessKey?: string; forcePathStyle: boolean };
  };
  video: { maxPlaybackRate: number; urlTtlSeconds: number; flushIntervalSeconds: number };
  reminders: { scanCron: string };
  certificates: { issuer: string; chunkSize: number };
  /** Branches per assessment chunk job: every worker takes chunks of a round. */
  assessments: { chunkSize: number };
  reports: { refreshIntervalSeconds: number };
}

/** Reads and validates the environment. Unset variables take defaults that work on a developer machine. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): AppConfig {
  const raw = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  // DB_PASSWORD may legitimately be empty; keep it as given.
  if (source.DB_PASSWORD !== undefined) raw.DB_PASSWORD = source.DB_PASSWORD;
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => `${i.path.join('.')}=${JSON.stringify(source[String(i.path[0])] ?? '')}: ${i.message}`),
    );
  }
  const e = parsed.data;
  if (!e.JWT_SECRET && e.NODE_ENV === 'production') {
    throw new ConfigError(['JWT_SECRET: required when NODE_ENV=production (at least 32 random characters)']);
  }
  if (e.STORAGE_DRIVER === 's3') {
    const missing = (['S3_BUCKET', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'] as const).filter((k) => !e[k]);
    if (missing.length) throw new ConfigError(missing.map((k) => `${k}: required when STORAGE_DRIVER=s3`));
  }
  const [quietStart, quietEnd] = e.QUIET_HOURS === 'off' ? [] : e.QUIET_HOURS.split('-');
  return {
    env: e.NODE_ENV,
    http: {
      host: e.HOST,
      port: e.PORT,
      publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, ''),
      corsOrigins: e.CORS_ORIGINS.split(',').map((s) => s.trim()).filter(Boolean),
      bodyLimitBytes: e.BODY_LIMIT_BYTES,
      uploadLimitBytes: e.UPLOAD_LIMIT_BYTES,
      logLevel: e.LOG_LEVEL,
      shutdownDrainSeconds: e.SHUTDOWN_DRAIN_SECONDS,
    },
    db: {
      host: e.DB_HOST,
      port: e.DB_PORT,
      user: e.DB_USER,
      password: e.DB_PASSWORD,
      name: e.DB_NAME,
      poolSize: e.DB_POOL_SIZE,
      logging: e.DB_LOGGING,
    },
    redis: { url: e.REDIS_URL, prefix: e.REDIS_PREFIX },
    auth: {
      jwtSecret: e.JWT_SECRET ?? DEV_JWT_SECRET,
      jwtExpiresInSeconds: e.JWT_EXPIRES_IN_SECONDS,
      maxFailuresPerAccount: e.LOGIN_MAX_FAILURES_PER_ACCOUNT,
      maxFailuresPerAddress: e.LOGIN_MAX_FAILURES_PER_ADDRESS,
      failureWindowSeconds: e.LOGIN_FAILURE_WINDOW_SECONDS,
      initialPasswordTtlDays: e.INITIAL_PASSWORD_TTL_DAYS,
    },
    mail: {
      smtpUrl: e.SMTP_URL,
      from: e.MAIL_FROM,
      quietHours: quietStart && quietEnd ? { start: quietStart, end: quietEnd } : null,
    },
    storage: {
      dir: e.STORAGE_DIR,
      driver: e.STORAGE_DRIVER,
      s3: {
        endpoint: e.S3_ENDPOINT,
        region: e.S3_REGION,
        bucket: e.S3_BUCKET,
        accessKeyId: e.S3_ACCESS_KEY_ID,
        secretAccessKey: e.S3_SECRET_ACCESS_KEY,
        forcePathStyle: e.S3_FORCE_PATH_STYLE,
      },
    },
    video: {
      maxPlaybackRate: e.VIDEO_MAX_PLAYBACK_RATE,
      urlTtlSeconds: e.VIDEO_URL_TTL_SECONDS,
      flushIntervalSeconds: e.VIDEO_FLUSH_INTERVAL_SECONDS,
    },
    reminders: { scanCron: e.REMINDER_SCAN_CRON },
    certificates: { issuer: e.CERTIFICATE_ISSUER, chunkSize: e.CERTIFICATE_CHUNK_SIZE },
    reports: { refreshIntervalSeconds: e.REPORTS_REFRESH_INTERVAL_SECONDS },
    assessments: { chunkSize: e.ASSESSMENT_CHUNK_SIZE },
  };
}

/** Loads `.env` (if present) and the environment once per process. */
let cached: AppConfig | undefined;
export function appConfig(): AppConfig {
  if (!cached) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require('dotenv').config({ quiet: true });
    cached = loadConfig(process.env);
  }
  return cached;
}

export function usingDevJwtSecret(config: AppConfig): boolean {
  return config.auth.jwtSecret === DEV_JWT_SECRET;
}
