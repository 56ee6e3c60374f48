import type { Response } from 'light-my-request';
import { Activity } from '../../src/courses/activity.entity';
import { VideoFile } from '../../src/videos/video-file.entity';
import type { TestApp } from '../support/test-app';
import { uniq } from './org.factory';

export type ActivityType = 'video' | 'reading' | 'quiz' | 'discussion' | 'session';

export interface BuiltActivity {
  id: string;
  type: ActivityType;
  title: string;
  required: boolean;
  creditHours: number;
  sectionId: string;
}

export interface BuiltCourse {
  id: string;
  title: string;
  sectionId: string;
  startsAt: Date;
  endsAt: Date;
  /** The five standard activities, one of each type. */
  video: BuiltActivity;
  reading: BuiltActivity;
  quiz: BuiltActivity;
  discussion: BuiltActivity;
  session: BuiltActivity;
  /** Extra activities asked for in `extra`, in the same order. */
  extra: BuiltActivity[];
  /** Every activity of the course, standard ones first. */
  all: BuiltActivity[];
}

type Overrides = Record<string, unknown>;

export interface CourseOptions {
  startsAt?: Date;
  endsAt?: Date;
  graceDays?: number;
  /** 补学 policy (the API's default: until_end) and its deadline for `until`. */
  makeUpPolicy?: 'none' | 'until_end' | 'until';
  makeUpUntil?: Date;
  requiredCreditHours?: number;
  requiredSessions?: number;
  /** Per-type overrides of the standard activity bodies (required, creditHours, settings...). */
  video?: Overrides;
  reading?: Overrides;
  quiz?: Overrides;
  discussion?: Overrides;
  session?: Overrides;
  /** More activities, each `{type, ...overrides of the standard body}` (placed in the course's section). */
  extra?: Array<{ type: ActivityType } & Overrides>;
  /** Publishes the course (default true). */
  publish?: boolean;
  /** Secretaries to enrol (after publishing). */
  learnerIds?: string[];
}

const DAY = 24 * 3600 * 1000;

/** Fails with the answer's body so a broken set-up says why. */
export function expectStatus(response: Response, status: number, what: string): Response {
  if (response.statusCode !== status) {
    throw new Error(`${what}: expected ${status}, got ${response.statusCode} ${response.body}`);
  }
  return response;
}

/** The standard body of each activity type (see API.md and src/access/activity-settings.ts). */
export function activityBody(type: ActivityType, period: { startsAt: Date; endsAt: Date }, overrides: Overrides = {}): Overrides {
  const tag = uniq();
  const base: Record<ActivityType, Overrides> = {
    video: { title: `视频学习${tag}`, required: true, creditHours: 1, durationSeconds: 600, completionPercent: 80 },
    reading: {
      title: `阅读文献${tag}`,
      required: true,
      creditHours: 1.5,
      body: '# 学习党章\n\n认真阅读并撰写心得体会。',
      minReflectionLength: 50,
      reflectionNeedsApproval: true,
    },
    quiz: {
      title: `测验${tag}`,
      required: true,
      creditHours: 1,
      passPercent: 60,
      maxAttempts: 3,
      questions: [
        { kind: 'single', prompt: '党支部书记的首要职责是？', options: ['抓党建', '抓业务'], answer: 0 },
        { kind: 'truefalse', prompt: '三会一课是党的组织生活基本制度。', answer: true },
      ],
    },
    discussion: { title: `交流研讨${tag}`, required: true, creditHours: 1, prompt: '结合本支部实际谈谈体会。', minPosts: 2, minReplies: 1 },
    session: {
      title: `集中培训${tag}`,
      required: true,
      creditHours: 2,
      startsAt: new Date(period.startsAt.getTime() + 2 * DAY).toISOString(),
      endsAt: new Date(period.startsAt.getTime() + 2 * DAY + 2 * 3600 * 1000).toISOString(),
      location: '党校报告厅',
      speaker: '组织部',
    },
  };
  return { type, ...base[type], ...overrides };
}

