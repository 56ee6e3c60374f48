import { z } from 'zod';
import type { ActivityType } from './course-rows';

/** Video completion counts distinct seconds watched; 90% of the length unless the activity says otherwise. */
export const DEFAULT_VIDEO_COMPLETION_PERCENT = 90;
export const DEFAULT_MIN_REFLECTION_LENGTH = 300;

const isoDate = z.iso.datetime({ offset: true, message: '须为带时区的日期时间' });

export const questionSchema = z
  .object({
    id: z.string().min(1).max(50).optional(),
    kind: z.enum(['single', 'multiple', 'truefalse', 'text']),
    prompt: z.string().trim().min(1).max(2000),
    options: z.array(z.string().trim().min(1).max(500)).min(2).max(10).optional(),
    answer: z.union([z.number().int().min(0), z.array(z.number().int().min(0)).min(1), z.boolean(), z.string().min(1), z.array(z.string().min(1)).min(1)]),
    points: z.number().positive().max(100).default(1),
    explanation: z.string().max(2000).optional(),
  })
  .superRefine((q, ctx) => {
    const options = q.options?.length ?? 0;
    // Custom issues name their rule in params.rule: zodProblems() turns it into the sentence people read.
    const fail = (rule: string, message: string) => ctx.addIssue({ code: 'custom', message, path: ['answer'], params: { rule } });
    if ((q.kind === 'single' || q.kind === 'multiple') && options < 2) {
      ctx.addIssue({ code: 'custom', message: '至少要有两个选项', path: ['options'], params: { rule: 'minItems', min: 2 } });
    }
    if (q.kind === 'single' && !(typeof q.answer === 'number' && q.answer < options)) fail('optionIndex', '须为其中一个选项的序号');
    if (q.kind === 'multiple' && !(Array.isArray(q.answer) && q.answer.every((a) => typeof a === 'number' && a < options))) {
      fail('optionIndexes', '须为若干选项序号组成的列表');
    }
    if (q.kind === 'truefalse' && typeof q.answer !== 'boolean') fail('boolean', '须为“是”或“否”');
    if (q.kind === 'text' && !(typeof q.answer === 'string' || (Array.isArray(q.answer) && q.answer.every((a) => typeof a === 'string')))) {
      fail('answerText', '须为一段文字或若干段文字组成的列表');
    }
  });

/** A question kept in a course's question bank (题库): matched by `key`, drawn at random by `tags`. */
export const bankQuestionSchema = z.intersection(
  questionSchema,
  z.object({
    key: z.string().regex(/^[\w.-]{1,80}$/, '只能由字母、数字和 _ . - 组成，最多 80 个字符'),
    tags: z.array(z.string().trim().min(1).max(30)).max(10).default([]),
  }),
);
export type BankQuestionInput = z.infer<typeof bankQuestionSchema>;

/** Questions a quiz takes from its course's bank: some by key, and random draws by tag. */
export const quizBankSchema = z.object({
  keys: z.array(z.string().min(1).max(80)).max(500).default([]),
  draws: z
    .array(
      z.object({
        /** Questions carrying any of these tags; no tags means any question of the bank. */
        tags: z.array(z.string().trim().min(1).max(30)).max(10).default([]),
        count: z.number().int().min(1).max(200),
      }),
    )
    .max(20)
    .default([]),
});
export type QuizBank = z.infer<typeof quizBankSchema>;

