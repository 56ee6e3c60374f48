import { z } from 'zod';
import { MAKE_UP_POLICIES } from '../access/course-rows';

/**
 * The format of `content/courses/<slug>/course.yaml` (documented in content/README.md). Keys are the
 * import's identities: a course by `slug`, a section and an activity by `key`; renaming a key is a new item.
 */
const key = z.string().regex(/^[a-z0-9][a-z0-9-]{0,79}$/, 'must be lower-case letters, digits and -, at most 80');
const isoDate = z.iso.datetime({ offset: true, message: 'must be an ISO-8601 date-time with an offset, e.g. 2026-09-01T08:00:00+08:00' });
const relativePath = z
  .string()
  .regex(/^(?!\/)(?!.*\.\.)[\w./-]+$/, 'must be a path inside the course folder');

const common = {
  key,
  title: z.string().trim().min(1).max(200),
  required: z.boolean().default(true),
  creditHours: z
    .number()
    .min(0, 'must not be negative')
    .max(1000)
    .refine((v) => Math.round(v * 10) === v * 10, 'at most one decimal'),
  opensAt: isoDate.optional(),
  dueAt: isoDate.optional(),
};

export const activityFileSchema = z.discriminatedUnion('type', [
  z.strictObject({
    ...common,
    type: z.literal('reading'),
    /** Markdown file with the text. */
    body: relativePath,
    minReflectionLength: z.number().int().min(0).max(20_000).optional(),
    reflectionNeedsApproval: z.boolean().optional(),
  }),
  z.strictObject({
    ...common,
    type: z.literal('video'),
    /** The lesson's video file (attached to the activity by the video feature). */
    file: relativePath.optional(),
    durationSeconds: z.number().int().positive(),
    completionPercent: z.number().int().min(1).max(100).optional(),
  }),
  z.strictObject({
    ...common,
    type: z.literal('quiz'),
    /** YAML file with the quiz's own `questions: [...]` (optional when it takes its questions from the bank). */
    questions: relativePath.optional(),
    /** Questions from the course's question bank: `keys` by key, `draws` at random by tag. */
    bank: z
      .strictObject({
        keys: z.array(z.string().min(1)).optional(),
        draws: z.array(z.strictObject({ tags: z.array(z.string().min(1)).optional(), count: z.number().int().min(1) })).optional(),
      })
      .optional(),
    passPercent: z.number().min(0).max(100),
    maxAttempts: z.number().int().min(1).max(100),
    timeLimitMinutes: z.number().int().min(1).max(600).optional(),
    shuffleOptions: z.boolean().optional(),
    showAnswersAfterSubmit: z.boolean().optional(),
    grading: z.enum(['best', 'last']).optional(),
  }),
  z.strictObject({
    ...common,
    type: z.literal('discussion'),
    prompt: z.string().trim().min(1),
    minPosts: z.number().int().min(0).optional(),
    minReplies: z.number().int().min(0).optional(),
    minPostLength: z.number().int().min(0).optional(),
  }),
  z.strictObject({
    ...common,
    type: z.literal('session'),
    startsAt: isoDate,
    endsAt: isoDate,
    location: z.string().trim().min(1).max(200),
    speaker: z.string().trim().max(100).optional(),
  }),
]);

export const courseFileSchema = z.strictObject({
  slug: key,
  title: z.string().trim().min(1).max(200),
  description: z.string().max(20_000).optional(),
  startsAt: isoDate,
  endsAt: isoDate,
  graceDays: z.number().int().min(0).max(365).optional(),
  /** Make-up policy (补学): none; until_end, meaning until the class closes; or until makeUpUntil. The API's default is until_end. */
  makeUpPolicy: z.enum(MAKE_UP_POLICIES).default('until_end'),
  makeUpUntil: isoDate.optional(),
  requiredCreditHours: z.number().min(0).max(10_000).default(0),
  requiredSessions: z.number().int().min(0).max(1000).default(0),
  /** Whether to publish after importing (the plan must then pass the publish check). */
  publish: z.boolean().default(true),
  /** YAML file with the course's question bank (题库): `questions: [{key, tags, kind, prompt, ...}]`. */
  questionBank: relativePath.optional(),
  /** Usernames of instructors; those not found are reported and skipped. */
  instructors: z.array(z.string().min(1)).optional(),
  enrollment: z.strictObject({ allSecretaries: z.boolean().default(false) }).optional(),
  sections: z
    .array(
      z.strictObject({
        key,
        title: z.string().trim().min(1).max(200),
        description: z.string().max(5000).optional(),
        activities: z.array(activityFileSchema).default([]),
      }),
    )
    .min(1),
});

export const questionFileSchema = z.strictObject({ questions: z.array(z.unknown()).min(1) });

export type CourseFile = z.infer<typeof courseFileSchema>;
export type ActivityFile = z.infer<typeof activityFileSchema>;
