import { BadRequestException } from '@nestjs/common';
import { z } from 'zod';
import { ACTIVITY_TYPES, ActivityType } from './activity.entity';
import { ActivitySettings, settingsSchemas } from './activity-settings';

const id = z.string().regex(/^[1-9]\d{0,18}$/, 'must be a numeric id');
const isoDate = z.iso.datetime({ offset: true, message: 'must be an ISO-8601 date-time with an offset' });

export const commonSchema = z.object({
  sectionId: id,
  title: z.string().trim().min(1).max(200),
  required: z.boolean().default(true),
  creditHours: z
    .number()
    .min(0, 'must not be negative')
    .max(1000)
    .refine((v) => Math.round(v * 10) === v * 10, 'at most one decimal')
    .default(0),
  opensAt: isoDate.nullable().optional(),
  dueAt: isoDate.nullable().optional(),
  position: z.number().int().min(0).max(100_000).optional(),
});

export type CommonInput = z.infer<typeof commonSchema>;

function problems(error: z.ZodError): string[] {
  return error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`);
}

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
    throw new BadRequestException({ message: [`type: must be one of ${ACTIVITY_TYPES.join(', ')}`], code: 'VALIDATION_FAILED' });
  }
  const stray = sentKeys(body).filter((k) => k !== 'type' && !COMMON_KEYS.includes(k) && !settingsKeys(type).includes(k));
  const common = commonSchema.safeParse(pick(body, COMMON_KEYS));
  const settings = settingsSchemas[type].safeParse(pick(body, settingsKeys(type)));
  const all = [
    ...stray.map((k) => `${k}: does not apply to a ${type} activity`),
    ...(common.success ? [] : problems(common.error)),
    ...(settings.success ? [] : problems(settings.error)),
  ];
  if (all.length) throw new BadRequestException({ message: all, code: 'VALIDATION_FAILED' });
  return { type, common: common.data!, settings: settings.data as ActivitySettings };
}

/** Parses a partial update against the activity's existing type and settings. */
export function parseActivityUpdate(
  type: ActivityType,
  current: ActivitySettings,
  body: Record<string, unknown>,
): { common: Partial<CommonInput>; settings: ActivitySettings | null } {
  if (body.type !== undefined && body.type !== type) {
    throw new BadRequestException({ message: ['type: cannot change; create a new activity instead'], code: 'VALIDATION_FAILED' });
  }
  const stray = sentKeys(body).filter((k) => k !== 'type' && !COMMON_KEYS.includes(k) && !settingsKeys(type).includes(k));
  const common = commonSchema.partial().safeParse(pick(body, COMMON_KEYS));
  const settingsPatch = pick(body, settingsKeys(type));
  const settings = Object.keys(settingsPatch).length
    ? settingsSchemas[type].safeParse({ ...current, ...settingsPatch })
    : null;
  const all = [
    ...stray.map((k) => `${k}: does not apply to a ${type} activity`),
    ...(common.success ? [] : problems(common.error)),
    ...(settings && !settings.success ? problems(settings.error) : []),
  ];
  if (all.length) throw new BadRequestException({ message: all, code: 'VALIDATION_FAILED' });
  // Partial parsing still fills defaults (required, creditHours): keep only what the caller sent.
  const sent = Object.fromEntries(Object.entries(common.data!).filter(([k]) => body[k] !== undefined)) as Partial<CommonInput>;
  return { common: sent, settings: settings ? (settings.data as ActivitySettings) : null };
}
