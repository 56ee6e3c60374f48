import { z } from 'zod';
import { ACTIVITY_TYPES, type ActivityType } from '../access/course-rows';
import { ActivitySettings, settingsSchemas } from '../access/activity-settings';
import { inputException, problem, zodProblems, type InputProblem } from '../common/validation-errors';

const id = z.string().regex(/^[1-9]\d{0,18}$/, '不是有效的编号');
const isoDate = z.iso.datetime({ offset: true, message: '须为带时区的日期时间' });

export const commonSchema = z.object({
  sectionId: id,
  title: z.string().trim().min(1).max(200),
  required: z.boolean().default(true),
  creditHours: z
    .number()
    .min(0)
    .max(1000)
    .refine((v) => Math.round(v * 10) === v * 10, { message: '最多保留 1 位小数', params: { rule: 'decimals', decimals: 1 } })
    .default(0),
  opensAt: isoDate.nullable().optional(),
  dueAt: isoDate.nullable().optional(),
  position: z.number().int().min(0).max(100_000).optional(),
});

export type CommonInput = z.infer<typeof commonSchema>;

function pick(body: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((k) => body[k] !== undefined).map((k) => [k, body[k]]));
}

/** The fields the caller sent: a validated DTO instance also carries its unset fields as undefined. */
function sentKeys(body: Record<string, unknown>): string[] {
  return Object.keys(body).filter((k) => body[k] !== undefined);
}

const COMMON_KEYS = Object.keys(commonSchema.shape);
const settingsKeys = (type: ActivityType) => Object.keys(settingsSchemas[type].shape);

/** Parses a creation body: the common fields plus exactly the settings its type needs. 400 lists every problem. */
export function parseNewActivity(body: Record<string, unknown>): { type: ActivityType; common: CommonInput; settings: ActivitySettings } {
  const type = body.type as ActivityType;
  if (!ACTIVITY_TYPES.includes(type)) {
    throw inputException([body.type === undefined ? problem('type', 'required') : problem('type', 'oneOf', { allowed: [...ACTIVITY_TYPES] })]);
  }
  const stray = sentKeys(body).filter((k) => k !== 'type' && !COMMON_KEYS.includes(k) && !settingsKeys(type).includes(k));
  const common = commonSchema.safeParse(pick(body, COMMON_KEYS));
  const settings = settingsSchemas[type].safeParse(pick(body, settingsKeys(type)));
  const all: InputProblem[] = [
    ...stray.map((k) => problem(k, 'notApplicable', { type })),
    ...(common.success ? [] : zodProblems(common.error, body)),
    ...(settings.success ? [] : zodProblems(settings.error, body)),
  ];
  if (all.length) throw inputException(all);
  return { type, common: common.data!, settings: settings.data as ActivitySettings };
}

/** Parses a partial update against the activity's existing type and settings. */
export function parseActivityUpdate(
  type: ActivityType,
  current: ActivitySettings,
  body: Record<string, unknown>,
): { common: Partial<CommonInput>; settings: ActivitySettings | null } {
  if (body.type !== undefined && body.type !== type) {
    throw inputException([problem('type', 'unchangeable')]);
  }
  const stray = sentKeys(body).filter((k) => k !== 'type' && !COMMON_KEYS.includes(k) && !settingsKeys(type).includes(k));
  const common = commonSchema.partial().safeParse(pick(body, COMMON_KEYS));
  const settingsPatch = pick(body, settingsKeys(type));
  const settings = Object.keys(settingsPatch).length
    ? settingsSchemas[type].safeParse({ ...current, ...settingsPatch })
    : null;
  const all: InputProblem[] = [
    ...stray.map((k) => problem(k, 'notApplicable', { type })),
    ...(common.success ? [] : zodProblems(common.error, body)),
    ...(settings && !settings.success ? zodProblems(settings.error, { ...current, ...settingsPatch }) : []),
  ];
  if (all.length) throw inputException(all);
  // Partial parsing still fills defaults (required, creditHours): keep only what the caller sent.
  const sent = Object.fromEntries(Object.entries(common.data!).filter(([k]) => body[k] !== undefined)) as Partial<CommonInput>;
  return { common: sent, settings: settings ? (settings.data as ActivitySettings) : null };
}
