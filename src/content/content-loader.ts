import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ActivitySettings, bankQuestionSchema, BankQuestionInput, questionSchema, settingsSchemas, type QuizSettings } from '../access/activity-settings';
import type { ActivityRow, CourseRow } from '../access/course-rows';
import { courseClosesAt } from '../access/work-window';
import { checkPlan } from '../courses/plan-check';
import { bankProblems } from '../quizzes/question-draw';
import { ActivityFile, activityFileSchema, courseFileSchema, questionFileSchema } from './content-schema';

export interface ContentProblem {
  file: string;
  field: string;
  reason: string;
}

/** A content folder that cannot be imported: every problem, each with its file, field and reason. */
export class ContentError extends Error {
  constructor(readonly problems: ContentProblem[]) {
    super(`content has ${problems.length} problem(s):\n${problems.map((p) => `  - ${p.file}: ${p.field}: ${p.reason}`).join('\n')}`);
  }
}

export interface LoadedActivity
  extends Pick<ActivityRow, 'type' | 'title' | 'required' | 'creditHours' | 'opensAt' | 'dueAt' | 'position' | 'settings'> {
  key: string;
  /** Media the activity refers to (a video lesson's file), relative to the course folder. */
  mediaFile: string | null;
}

export interface LoadedCourse
  extends Pick<CourseRow, 'title' | 'description' | 'startsAt' | 'endsAt' | 'graceDays' | 'makeUpPolicy' | 'makeUpUntil' | 'requiredCreditHours' | 'requiredSessions'> {
  slug: string;
  folder: string;
  publish: boolean;
  instructors: string[];
  enrollAllSecretaries: boolean;
  /** The course's question bank when course.yaml names one (null: the bank is left as it is). */
  questionBank: BankQuestionInput[] | null;
  sections: { key: string; title: string; description: string | null; position: number; activities: LoadedActivity[] }[];
}

/**
 * Reads and validates every `courses/<slug>/course.yaml` under the content folder, with the files they
 * refer to (Markdown readings, quiz question files, videos). Nothing touches the database here: a folder
 * with any problem is rejected as a whole, before anything is written.
 */
export function loadContent(root: string): LoadedCourse[] {
  const coursesDir = join(root, 'courses');
  if (!existsSync(coursesDir)) throw new ContentError([{ file: relative(process.cwd(), coursesDir) || coursesDir, field: '-', reason: 'folder not found' }]);
  const problems: ContentProblem[] = [];
  const courses: LoadedCourse[] = [];
  for (const slug of readdirSync(coursesDir).sort()) {
    const folder = join(coursesDir, slug);
    if (!statSync(folder).isDirectory()) continue;
    const course = loadCourse(folder, slug, problems);
    if (course) courses.push(course);
  }
  if (problems.length) throw new ContentError(problems);
  return courses;
}