/**
 * Builds a course through HTTP as an admin: the course, one section, one activity of each of the five types
 * (plus `extra`), publishes it and enrols the given secretaries.
 */
export async function buildCourse(t: TestApp, adminToken: string, options: CourseOptions = {}): Promise<BuiltCourse> {
  const startsAt = options.startsAt ?? new Date(Date.now() - 30 * DAY);
  const endsAt = options.endsAt ?? new Date(Date.now() + 60 * DAY);
  const title = `党支部书记培训班${uniq()}`;
  const course = expectStatus(
    await t.post(
      '/api/courses',
      {
        title,
        startsAt: startsAt.toISOString(),
        endsAt: endsAt.toISOString(),
        ...(options.requiredCreditHours !== undefined ? { requiredCreditHours: options.requiredCreditHours } : {}),
        ...(options.requiredSessions !== undefined ? { requiredSessions: options.requiredSessions } : {}),
        ...(options.graceDays !== undefined ? { graceDays: options.graceDays } : {}),
        ...(options.makeUpPolicy !== undefined ? { makeUpPolicy: options.makeUpPolicy } : {}),
        ...(options.makeUpUntil !== undefined ? { makeUpUntil: options.makeUpUntil.toISOString() } : {}),
      },
      adminToken,
    ),
    201,
    'POST /api/courses',
  ).json();
  const section = expectStatus(await t.post(`/api/courses/${course.id}/sections`, { title: `九月：理论学习${uniq()}` }, adminToken), 201, 'POST sections').json();

  const add = async (body: Overrides): Promise<BuiltActivity> => {
    const created = expectStatus(
      await t.post(`/api/courses/${course.id}/activities`, { sectionId: section.id, ...body }, adminToken),
      201,
      `POST activities (${String(body.type)})`,
    ).json();
    return { id: created.id, type: created.type, title: created.title, required: created.required, creditHours: created.creditHours, sectionId: created.sectionId };
  };
  const period = { startsAt, endsAt };
  const video = await add(activityBody('video', period, options.video));
  const reading = await add(activityBody('reading', period, options.reading));
  const quiz = await add(activityBody('quiz', period, options.quiz));
  const discussion = await add(activityBody('discussion', period, options.discussion));
  const session = await add(activityBody('session', period, options.session));
  const extra: BuiltActivity[] = [];
  for (const { type, ...overrides } of options.extra ?? []) extra.push(await add(activityBody(type, period, overrides)));

  if (options.publish ?? true) {
    // Publishing needs each required video lesson's file: record a stand-in of the declared length (the
    // tests that need real bytes upload a fixture through the API).
    for (const activity of [video, ...extra].filter((a) => a.type === 'video')) {
      const { settings } = await t.dataSource.getRepository(Activity).findOneByOrFail({ id: activity.id });
      await t.dataSource.getRepository(VideoFile).insert({
        activityId: activity.id,
        storageKey: `videos/${activity.id}/factory-stand-in.mp4`,
        mimeType: 'video/mp4',
        sizeBytes: 0,
        durationSeconds: (settings as { durationSeconds: number }).durationSeconds,
        originalName: 'stand-in.mp4',
        uploadedBy: null,
      });
    }
    const published = expectStatus(await t.post(`/api/courses/${course.id}/publish`, {}, adminToken), 200, 'POST publish').json();
    if (published.status !== 'published') throw new Error(`publish answered status ${published.status}`);
  }
  if (options.learnerIds?.length) await enrol(t, adminToken, course.id, options.learnerIds);
  return { id: course.id, title, sectionId: section.id, startsAt, endsAt, video, reading, quiz, discussion, session, extra, all: [video, reading, quiz, discussion, session, ...extra] };
}

export async function enrol(t: TestApp, token: string, courseId: string, userIds: string[]): Promise<number> {
  return expectStatus(await t.post(`/api/courses/${courseId}/enrollments`, { userIds }, token), 200, 'POST enrollments').json().enrolled;
}
