import { appendFileSync, cpSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { Redis } from 'ioredis';
import { importContent } from '../../src/cli/content-import';
import { REDIS } from '../../src/redis/redis';
import type { CourseImportReport } from '../../src/content/content-import.service';
import { ContentError, ContentProblem } from '../../src/content/content-loader';
import { makeUser, uniq } from '../factories/org.factory';
import { signedInAdmin } from '../factories/signed-in-roles';
import { createTestApp, TestApp } from '../support/test-app';

const CONTENT = join(__dirname, '../../content');
const DEMO_SLUG = 'branch-secretary-2026';

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * A private copy of the demo content whose course has a fresh slug (and folder), so every test owns its
 * course and none touches the demo class.
 */
function contentCopy() {
  const root = mkdtempSync(join(tmpdir(), 'bst-content-e2e-'));
  cpSync(CONTENT, root, { recursive: true });
  const slug = `demo-${uniq()}`;
  const folder = join(root, 'courses', slug);
  renameSync(join(root, 'courses', DEMO_SLUG), folder);
  const courseFile = join(folder, 'course.yaml');
  const text = readFileSync(courseFile, 'utf8');
  expect(text).toContain(`slug: ${DEMO_SLUG}\n`);
  writeFileSync(courseFile, text.replace(`slug: ${DEMO_SLUG}\n`, `slug: ${slug}\n`));
  roots.push(root);

  const c = {
    root,
    slug,
    file: (path: string) => join(folder, path),
    shown: (path = 'course.yaml') => relative(process.cwd(), join(folder, path)),
    read: (): Doc => parseYaml(readFileSync(courseFile, 'utf8')) as Doc,
    editYaml(path: string, edit: (doc: Doc) => void) {
      const doc = parseYaml(readFileSync(c.file(path), 'utf8')) as Doc;
      edit(doc);
      writeFileSync(c.file(path), stringifyYaml(doc));
    },
    editCourse: (edit: (doc: Doc) => void) => c.editYaml('course.yaml', edit),
    activities: (doc: Doc = c.read()): Doc[] => doc.sections.flatMap((s: Doc) => s.activities),
    activity(doc: Doc, key: string): Doc {
      const found = c.activities(doc).find((a) => a.key === key);
      if (!found) throw new Error(`no activity ${key}`);
      return found;
    },
    import: (log: string[] = []) => importContent(root, (line) => log.push(line)),
  };
  return c;
}

const roots: string[] = [];

describe('content import (importContent)', () => {
  let t: TestApp;
  let adminToken: string;

  beforeAll(async () => {
    t = await createTestApp();
    adminToken = await signedInAdmin(t);
  });
  afterAll(async () => {
    await t.close();
    for (const root of roots) rmSync(root, { recursive: true, force: true });
  });

  const q = <T = Doc[]>(sql: string, params: unknown[] = []) => t.dataSource.query(sql, params) as Promise<T>;
  const count = async (sql: string, params: unknown[] = []) => Number((await q<{ n: string }[]>(sql, params))[0].n);

  /** Everything the import may write for one course, plus table totals (a partial write shows up here). */
  async function snapshot(courseId: string | null) {
    return {
      totals: {
        courses: await count('SELECT COUNT(*) AS n FROM courses'),
        sections: await count('SELECT COUNT(*) AS n FROM sections'),
        activities: await count('SELECT COUNT(*) AS n FROM activities'),
        enrollments: await count('SELECT COUNT(*) AS n FROM enrollments'),
        instructors: await count('SELECT COUNT(*) AS n FROM course_instructors'),
      },
      course: courseId ? await q('SELECT * FROM courses WHERE id = ?', [courseId]) : [],
      sections: courseId ? await q('SELECT * FROM sections WHERE course_id = ? ORDER BY id', [courseId]) : [],
      activities: courseId ? await q('SELECT * FROM activities WHERE course_id = ? ORDER BY id', [courseId]) : [],
      questions: courseId ? await q('SELECT * FROM quiz_bank_questions WHERE course_id = ? ORDER BY id', [courseId]) : [],
    };
  }

  /** importContent's rejection, which must be a ContentError (not a crash or a half-done import). */
  async function rejection(promise: Promise<unknown>): Promise<ContentError> {
    const outcome = await promise.then(
      (value) => ({ value }),
      (error: unknown) => ({ error }),
    );
    if (!('error' in outcome)) throw new Error(`importContent accepted bad content: ${JSON.stringify(outcome.value)}`);
    expect(outcome.error).toBeInstanceOf(ContentError);
    return outcome.error as ContentError;
  }

  async function firstImport(c: ReturnType<typeof contentCopy>): Promise<CourseImportReport> {
    const [report] = await c.import();
    expect(report).toMatchObject({ slug: c.slug, course: 'created', published: true });
    return report;
  }

  const detail = async (courseId: string, token = adminToken) => {
    const response = await t.get(`/api/courses/${courseId}`, token);
    expect(response.statusCode).toBe(200);
    return response.json();
  };
  const titles = (body: Doc): string[] => body.sections.flatMap((s: Doc) => s.activities.map((a: Doc) => a.title));

  it('creates and publishes the course on the first run, with every section and activity, and enrols the secretaries', async () => {
    const c = contentCopy();
    const yaml = c.read();
    const secretary = await makeUser(t.dataSource); // a secretary who exists before the import
    expect(await count('SELECT COUNT(*) AS n FROM courses WHERE content_key = ?', [c.slug])).toBe(0);

    const log: string[] = [];
    const reports = await c.import(log);
    expect(reports).toHaveLength(1);
    const [report] = reports;
    const activityCount = c.activities(yaml).length;
    expect(activityCount).toBe(24);
    expect(report).toMatchObject({
      slug: c.slug,
      course: 'created',
      sections: { created: 4, updated: 0, unchanged: 0, archived: 0 },
      activities: { created: activityCount, updated: 0, unchanged: 0, archived: 0 },
      published: true,
    });
    expect(report.courseId).toMatch(/^\d+$/);
    expect(report.enrolled).toBeGreaterThanOrEqual(1);
    expect(log[0]).toContain(`${c.slug} (course ${report.courseId}): created`);
    expect(log[0]).toContain('published');

    const [row] = await q('SELECT content_key, status FROM courses WHERE id = ?', [report.courseId]);
    expect(row).toEqual({ content_key: c.slug, status: 'published' });

    const body = await detail(report.courseId);
    expect(body).toMatchObject({ id: report.courseId, title: yaml.title, status: 'published', requiredCreditHours: 56, requiredSessions: 3, role: 'admin' });
    expect(body.publishedAt).not.toBeNull();
    expect(new Date(body.startsAt).toISOString()).toBe('2026-08-31T16:00:00.000Z');
    expect(body.sections.map((s: Doc) => s.title)).toEqual(yaml.sections.map((s: Doc) => s.title));
    expect(body.sections.map((s: Doc) => s.activities.length)).toEqual(yaml.sections.map((s: Doc) => s.activities.length));
    expect(titles(body)).toEqual(c.activities(yaml).map((a) => a.title));
    const quiz = body.sections[0].activities.find((a: Doc) => a.type === 'quiz');
    expect(quiz.settings.questions).toHaveLength(9);
    const reading = body.sections[0].activities[0];
    expect(reading.settings.body).toBe(readFileSync(c.file('readings/sep-duties.md'), 'utf8').trim());

    const schedule = await t.get(`/api/courses/${report.courseId}/schedule`, adminToken);
    expect(schedule.statusCode).toBe(200);
    expect(schedule.json().course.status).toBe('published');
    expect(schedule.json().sections).toHaveLength(4);
    expect(schedule.json().sections.flatMap((s: Doc) => s.items)).toHaveLength(activityCount);

    // enrollment.allSecretaries: the secretary made before the import is a learner of the course.
    expect(await count('SELECT COUNT(*) AS n FROM enrollments WHERE course_id = ? AND user_id = ? AND status = ?', [report.courseId, secretary.id, 'active'])).toBe(1);
    const learnerToken = await t.login(secretary.username);
    const asLearner = await detail(report.courseId, learnerToken);
    expect(asLearner.role).toBe('learner');
    expect(titles(asLearner)).toHaveLength(activityCount);
    const learnerQuiz = asLearner.sections[0].activities.find((a: Doc) => a.type === 'quiz');
    expect(learnerQuiz.settings.questions).toBeUndefined(); // answers stay on the server
    expect(learnerQuiz.settings.questionCount).toBe(9);
  });

  it('changes nothing when run twice', async () => {
    const c = contentCopy();
    const first = await firstImport(c);
    const before = await snapshot(first.courseId);

    const log: string[] = [];
    const [second] = await c.import(log);
    expect(second).toMatchObject({
      slug: c.slug,
      courseId: first.courseId,
      course: 'unchanged',
      sections: { created: 0, updated: 0, unchanged: 4, archived: 0 },
      activities: { created: 0, updated: 0, unchanged: 24, archived: 0 },
      published: false,
      enrolled: 0,
    });
    expect(log[0]).toContain(': unchanged;');
    // Not one row written: the updated_at of the course, its sections and activities stay as they were.
    const after = await snapshot(first.courseId);
    expect(after).toEqual(before);
    expect(after.activities).toHaveLength(24);
    expect(after.course[0].updated_at).toEqual(before.course[0].updated_at);
  });

  it('imports the question bank, draws review questions from it, and archives bank questions removed from the file', async () => {
    const c = contentCopy();
    const first = await firstImport(c);
    expect(first.questions).toEqual({ created: 12, updated: 0, unchanged: 0, archived: 0 });
    const bank = await t.get(`/api/courses/${first.courseId}/questions?pageSize=100`, adminToken);
    expect(bank.json()).toMatchObject({ total: 12, tags: expect.arrayContaining([{ tag: '三会一课', count: 3 }]) });
    const decQuiz = (await detail(first.courseId)).sections[3].activities.find((a: Doc) => a.type === 'quiz');
    expect(decQuiz.settings.bank.draws).toEqual([
      { tags: ['职责定位'], count: 1 },
      { tags: ['三会一课'], count: 1 },
      { tags: ['发展党员'], count: 1 },
    ]);

    c.editYaml('quizzes/bank.yaml', (doc) => {
      doc.questions = doc.questions.filter((q: Doc) => q.key !== 'survey-03');
      doc.questions.find((q: Doc) => q.key === 'survey-01').prompt = '支部调研的选题应当从哪里来？请判断：从师生反映集中的问题中来。';
    });
    const [second] = await c.import();
    expect(second.questions).toEqual({ created: 0, updated: 1, unchanged: 10, archived: 1 });
    const archived = await q('SELECT `key` FROM quiz_bank_questions WHERE course_id = ? AND archived_at IS NOT NULL', [first.courseId]);
    expect(archived).toEqual([{ key: 'survey-03' }]);
    const [third] = await c.import();
    expect(third).toMatchObject({ course: 'unchanged', questions: { created: 0, updated: 0, unchanged: 11, archived: 0 } });
  });

  it('updates exactly the one activity whose title changed', async () => {
    const c = contentCopy();
    const first = await firstImport(c);
    const before = await snapshot(first.courseId);
    const target = before.activities.find((a) => a.content_key === 'oct-quiz')!;
    const newTitle = `十月测验（修订）${uniq()}`;
    c.editCourse((doc) => {
      c.activity(doc, 'oct-quiz').title = newTitle;
    });

    const [second] = await c.import();
    expect(second).toMatchObject({
      courseId: first.courseId,
      course: 'updated',
      sections: { created: 0, updated: 0, unchanged: 4, archived: 0 },
      activities: { created: 0, updated: 1, unchanged: 23, archived: 0 },
    });
    expect(second.activities.updated).toBe(1);

    const after = await snapshot(first.courseId);
    expect(after.totals).toEqual(before.totals);
    for (const [i, activity] of after.activities.entries()) {
      if (activity.id === target.id) {
        expect(activity.title).toBe(newTitle);
        expect({ ...activity, title: target.title, updated_at: null }).toEqual({ ...target, updated_at: null });
      } else {
        expect(activity).toEqual(before.activities[i]); // untouched, updated_at included
      }
    }

    const body = await detail(first.courseId);
    expect(body.status).toBe('published');
    const shown = body.sections[1].activities.find((a: Doc) => a.id === String(target.id));
    expect(shown.title).toBe(newTitle);
    const schedule = (await t.get(`/api/courses/${first.courseId}/schedule`, adminToken)).json();
    expect(schedule.sections[1].items.map((i: Doc) => i.title)).toContain(newTitle);

    const [third] = await c.import();
    expect(third).toMatchObject({ course: 'unchanged', activities: { updated: 0, unchanged: 24 } });
  });

  it('makes a published course\'s video lessons forget what they cached when an import changes its 补学 rule', async () => {
    const c = contentCopy();
    const first = await firstImport(c);
    const video = (await snapshot(first.courseId)).activities.find((a) => a.type === 'video')!;
    // What the video path caches per learner (may this learner report, until when): the next report reads it.
    const redis = t.app.get<Redis>(REDIS);
    const cached = `vw:ctx:${video.id}:1`;
    await redis.set(cached, '{}', 'EX', 300);
    c.editCourse((doc) => {
      doc.makeUpPolicy = 'none';
    });
    const [second] = await c.import();
    expect(second).toMatchObject({ courseId: first.courseId, course: 'updated' });
    expect(await redis.exists(cached)).toBe(0);
  });

  it('archives an activity removed from the files (keeps the row), hides it from learners, and restores it when it comes back', async () => {
    const c = contentCopy();
    const secretary = await makeUser(t.dataSource);
    const first = await firstImport(c);
    const original = readFileSync(c.file('course.yaml'), 'utf8');
    const removedKey = 'dec-reading-cases-elective';
    const removed = (await q('SELECT * FROM activities WHERE course_id = ? AND content_key = ?', [first.courseId, removedKey]))[0];
    expect(removed.archived_at).toBeNull();
    c.editCourse((doc) => {
      const dec = doc.sections.find((s: Doc) => s.key === 'dec');
      dec.activities = dec.activities.filter((a: Doc) => a.key !== removedKey);
    });

    const before = await snapshot(first.courseId);
    const [second] = await c.import();
    // The four activities after it in its section moved up one place: those are the only other writes.
    expect(second).toMatchObject({ course: 'updated', activities: { created: 0, updated: 4, unchanged: 19, archived: 1 } });
    const after = await snapshot(first.courseId);
    const moved = after.activities.filter((a, i) => a.position !== before.activities[i].position);
    expect(moved.map((a) => a.content_key)).toEqual(['dec-video-summary', 'dec-quiz', 'dec-discussion', 'dec-session-closing']);
    for (const [i, a] of after.activities.entries()) {
      const old = before.activities[i];
      if (a.id === removed.id || moved.includes(a)) continue;
      expect(a).toEqual(old);
    }
    for (const a of moved) expect(a.position).toBe(before.activities.find((b) => b.id === a.id)!.position - 1);

    const [row] = await q('SELECT * FROM activities WHERE id = ?', [removed.id]);
    expect(row).toBeDefined(); // archived, not deleted
    expect(row.archived_at).toBeInstanceOf(Date);
    expect(row.title).toBe(removed.title);
    expect(await count('SELECT COUNT(*) AS n FROM activities WHERE course_id = ?', [first.courseId])).toBe(24);

    const asAdmin = await detail(first.courseId);
    const archived = asAdmin.sections[3].activities.find((a: Doc) => a.id === String(removed.id));
    expect(archived.archivedAt).not.toBeNull();
    const asLearner = await detail(first.courseId, await t.login(secretary.username));
    expect(asLearner.role).toBe('learner');
    expect(titles(asLearner)).not.toContain(removed.title);
    expect(titles(asLearner)).toHaveLength(23);
    const schedule = (await t.get(`/api/courses/${first.courseId}/schedule`, adminToken)).json();
    expect(schedule.sections.flatMap((s: Doc) => s.items.map((i: Doc) => i.id))).not.toContain(String(removed.id));

    // Unchanged on the next run: it stays archived and is not counted again.
    const [third] = await c.import();
    expect(third).toMatchObject({ course: 'unchanged', activities: { archived: 0, unchanged: 23 } });

    // Putting it back in the file brings back the same row.
    writeFileSync(c.file('course.yaml'), original);
    const [fourth] = await c.import();
    expect(fourth).toMatchObject({ activities: { created: 0, updated: 5, unchanged: 19, archived: 0 } });
    const [back] = await q('SELECT * FROM activities WHERE id = ?', [removed.id]);
    expect(back.archived_at).toBeNull();
  });

  it('rejects a bad folder with every problem (file, field, reason) and changes nothing in an imported course', async () => {
    const c = contentCopy();
    const first = await firstImport(c);
    const before = await snapshot(first.courseId);
    // A change that would be written on its own, plus two problems.
    c.editCourse((doc) => {
      c.activity(doc, 'sep-discussion').title = `研讨（修订）${uniq()}`;
    });
    c.editYaml('quizzes/sep.yaml', (doc) => {
      doc.questions[2].answer = 7;
    });
    appendFileSync(c.file('course.yaml'), '\ncolour: red\n');

    const error = await rejection(c.import());
    expect(await snapshot(first.courseId)).toEqual(before);
    expect(error.message).toContain(c.shown());
    const problems: ContentProblem[] = error.problems;
    expect(problems).toContainEqual(expect.objectContaining({ file: c.shown(), reason: expect.stringMatching(/colour/) }));
    expect(problems).toContainEqual({ file: c.shown('quizzes/sep.yaml'), field: 'questions[2].answer', reason: '须为其中一个选项的序号' });
  });

  it('rejects bad content of a new course without creating anything', async () => {
    const c = contentCopy();
    const before = await snapshot(null);
    let single = -1;
    c.editYaml('quizzes/oct.yaml', (doc) => {
      single = doc.questions.findIndex((question: Doc) => question.kind === 'single');
      doc.questions[single].answer = 42;
    });
    expect(single).toBeGreaterThanOrEqual(0);
    c.editCourse((doc) => {
      c.activity(doc, 'nov-quiz').key = 'oct-quiz';
    });

    const error = await rejection(c.import());
    expect(await count('SELECT COUNT(*) AS n FROM courses WHERE content_key = ?', [c.slug])).toBe(0);
    expect(await snapshot(null)).toEqual(before);
    expect(error.problems).toEqual([
      { file: c.shown('quizzes/oct.yaml'), field: `questions[${single}].answer`, reason: '须为其中一个选项的序号' },
      { file: c.shown(), field: 'sections[2].activities[3].key', reason: '"oct-quiz" is already used by sections[1].activities[3]' },
    ]);
  });

  it('rejects a schema problem of a new course without creating anything', async () => {
    const c = contentCopy();
    const before = await snapshot(null);
    c.editCourse((doc) => {
      c.activity(doc, 'oct-video-sanhui-yike').creditHours = -1;
      c.activity(doc, 'oct-quiz').passpercent = 80;
    });

    const error = await rejection(c.import());
    expect(await count('SELECT COUNT(*) AS n FROM courses WHERE content_key = ?', [c.slug])).toBe(0);
    expect(await snapshot(null)).toEqual(before);
    expect(error.problems).toContainEqual({ file: c.shown(), field: 'sections[1].activities[2].creditHours', reason: 'must not be negative' });
    expect(error.problems).toContainEqual(expect.objectContaining({ file: c.shown(), reason: expect.stringMatching(/passpercent/) }));
  });

  it('rejects a plan problem of a new course (loader-level) without creating anything', async () => {
    const c = contentCopy();
    const before = await snapshot(null);
    c.editCourse((doc) => {
      c.activity(doc, 'nov-quiz').dueAt = '2027-02-01T00:00:00+08:00';
      doc.requiredCreditHours = 500;
    });
    const error = await rejection(c.import());
    expect(await count('SELECT COUNT(*) AS n FROM courses WHERE content_key = ?', [c.slug])).toBe(0);
    expect(await snapshot(null)).toEqual(before);
    expect(error.problems).toEqual(
      expect.arrayContaining([
        { file: c.shown(), field: 'sections[2].activities[3].dueAt', reason: expect.stringContaining('不在培训期内') },
        { file: c.shown(), field: 'requiredCreditHours', reason: expect.stringContaining('少于要求的 500 学时') },
      ]),
    );
    expect(error.problems).toHaveLength(2);
  });

  it('rejects an activity whose type changed under the same key, and writes nothing (not even the valid edits)', async () => {
    const c = contentCopy();
    const first = await firstImport(c);
    const before = await snapshot(first.courseId);
    c.editCourse((doc) => {
      // A valid edit elsewhere in the same run: rolled back with the rest.
      c.activity(doc, 'sep-discussion').title = `研讨（修订）${uniq()}`;
      doc.description = '新的说明';
      // The video lesson becomes a reading under the same key.
      const video = c.activity(doc, 'sep-video-intro');
      delete video.file;
      delete video.durationSeconds;
      delete video.completionPercent;
      Object.assign(video, { type: 'reading', body: 'readings/sep-duties.md' });
    });

    const error = await rejection(c.import());
    expect(await snapshot(first.courseId)).toEqual(before);
    expect(error.problems).toHaveLength(1);
    const [problem] = error.problems;
    expect(problem.reason).toContain('type changed from video to reading');
    expect(problem.field).toMatch(/sep-video-intro|sections\[0\]\.activities\[2\]/);
    // Named like every other problem: the course.yaml that was imported, as the loader names it.
    expect(problem.file).toBe(c.shown());

    const body = await detail(first.courseId);
    expect(body.description).toBe(before.course[0].description);
    expect(body.sections[0].activities.find((a: Doc) => a.type === 'video')?.title).toBe(c.read().sections[0].activities[2].title);
  });
});