function loadCourse(folder: string, slug: string, problems: ContentProblem[]): LoadedCourse | null {
  const file = join(folder, 'course.yaml');
  const shown = relative(process.cwd(), file);
  const add = (field: string, reason: string, at = shown) => problems.push({ file: at, field, reason });
  const raw = readYaml(file, shown, problems);
  if (raw === undefined) return null;
  const parsed = courseFileSchema.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) add(issueField(issue), issue.message);
    checkActivitiesAlone(raw, folder, shown, problems);
    return null;
  }
  const data = parsed.data;
  if (data.slug !== slug) add('slug', `must equal the folder name "${slug}"`);
  const startsAt = new Date(data.startsAt);
  const endsAt = new Date(data.endsAt);
  const makeUpUntil = data.makeUpUntil ? new Date(data.makeUpUntil) : null;
  if (data.makeUpPolicy === 'until' && !makeUpUntil) add('makeUpUntil', 'makeUpPolicy "until" needs makeUpUntil, the make-up deadline');
  if (data.makeUpPolicy !== 'until' && makeUpUntil) add('makeUpUntil', 'is used only with makeUpPolicy "until"');
  if (makeUpUntil && (makeUpUntil <= startsAt || makeUpUntil > courseClosesAt({ endsAt, graceDays: data.graceDays ?? 0 }))) {
    add('makeUpUntil', 'must be after startsAt and no later than endsAt plus graceDays (when the class closes)');
  }
  const keys = new Map<string, string>();
  const sectionKeys = new Set<string>();
  const questionBank = data.questionBank ? loadQuestionBank(folder, data.questionBank, problems) : null;

  const sections = data.sections.map((section, s) => {
    if (sectionKeys.has(section.key)) add(`sections[${s}].key`, `"${section.key}" is used twice`);
    sectionKeys.add(section.key);
    const activities: LoadedActivity[] = [];
    section.activities.forEach((activity, a) => {
      const field = `sections[${s}].activities[${a}]`;
      const seen = keys.get(activity.key);
      if (seen) add(`${field}.key`, `"${activity.key}" is already used by ${seen}`);
      keys.set(activity.key, field);
      const settings = buildSettings(folder, shown, field, activity, problems);
      if (settings) {
        activities.push({
          key: activity.key,
          type: activity.type,
          title: activity.title,
          required: activity.required,
          creditHours: activity.creditHours,
          opensAt: activity.opensAt ? new Date(activity.opensAt) : null,
          dueAt: activity.dueAt ? new Date(activity.dueAt) : null,
          position: a,
          settings,
          mediaFile: activity.type === 'video' ? (activity.file ?? null) : null,
        });
      }
    });
    return { key: section.key, title: section.title, description: section.description ?? null, position: s, activities };
  });

  // The same soundness check as publishing through the API, reported against the file.
  const all = sections.flatMap((section, s) => section.activities.map((activity) => ({ s, activity })));
  const plan = checkPlan(
    { startsAt, endsAt, requiredCreditHours: data.requiredCreditHours, requiredSessions: data.requiredSessions, makeUpPolicy: data.makeUpPolicy, makeUpUntil },
    all.map(({ activity }) => ({ ...activity, id: activity.key, archivedAt: null })),
    {
      // A bank file with problems is reported on its own; its quizzes are then not checked against it.
      ...(questionBank || !data.questionBank
        ? { activityProblems: (activity) => (activity.type === 'quiz' ? bankProblems((activity.settings as QuizSettings).bank, questionBank ?? []) : []) }
        : {}),
    },
  );
  for (const problem of plan) {
    if (!data.publish && problem.activityId === null) continue;
    const at = all.find(({ activity }) => activity.key === problem.activityId);
    add(at ? `sections[${at.s}].activities[${at.activity.position}].${problem.field}` : problem.field, problem.message);
  }

  return {
    slug: data.slug,
    folder,
    title: data.title,
    description: data.description?.trim() ?? null,
    startsAt,
    endsAt,
    graceDays: data.graceDays ?? 0,
    makeUpPolicy: data.makeUpPolicy,
    makeUpUntil: data.makeUpPolicy === 'until' ? makeUpUntil : null,
    requiredCreditHours: data.requiredCreditHours,
    requiredSessions: data.requiredSessions,
    publish: data.publish,
    instructors: data.instructors ?? [],
    enrollAllSecretaries: data.enrollment?.allSecretaries ?? false,
    questionBank,
    sections,
  };
}

/**
 * When course.yaml as a whole is invalid, each activity that is valid on its own still has its files
 * checked, so one run reports every problem (a bad quiz file next to a typo in course.yaml).
 */
function checkActivitiesAlone(raw: unknown, folder: string, shown: string, problems: ContentProblem[]): void {
  const sections = (raw as { sections?: unknown })?.sections;
  if (!Array.isArray(sections)) return;
  sections.forEach((section: { activities?: unknown }, s) => {
    if (!Array.isArray(section?.activities)) return;
    section.activities.forEach((item: unknown, a) => {
      const activity = activityFileSchema.safeParse(item);
      if (activity.success) buildSettings(folder, shown, `sections[${s}].activities[${a}]`, activity.data, problems);
    });
  });
}