export const settingsSchemas = {
  video: z
    .object({
      durationSeconds: z.number().int().positive().max(24 * 3600),
      completionPercent: z.number().int().min(1).max(100).default(DEFAULT_VIDEO_COMPLETION_PERCENT),
      /** Questions at given times: watching past one counts only once it is answered. */
      checkpoints: z
        .array(
          z.object({
            atSeconds: z.number().min(0),
            prompt: z.string().trim().min(1).max(1000),
            options: z.array(z.string().trim().min(1).max(300)).min(2).max(8),
            answer: z.number().int().min(0),
          }),
        )
        .max(50)
        .optional(),
    })
    .superRefine((v, ctx) => {
      v.checkpoints?.forEach((c, i) => {
        if (c.answer >= c.options.length) {
          ctx.addIssue({ code: 'custom', path: ['checkpoints', i, 'answer'], message: '须为其中一个选项的序号', params: { rule: 'optionIndex' } });
        }
        if (c.atSeconds >= v.durationSeconds) {
          ctx.addIssue({ code: 'custom', path: ['checkpoints', i, 'atSeconds'], message: '须在视频时长之内', params: { rule: 'insideVideo' } });
        }
      });
    }),
  reading: z.object({
    body: z.string().trim().min(1).max(200_000),
    minReflectionLength: z.number().int().min(0).max(20_000).default(DEFAULT_MIN_REFLECTION_LENGTH),
    reflectionNeedsApproval: z.boolean().default(false),
  }),
  quiz: z.object({
    passPercent: z.number().min(0).max(100),
    maxAttempts: z.number().int().min(1).max(100),
    timeLimitMinutes: z.number().int().min(1).max(600).nullable().optional(),
    shuffleOptions: z.boolean().default(false),
    showAnswersAfterSubmit: z.boolean().default(false),
    /** best: any passed attempt completes the quiz; last: the latest attempt decides (a later fail undoes it). */
    grading: z.enum(['best', 'last']).default('best'),
    /** Questions written into the quiz itself, asked in this order. */
    questions: z.array(questionSchema).max(500).default([]),
    /** Questions from the course's question bank, asked after the quiz's own. */
    bank: quizBankSchema.optional(),
  }).refine((q) => quizQuestionCount(q) > 0, { message: '至少要有一道题：自带题目、从题库选题或随机抽题均可', path: ['questions'], params: { rule: 'needsQuestions' } }),
  discussion: z.object({
    prompt: z.string().trim().min(1).max(20_000),
    minPosts: z.number().int().min(0).max(100).default(1),
    minReplies: z.number().int().min(0).max(100).default(0),
    minPostLength: z.number().int().min(0).max(10_000).default(0),
  }),
  session: z
    .object({
      startsAt: isoDate,
      endsAt: isoDate,
      location: z.string().trim().min(1).max(200),
      speaker: z.string().trim().max(100).nullable().optional(),
    })
    .refine((s) => new Date(s.endsAt) > new Date(s.startsAt), { message: '须晚于开始时间', path: ['endsAt'], params: { rule: 'after', field: 'startsAt' } }),
} satisfies Record<ActivityType, z.ZodType>;

export type VideoSettings = z.infer<(typeof settingsSchemas)['video']>;
export type ReadingSettings = z.infer<(typeof settingsSchemas)['reading']>;
export type QuizSettings = z.infer<(typeof settingsSchemas)['quiz']>;
export type DiscussionSettings = z.infer<(typeof settingsSchemas)['discussion']>;
export type SessionSettings = z.infer<(typeof settingsSchemas)['session']>;
export type ActivitySettings = VideoSettings | ReadingSettings | QuizSettings | DiscussionSettings | SessionSettings;

/** How many questions one attempt asks. */
export function quizQuestionCount(settings: { questions?: unknown[]; bank?: { keys?: unknown[]; draws?: { count: number }[] } }): number {
  return (settings.questions?.length ?? 0) + (settings.bank?.keys?.length ?? 0) + (settings.bank?.draws ?? []).reduce((sum, d) => sum + d.count, 0);
}

/** The fields of each type that learners may see (answers and the like stay on the server). */
export function publicSettings(type: ActivityType, settings: ActivitySettings): Record<string, unknown> {
  if (type === 'quiz') {
    const { questions: _questions, bank: _bank, ...rest } = settings as QuizSettings;
    return { ...rest, questionCount: quizQuestionCount(settings as QuizSettings) };
  }
  if (type === 'video') {
    const { checkpoints, ...rest } = settings as VideoSettings;
    return { ...rest, checkpoints: (checkpoints ?? []).map(({ answer: _answer, ...shown }) => shown) };
  }
  return { ...settings };
}

