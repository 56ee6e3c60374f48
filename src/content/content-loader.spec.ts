import { appendFileSync, cpSync, mkdtempSync, readFileSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import type { QuizSettings, ReadingSettings, SessionSettings, VideoSettings } from '../access/activity-settings';
import { ContentError, ContentProblem, LoadedActivity, LoadedCourse, loadContent } from './content-loader';

const CONTENT = join(__dirname, '../../content');
const SLUG = 'branch-secretary-2026';

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A private copy of the demo content folder, with helpers to break it in one place. */
function copy() {
  const root = mkdtempSync(join(tmpdir(), 'bst-content-spec-'));
  cpSync(CONTENT, root, { recursive: true });
  let folder = join(root, 'courses', SLUG);
  const c = {
    root,
    get folder() {
      return folder;
    },
    file: (path: string) => join(folder, path),
    /** The file as loadContent names it in a problem (relative to the working directory). */
    shown: (path = 'course.yaml') => relative(process.cwd(), join(folder, path)),
    editYaml(path: string, edit: (doc: Doc) => void) {
      const doc = parseYaml(readFileSync(c.file(path), 'utf8')) as Doc;
      edit(doc);
      writeFileSync(c.file(path), stringifyYaml(doc));
    },
    editCourse: (edit: (doc: Doc) => void) => c.editYaml('course.yaml', edit),
    activity(doc: Doc, key: string): Doc {
      for (const section of doc.sections) {
        const found = section.activities.find((a: Doc) => a.key === key);
        if (found) return found;
      }
      throw new Error(`no activity ${key}`);
    },
    renameFolder(name: string) {
      const next = join(root, 'courses', name);
      renameSync(folder, next);
      folder = next;
    },
  };
  copies.push(root);
  return c;
}

const copies: string[] = [];
afterAll(() => {
  for (const root of copies) rmSync(root, { recursive: true, force: true });
});

/** The problems loadContent rejects the folder with (fails when it does not reject). */
function problemsOf(root: string): ContentProblem[] {
  try {
    loadContent(root);
  } catch (error) {
    expect(error).toBeInstanceOf(ContentError);
    const problems = (error as ContentError).problems;
    // The message lists every problem, so the command line shows them all.
    for (const p of problems) expect((error as ContentError).message).toContain(`${p.file}: ${p.field}: ${p.reason}`);
    return problems;
  }
  throw new Error('loadContent accepted the folder');
}

const demoYaml = parseYaml(readFileSync(join(CONTENT, 'courses', SLUG, 'course.yaml'), 'utf8')) as Doc;
const demoActivities: Doc[] = demoYaml.sections.flatMap((s: Doc) => s.activities);

describe('loadContent', () => {
  describe('the demo content', () => {
    let course: LoadedCourse;
    let all: LoadedActivity[];
    const byKey = (key: string) => all.find((a) => a.key === key)!;
    beforeAll(() => {
      const loaded = loadContent(copy().root);
      expect(loaded).toHaveLength(1);
      course = loaded[0];
      all = course.sections.flatMap((s) => s.activities);
    });

    it('loads one course with its four monthly sections and every activity in file order', () => {
      expect(loadContent(CONTENT)).toHaveLength(1);
      expect(course).toMatchObject({
        slug: SLUG,
        title: '2026年秋季党支部书记培训班',
        graceDays: 0,
        requiredCreditHours: 56,
        requiredSessions: 3,
        publish: true,
        instructors: ['teacher'],
        enrollAllSecretaries: true,
      });
      expect(course.startsAt).toEqual(new Date('2026-08-31T16:00:00.000Z'));
      expect(course.endsAt).toEqual(new Date('2026-12-31T15:59:59.000Z'));
      expect(course.description).toMatch(/^本培训班面向全校/);
      expect(course.description).toBe(course.description!.trim());
      expect(course.sections.map((s) => [s.key, s.position])).toEqual([
        ['sep', 0],
        ['oct', 1],
        ['nov', 2],
        ['dec', 3],
      ]);
      expect(all.map((a) => a.key)).toEqual(demoActivities.map((a) => a.key));
      expect(all).toHaveLength(24);
      expect(course.sections.map((s) => s.activities.length)).toEqual([6, 6, 6, 6]);
      expect(course.sections[3].activities.map((a) => a.position)).toEqual([0, 1, 2, 3, 4, 5]);
    });

    it('normalizes each type of activity to the settings the API stores, with referenced files read in', () => {
      const quiz = byKey('sep-quiz');
      expect(quiz).toMatchObject({ type: 'quiz', title: '九月测验：职责定位与规范化建设', required: true, creditHours: 1.5, mediaFile: null });
      expect(quiz.opensAt).toEqual(new Date('2026-09-09T10:00:00.000Z'));
      expect(quiz.dueAt).toEqual(new Date('2026-09-30T15:59:00.000Z'));
      const quizSettings = quiz.settings as QuizSettings;
      expect(quizSettings).toMatchObject({ passPercent: 80, maxAttempts: 3, timeLimitMinutes: 20, shuffleOptions: true, showAnswersAfterSubmit: true });
      expect(Array.isArray(quizSettings.questions)).toBe(true);
      expect(quizSettings.questions).toHaveLength(9);
      expect(quizSettings.questions[0]).toMatchObject({ kind: 'single', answer: 1, points: 1 });
      expect(quizSettings.questions[3]).toMatchObject({ kind: 'multiple', answer: [0, 2], points: 2 });
      expect(quizSettings.questions[5]).toMatchObject({ kind: 'truefalse', answer: false });
      // Only the quiz's own settings, not the file's bookkeeping fields.
      expect(Object.keys(quizSettings).sort()).toEqual(['grading', 'maxAttempts', 'passPercent', 'questions', 'showAnswersAfterSubmit', 'shuffleOptions', 'timeLimitMinutes']);

      const reading = byKey('sep-reading-duties');
      expect(reading.type).toBe('reading');
      expect(reading.settings as ReadingSettings).toEqual({
        // The Markdown text itself, trimmed as the API stores it.
        body: readFileSync(join(CONTENT, 'courses', SLUG, 'readings/sep-duties.md'), 'utf8').trim(),
        minReflectionLength: 300,
        reflectionNeedsApproval: true,
      });
      expect((reading.settings as ReadingSettings).body).toMatch(/^# 党支部书记的职责定位与工作方法/);

      const video = byKey('sep-video-intro');
      expect(video).toMatchObject({ type: 'video', mediaFile: 'videos/sep-intro.mp4' });
      expect(video.settings as VideoSettings).toEqual({ durationSeconds: 24, completionPercent: 90 });

      const session = byKey('sep-session-opening');
      expect(session.settings as SessionSettings).toEqual({
        startsAt: '2026-09-09T14:30:00+08:00',
        endsAt: '2026-09-09T17:30:00+08:00',
        location: '行政楼报告厅',
        speaker: '组织部 王老师',
      });
      expect(session.opensAt).toBeNull();

      expect(byKey('sep-discussion').settings).toMatchObject({ minPosts: 1, minReplies: 1, minPostLength: 100, prompt: expect.stringContaining('支部书记') });
      expect(byKey('dec-reading-cases-elective')).toMatchObject({ required: false, creditHours: 1.5 });
    });
  });

  it('rejects a missing content folder', () => {
    const root = mkdtempSync(join(tmpdir(), 'bst-content-empty-'));
    copies.push(root);
    expect(problemsOf(root)).toEqual([{ file: expect.stringMatching(/courses$/), field: '-', reason: 'folder not found' }]);
  });

  it('rejects invalid YAML in course.yaml, naming the file', () => {
    const c = copy();
    appendFileSync(c.file('course.yaml'), '\nextra: [unclosed\n');
    expect(problemsOf(c.root)).toEqual([{ file: c.shown(), field: '-', reason: expect.stringMatching(/^not valid YAML: /) }]);
  });

  it('rejects invalid YAML in a quiz file, naming that file', () => {
    const c = copy();
    writeFileSync(c.file('quizzes/oct.yaml'), 'questions:\n  - kind: single\n   prompt: [broken\n');
    expect(problemsOf(c.root)).toContainEqual({ file: c.shown('quizzes/oct.yaml'), field: '-', reason: expect.stringMatching(/^not valid YAML: /) });
  });

  it('rejects an unknown top-level field, naming it', () => {
    const c = copy();
    appendFileSync(c.file('course.yaml'), '\ncolour: red\n');
    const problems = problemsOf(c.root);
    expect(problems).toHaveLength(1);
    expect(problems[0].file).toBe(c.shown());
    expect(`${problems[0].field} ${problems[0].reason}`).toMatch(/colour/);
    expect(problems[0].reason).toMatch(/unrecognized key/i);
  });

  it('rejects an unknown field of an activity, naming the activity and the field', () => {
    const c = copy();
    c.editCourse((doc) => {
      c.activity(doc, 'oct-quiz').passpercent = 80;
    });
    const problems = problemsOf(c.root);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ file: c.shown(), field: expect.stringMatching(/^sections\[1\]\.activities\[3\]/) });
    expect(`${problems[0].field} ${problems[0].reason}`).toMatch(/passpercent/);
  });

  it('rejects a Markdown body that is not there, naming the activity field and the missing file', () => {
    const c = copy();
    unlinkSync(c.file('readings/dec-elective-cases.md'));
    expect(problemsOf(c.root)).toEqual([
      { file: c.shown(), field: 'sections[3].activities[1].body', reason: 'file readings/dec-elective-cases.md not found next to course.yaml' },
    ]);
  });

  it('rejects a video file that is not there', () => {
    const c = copy();
    c.editCourse((doc) => {
      c.activity(doc, 'dec-video-summary').file = 'videos/missing.mp4';
    });
    expect(problemsOf(c.root)).toEqual([
      { file: c.shown(), field: 'sections[3].activities[2].file', reason: 'file videos/missing.mp4 not found next to course.yaml' },
    ]);
  });

  it('rejects a quiz answer that is not one of the options, in the quiz file with the question path', () => {
    const c = copy();
    c.editYaml('quizzes/sep.yaml', (doc) => {
      doc.questions[2].answer = 7; // the question has four options
    });
    expect(problemsOf(c.root)).toEqual([{ file: c.shown('quizzes/sep.yaml'), field: 'questions[2].answer', reason: '须为其中一个选项的序号' }]);
  });

  it('rejects a multiple-choice answer with an index out of range', () => {
    const c = copy();
    let i = -1;
    c.editYaml('quizzes/nov.yaml', (doc) => {
      i = doc.questions.findIndex((q: Doc) => q.kind === 'multiple');
      doc.questions[i].answer = [0, 9];
    });
    expect(i).toBeGreaterThanOrEqual(0);
    expect(problemsOf(c.root)).toEqual([{ file: c.shown('quizzes/nov.yaml'), field: `questions[${i}].answer`, reason: '须为若干选项序号组成的列表' }]);
  });

  it('rejects a quiz drawing more questions from the bank than a tag holds, at the quiz', () => {
    const c = copy();
    c.editCourse((doc) => {
      c.activity(doc, 'dec-quiz').bank = { keys: ['duty-01'], draws: [{ tags: ['职责定位'], count: 3 }] };
    });
    const problems = problemsOf(c.root);
    expect(problems).toEqual([{ file: c.shown(), field: 'sections[3].activities[3].bank.draws.0.count', reason: expect.stringContaining('不够抽 3 道') }]);
  });

  it('rejects a bank question without a key, in the bank file', () => {
    const c = copy();
    c.editYaml('quizzes/bank.yaml', (doc) => {
      delete doc.questions[0].key;
    });
    const problems = problemsOf(c.root);
    expect(problems.map((p) => [p.file, p.field])).toEqual([[c.shown('quizzes/bank.yaml'), 'questions[0].key']]);
  });

  it('rejects a bank key used twice, naming the second use', () => {
    const c = copy();
    c.editYaml('quizzes/bank.yaml', (doc) => {
      doc.questions[2].key = doc.questions[1].key;
    });
    expect(problemsOf(c.root)).toEqual([{ file: c.shown('quizzes/bank.yaml'), field: 'questions[2].key', reason: '"duty-02" is used twice' }]);
  });

  it('rejects an unknown top-level field of a quiz file, in that file', () => {
    const c = copy();
    c.editYaml('quizzes/nov.yaml', (doc) => {
      doc.passPercent = 60;
    });
    const problems = problemsOf(c.root);
    expect(problems).toHaveLength(1);
    expect(problems[0].file).toBe(c.shown('quizzes/nov.yaml'));
    expect(`${problems[0].field} ${problems[0].reason}`).toMatch(/passPercent/);
  });

  it('rejects a duplicate activity key, pointing at both places', () => {
    const c = copy();
    c.editCourse((doc) => {
      c.activity(doc, 'oct-quiz').key = 'sep-quiz';
    });
    expect(problemsOf(c.root)).toEqual([
      { file: c.shown(), field: 'sections[1].activities[3].key', reason: '"sep-quiz" is already used by sections[0].activities[3]' },
    ]);
  });

  it('rejects a duplicate section key', () => {
    const c = copy();
    c.editCourse((doc) => {
      doc.sections[2].key = 'oct';
    });
    expect(problemsOf(c.root)).toEqual([{ file: c.shown(), field: 'sections[2].key', reason: '"oct" is used twice' }]);
  });

  it('rejects a dueAt outside the training period', () => {
    const c = copy();
    c.editCourse((doc) => {
      c.activity(doc, 'nov-discussion').dueAt = '2027-01-15T23:59:00+08:00';
    });
    expect(problemsOf(c.root)).toEqual([
      { file: c.shown(), field: 'sections[2].activities[4].dueAt', reason: expect.stringContaining('的截止时间不在培训期内') },
    ]);
  });

  it('rejects a session outside the training period', () => {
    const c = copy();
    c.editCourse((doc) => {
      Object.assign(c.activity(doc, 'sep-session-opening'), { startsAt: '2026-08-20T14:30:00+08:00', endsAt: '2026-08-20T17:30:00+08:00' });
    });
    const problems = problemsOf(c.root);
    expect(problems.map((p) => p.field).sort()).toEqual(['sections[0].activities[5].endsAt', 'sections[0].activities[5].startsAt']);
    for (const p of problems) expect(p.reason).toContain('不在培训期内');
  });

  it('rejects negative creditHours', () => {
    const c = copy();
    c.editCourse((doc) => {
      c.activity(doc, 'sep-video-intro').creditHours = -1.5;
    });
    expect(problemsOf(c.root)).toEqual([{ file: c.shown(), field: 'sections[0].activities[2].creditHours', reason: 'must not be negative' }]);
  });

  it('rejects a slug that does not match the folder name', () => {
    const c = copy();
    c.renameFolder('renamed-2026');
    expect(problemsOf(c.root)).toEqual([{ file: c.shown(), field: 'slug', reason: 'must equal the folder name "renamed-2026"' }]);
  });

  it('rejects required credit hours the activities cannot reach', () => {
    const c = copy();
    c.editCourse((doc) => {
      doc.requiredCreditHours = 100;
    });
    expect(problemsOf(c.root)).toEqual([
      { file: c.shown(), field: 'requiredCreditHours', reason: expect.stringContaining('少于要求的 100 学时') },
    ]);
  });

  it('reports every problem of a folder at once, across course.yaml and the quiz files', () => {
    const c = copy();
    c.editCourse((doc) => {
      doc.slug = 'some-other-slug';
      doc.requiredCreditHours = 100;
      c.activity(doc, 'oct-quiz').key = 'sep-quiz';
      c.activity(doc, 'nov-discussion').dueAt = '2027-01-15T23:59:00+08:00';
    });
    unlinkSync(c.file('readings/dec-elective-cases.md'));
    c.editYaml('quizzes/dec.yaml', (doc) => {
      doc.questions[0].answer = 99;
    });
    const problems = problemsOf(c.root);
    expect(problems).toHaveLength(6);
    expect(problems).toEqual(
      expect.arrayContaining([
        { file: c.shown(), field: 'slug', reason: `must equal the folder name "${SLUG}"` },
        { file: c.shown(), field: 'requiredCreditHours', reason: expect.stringContaining('少于要求的 100 学时') },
        { file: c.shown(), field: 'sections[1].activities[3].key', reason: '"sep-quiz" is already used by sections[0].activities[3]' },
        { file: c.shown(), field: 'sections[2].activities[4].dueAt', reason: expect.stringContaining('不在培训期内') },
        { file: c.shown(), field: 'sections[3].activities[1].body', reason: 'file readings/dec-elective-cases.md not found next to course.yaml' },
        { file: c.shown('quizzes/dec.yaml'), field: 'questions[0].answer', reason: '须为其中一个选项的序号' },
      ]),
    );
  });

  it('reports every schema problem of course.yaml at once', () => {
    const c = copy();
    c.editCourse((doc) => {
      doc.colour = 'red';
      c.activity(doc, 'sep-video-intro').creditHours = -1;
      c.activity(doc, 'oct-discussion').key = 'Oct Discussion';
      doc.startsAt = '2026-09-01';
    });
    const problems = problemsOf(c.root);
    expect(problems.every((p) => p.file === c.shown())).toBe(true);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ reason: expect.stringMatching(/colour/) }),
        { file: c.shown(), field: 'sections[0].activities[2].creditHours', reason: 'must not be negative' },
        { file: c.shown(), field: 'sections[1].activities[4].key', reason: expect.stringContaining('lower-case') },
        { file: c.shown(), field: 'startsAt', reason: expect.stringContaining('ISO-8601') },
      ]),
    );
    expect(problems).toHaveLength(4);
  });

  it('reports a schema problem in course.yaml together with a bad quiz file (not one pass per kind)', () => {
    const c = copy();
    appendFileSync(c.file('course.yaml'), '\ncolour: red\n');
    c.editYaml('quizzes/sep.yaml', (doc) => {
      doc.questions[2].answer = 7;
    });
    const problems = problemsOf(c.root);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ file: c.shown(), reason: expect.stringMatching(/colour/) }),
        { file: c.shown('quizzes/sep.yaml'), field: 'questions[2].answer', reason: '须为其中一个选项的序号' },
      ]),
    );
  });
});