/** The activity's settings exactly as the API would store them, with referenced files read in. */
function buildSettings(folder: string, shown: string, field: string, activity: ActivityFile, problems: ContentProblem[]): ActivitySettings | null {
  const add = (f: string, reason: string, at = shown) => problems.push({ file: at, field: f, reason });
  const fileAt = (path: string, f: string): string | null => {
    const full = join(folder, path);
    if (!existsSync(full) || !statSync(full).isFile()) {
      add(`${field}.${f}`, `file ${path} not found next to course.yaml`);
      return null;
    }
    return full;
  };
  let input: Record<string, unknown>;
  switch (activity.type) {
    case 'reading': {
      const path = fileAt(activity.body, 'body');
      if (!path) return null;
      input = { body: readFileSync(path, 'utf8'), minReflectionLength: activity.minReflectionLength, reflectionNeedsApproval: activity.reflectionNeedsApproval };
      break;
    }
    case 'video':
      if (activity.file && !fileAt(activity.file, 'file')) return null;
      input = { durationSeconds: activity.durationSeconds, completionPercent: activity.completionPercent };
      break;
    case 'quiz': {
      const { key: _k, type: _t, title: _ti, required: _r, creditHours: _c, opensAt: _o, dueAt: _d, questions: file, ...rest } = activity;
      const questions = file ? readQuestions(folder, file, `${field}.questions`, questionSchema, problems, shown) : [];
      if (!questions) return null;
      input = { ...rest, questions };
      break;
    }
    case 'discussion':
      input = { prompt: activity.prompt, minPosts: activity.minPosts, minReplies: activity.minReplies, minPostLength: activity.minPostLength };
      break;
    case 'session':
      input = { startsAt: activity.startsAt, endsAt: activity.endsAt, location: activity.location, speaker: activity.speaker };
      break;
  }
  const clean = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
  const settings = settingsSchemas[activity.type].safeParse(clean);
  if (!settings.success) {
    for (const issue of settings.error.issues) add(`${field}.${fieldPath(issue.path)}`, issue.message);
    return null;
  }
  return settings.data as ActivitySettings;
}

/** A question file (`questions: [...]`), each question checked with `schema`; null after reporting problems. */
function readQuestions<T>(folder: string, path: string, field: string, schema: z.ZodType<T>, problems: ContentProblem[], shown: string): T[] | null {
  const full = join(folder, path);
  if (!existsSync(full) || !statSync(full).isFile()) {
    problems.push({ file: shown, field, reason: `file ${path} not found next to course.yaml` });
    return null;
  }
  const questionsShown = relative(process.cwd(), full);
  const raw = readYaml(full, questionsShown, problems);
  if (raw === undefined) return null;
  const file = questionFileSchema.safeParse(raw);
  if (!file.success) {
    for (const issue of file.error.issues) problems.push({ file: questionsShown, field: issueField(issue), reason: issue.message });
    return null;
  }
  const questions = z.array(schema).safeParse(file.data.questions);
  if (!questions.success) {
    for (const issue of questions.error.issues) problems.push({ file: questionsShown, field: `questions${fieldPath(issue.path, true)}`, reason: issue.message });
    return null;
  }
  return questions.data;
}

/** The course's question bank file: valid questions with keys used once. */
function loadQuestionBank(folder: string, path: string, problems: ContentProblem[]): BankQuestionInput[] | null {
  const shown = relative(process.cwd(), join(folder, 'course.yaml'));
  const questions = readQuestions(folder, path, 'questionBank', bankQuestionSchema, problems, shown);
  if (!questions) return null;
  const seen = new Set<string>();
  questions.forEach((q, i) => {
    if (seen.has(q.key)) problems.push({ file: relative(process.cwd(), join(folder, path)), field: `questions[${i}].key`, reason: `"${q.key}" is used twice` });
    seen.add(q.key);
  });
  return questions;
}

function readYaml(file: string, shown: string, problems: ContentProblem[]): unknown {
  if (!existsSync(file)) {
    problems.push({ file: shown, field: '-', reason: 'file not found' });
    return undefined;
  }
  try {
    return parseYaml(readFileSync(file, 'utf8'));
  } catch (error) {
    problems.push({ file: shown, field: '-', reason: `not valid YAML: ${(error as Error).message.split('\n')[0]}` });
    return undefined;
  }
}

/** Zod reports an unknown key at its parent: name the key itself. */
function issueField(issue: z.core.$ZodIssue): string {
  const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
  const base = fieldPath(issue.path);
  if (!keys.length) return base;
  return keys.map((k) => (base === '-' ? k : `${base}.${k}`)).join(', ');
}

function fieldPath(path: PropertyKey[], continued = false): string {
  const text = path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
  if (continued) return text;
  return text.replace(/^\./, '') || '-';
}
