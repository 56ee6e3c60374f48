import { DataSource } from 'typeorm';
import { Course } from '../../src/courses/course.entity';
import { Activity } from '../../src/courses/activity.entity';
import { Transactions } from '../../src/database/transactions';
import { EventBus } from '../../src/events/event-bus';
import { ProgressModule } from '../../src/progress/progress.module';
import { ProgressService } from '../../src/progress/progress.service';
import { ProgressPlanService } from '../../src/progress/progress-plan.service';
import { ProgressMembershipService } from '../../src/progress/progress-membership.service';
import { RedisModule } from '../../src/redis/redis.module';
import { enrolRows, makeActivity, makeCourse, makeCourseRows } from '../factories/course-rows.factory';
import { courseRows } from '../../src/progress/course-rows.repository';
import { makeBranch, makeUnit, makeUser } from '../factories/org.factory';
import { FakeJobsModule } from '../support/service-fakes';
import { createServiceModule, ServiceModule } from '../support/service-module';

const DAY = 24 * 3600 * 1000;

/**
 * The progress engine on the real database: it applies the outcomes the activities' own rules decide, keeps
 * the 学时 ledger, the summaries and the counters, and follows enrolment, the org and plan edits through events.
 */
describe('ProgressService (engine, ledger, counters, event handlers)', () => {
  let s: ServiceModule;
  let ds: DataSource;
  let engine: ProgressService;
  let bus: EventBus;
  let transactions: Transactions;

  beforeAll(async () => {
    // Progress asks the courses module's repositories, and that module's services queue jobs.
    s = await createServiceModule({ imports: [RedisModule, FakeJobsModule, ProgressModule] });
    ds = s.dataSource;
    engine = s.get(ProgressService);
    bus = s.get(EventBus);
    transactions = s.get(Transactions);
  });
  afterAll(() => s.close());

  async function place() {
    const unitA = await makeUnit(ds);
    const unitB = await makeUnit(ds);
    return { unitA, unitB, a1: await makeBranch(ds, unitA), b1: await makeBranch(ds, unitB) };
  }

  /** The enrolments module's transaction: its rows, then the in-transaction event. */
  async function enrol(courseId: string, userIds: string[]) {
    await enrolRows(ds, courseId, userIds);
    await transactions.run((manager) => bus.emitInTransaction(manager, 'enrollment.changed', { courseId, userIds }));
  }

  async function summary(courseId: string, userId: string) {
    const [row] = await ds.query(
      `SELECT active, unit_id AS unitId, branch_id AS branchId, required_done AS requiredDone, required_total AS requiredTotal,
              credit_hours AS creditHours, completed FROM course_progress WHERE course_id = ? AND user_id = ?`,
      [courseId, userId],
    );
    return row && { ...row, active: Boolean(row.active), completed: Boolean(row.completed), unitId: String(row.unitId), branchId: String(row.branchId), creditHours: Number(row.creditHours) };
  }

  async function doneByUnit(courseId: string, activityId: string): Promise<Record<string, number>> {
    const rows: { unit_id: string; done: string }[] = await ds.query(
      `SELECT unit_id, SUM(done) AS done FROM activity_done_counts WHERE course_id = ? AND activity_id = ? GROUP BY unit_id HAVING SUM(done) <> 0`,
      [courseId, activityId],
    );
    return Object.fromEntries(rows.map((r) => [String(r.unit_id), Number(r.done)]));
  }

  const ledger = async (courseId: string, userId: string) =>
    ((await ds.query(`SELECT hours FROM credit_entries WHERE course_id = ? AND user_id = ? ORDER BY id`, [courseId, userId])) as { hours: string }[]).map((r) => Number(r.hours));

  it("reads a course's rows in primary-key order where they are dense, through the course index where another course's interleave", async () => {
    const [dense, sparse, other] = [await makeCourse(ds), await makeCourse(ds), await makeCourse(ds)];
    const [a, b, c] = [await makeActivity(ds, dense), await makeActivity(ds, sparse), await makeActivity(ds, other)];
    const people = await Promise.all(Array.from({ length: 10 }, () => makeUser(ds)));
    const state = (course: { id: string }, activity: { id: string }, user: { id: string }) =>
      ds.query(`INSERT INTO activity_progress (course_id, activity_id, user_id, state) VALUES (?, ?, ?, 'completed')`, [course.id, activity.id, user.id]);
    for (const user of people) await state(dense, a, user);
    // One row of `sparse`, then nine of `other`, then its second: two rows spread over a span of eleven.
    await state(sparse, b, people[0]);
    for (const user of people.slice(0, 9)) await state(other, c, user);
    await state(sparse, b, people[9]);
    const read = async (courseId: string) => {
      const rows = await courseRows(ds.manager, 'activity_progress', 'ap', courseId);
      const found = await ds.query(`SELECT ap.user_id FROM ${rows.from} WHERE ${rows.where} ORDER BY ap.user_id`, rows.params);
      return { byKey: rows.from.includes('PRIMARY'), users: found.map((r: { user_id: string }) => String(r.user_id)) };
    };
    const ids = (users: { id: string }[]) => users.map((u) => u.id).sort((x, y) => Number(x) - Number(y));
    expect(await read(dense.id)).toEqual({ byKey: true, users: ids(people) });
    expect(await read(sparse.id)).toEqual({ byKey: false, users: ids([people[0], people[9]]) });
    expect(await read(`${Number(other.id) + 1000}`)).toEqual({ byKey: false, users: [] });
  });

  it('works out each learner\'s first missed due date the same way for a few dated activities (as bits) and for more than 63 (probed)', async () => {
    const people = await Promise.all(Array.from({ length: 4 }, () => makeUser(ds)));
    for (const count of [5, 64]) {
      // Due dates out of plan order, two sharing a day, one undated; learner i completes every (i + 1)th activity.
      const rows = Array.from({ length: count }, (_, i) => ({ type: 'video' as const, dueAt: i === 2 ? null : new Date(Date.now() + ((i * 7) % count) * DAY - 20 * DAY) }));
      const { course, activities } = await makeCourseRows(ds, [...rows, { type: 'video', required: false, dueAt: new Date(Date.now() - 25 * DAY) }]);
      await enrolRows(ds, course.id, people.map((p) => p.id));
      await transactions.run((m) => s.get(ProgressMembershipService).initLearners(m, course.id, 'enrolled'));
      for (const [i, person] of people.entries()) {
        for (const [k, activity] of activities.entries()) {
          if (k % (i + 1) === 0 && i < 3) await ds.query(`INSERT INTO activity_progress (course_id, activity_id, user_id, state) VALUES (?, ?, ?, 'completed')`, [course.id, activity.id, person.id]);
        }
      }
      await ds.query(`UPDATE course_progress SET first_missing_due_at = NULL WHERE course_id = ?`, [course.id]);
      await transactions.run((m) => s.get(ProgressPlanService).recomputeFirstMissingDue(course.id, m));
      const stored = await ds.query(`SELECT user_id, first_missing_due_at AS due FROM course_progress WHERE course_id = ? ORDER BY user_id`, [course.id]);
      const expected = people.map((person, i) => {
        const missing = activities.filter((a, k) => a.required && a.dueAt && !(k % (i + 1) === 0 && i < 3)).map((a) => a.dueAt!.getTime());
        return { user_id: person.id, due: missing.length ? new Date(Math.min(...missing)) : null };
      }).sort((a, b) => Number(a.user_id) - Number(b.user_id));
      expect({ count, stored }).toEqual({ count, stored: expected });
    }
  });

  it('enrollment.changed: enrolled learners get a summary with their unit and branch; a withdrawal takes their completions out of the counts at once', async () => {
    const { unitA, a1 } = await place();
    const [stays, leaves] = [await makeUser(ds, { branch: a1 }), await makeUser(ds, { branch: a1 })];
    const { course, activities: [video, reading] } = await makeCourseRows(ds, [{ type: 'video' }, { type: 'reading' }]);
    await enrol(course.id, [stays.id, leaves.id]);
    expect(await summary(course.id, leaves.id)).toMatchObject({ active: true, unitId: unitA.id, branchId: a1.id, requiredTotal: 2, requiredDone: 0 });

    for (const who of [stays, leaves]) await engine.apply(who.id, video.id, { kind: 'complete' });
    expect(await doneByUnit(course.id, video.id)).toEqual({ [unitA.id]: 2 });

    await ds.query(`UPDATE enrollments SET status = 'withdrawn', withdrawn_at = NOW(3) WHERE course_id = ? AND user_id = ?`, [course.id, leaves.id]);
    await transactions.run((manager) => bus.emitInTransaction(manager, 'enrollment.changed', { courseId: course.id, userIds: [leaves.id] }));
    expect(await summary(course.id, leaves.id)).toMatchObject({ active: false, requiredDone: 1 });
    expect(await doneByUnit(course.id, video.id)).toEqual({ [unitA.id]: 1 });
    // A withdrawn learner earns nothing more.
    await expect(engine.apply(leaves.id, reading.id, { kind: 'complete' })).rejects.toMatchObject({ response: { code: 'NOT_ENROLLED' } });

    // Brought back: their record and their place in the counts return.
    await ds.query(`UPDATE enrollments SET status = 'active', withdrawn_at = NULL WHERE course_id = ? AND user_id = ?`, [course.id, leaves.id]);
    await transactions.run((manager) => bus.emitInTransaction(manager, 'enrollment.changed', { courseId: course.id, userIds: [leaves.id] }));
    expect(await summary(course.id, leaves.id)).toMatchObject({ active: true, requiredDone: 1 });
    expect(await doneByUnit(course.id, video.id)).toEqual({ [unitA.id]: 2 });
  });

  it('people.placed: a learner moved to another unit takes their summary copies and completions along, in every course', async () => {
    const { unitB, a1, b1 } = await place();
    const mover = await makeUser(ds, { branch: a1 });
    const first = await makeCourseRows(ds, [{ type: 'video' }]);
    const second = await makeCourseRows(ds, [{ type: 'quiz' }]);
    await enrol(first.course.id, [mover.id]);
    await enrol(second.course.id, [mover.id]);
    await engine.apply(mover.id, first.activities[0].id, { kind: 'complete' });
    await engine.apply(mover.id, second.activities[0].id, { kind: 'complete' });

    await transactions.run(async (manager) => {
      await manager.query(`UPDATE users SET unit_id = ?, branch_id = ? WHERE id = ?`, [unitB.id, b1.id, mover.id]);
      await bus.emitInTransaction(manager, 'people.placed', { userIds: [mover.id] });
    });
    for (const { course, activities } of [first, second]) {
      expect(await summary(course.id, mover.id)).toMatchObject({ unitId: unitB.id, branchId: b1.id });
      expect(await doneByUnit(course.id, activities[0].id)).toEqual({ [unitB.id]: 1 });
    }
  });

  it('applies outcomes: progress keeps the highest percent below 100, completion once with its 学时, a reopen reverses them', async () => {
    const { a1 } = await place();
    const learner = await makeUser(ds, { branch: a1 });
    const { course, activities: [session] } = await makeCourseRows(ds, [{ type: 'session', creditHours: 2 }]);
    await enrol(course.id, [learner.id]);

    expect(await engine.apply(learner.id, session.id, { kind: 'progress', percent: 40 })).toMatchObject({ state: 'in_progress', percent: 40 });
    expect(await engine.apply(learner.id, session.id, { kind: 'progress', percent: 20 })).toMatchObject({ state: 'in_progress', percent: 40, changed: false });
    expect(await engine.apply(learner.id, session.id, { kind: 'progress', percent: 120 })).toMatchObject({ percent: 99 });
    expect(await engine.apply(learner.id, session.id, { kind: 'complete' })).toMatchObject({ state: 'completed', percent: 100, changed: true });
    expect(await engine.apply(learner.id, session.id, { kind: 'complete' })).toMatchObject({ changed: false });
    expect(await summary(course.id, learner.id)).toMatchObject({ requiredDone: 1, creditHours: 2, completed: true });

    expect(await engine.apply(learner.id, session.id, { kind: 'reopen', reason: 'attendance absent' })).toMatchObject({ state: 'in_progress', percent: 0 });
    expect(await engine.apply(learner.id, session.id, { kind: 'reopen', reason: 'attendance absent' })).toMatchObject({ changed: false });
    expect(await ledger(course.id, learner.id)).toEqual([2, -2]);
    expect(await summary(course.id, learner.id)).toMatchObject({ requiredDone: 0, creditHours: 0, completed: false });

    // Completed again (present after absent): a new round, booked again.
    expect(await engine.apply(learner.id, session.id, { kind: 'complete' })).toMatchObject({ state: 'completed', changed: true });
    expect(await ledger(course.id, learner.id)).toEqual([2, -2, 2]);
    expect(await summary(course.id, learner.id)).toMatchObject({ requiredDone: 1, creditHours: 2, completed: true });
  });

  it('a completion after the due date, inside the make-up window, is made up (补学); a closed course takes nothing more', async () => {
    const { a1 } = await place();
    const learner = await makeUser(ds, { branch: a1 });
    const { course, activities: [late, early] } = await makeCourseRows(
      ds,
      [{ type: 'quiz', dueAt: new Date(Date.now() - 2 * DAY) }, { type: 'quiz', dueAt: new Date(Date.now() + 2 * DAY) }],
      { makeUpPolicy: 'until_end' },
    );
    await enrol(course.id, [learner.id]);
    expect(await engine.apply(learner.id, late.id, { kind: 'complete' })).toMatchObject({ state: 'completed', madeUp: true });
    // The work done before the due date is in time, whenever the outcome arrives.
    expect(await engine.apply(learner.id, early.id, { kind: 'complete', workedAt: new Date(Date.now() - DAY) })).toMatchObject({ madeUp: false });

    await ds.getRepository(Course).update({ id: course.id }, { status: 'closed', closedAt: new Date() });
    await expect(engine.apply(learner.id, late.id, { kind: 'reopen', reason: 'late' })).rejects.toMatchObject({ response: { code: 'COURSE_CLOSED' } });
  });

  it('course.changed and activity.changed: a new minimum or new 学时 reach every summary, and a 学时 change is booked once', async () => {
    const { a1 } = await place();
    const learner = await makeUser(ds, { branch: a1 });
    const { course, activities: [quiz] } = await makeCourseRows(ds, [{ type: 'quiz', creditHours: 1 }]);
    await enrol(course.id, [learner.id]);
    await engine.apply(learner.id, quiz.id, { kind: 'complete' });
    expect(await summary(course.id, learner.id)).toMatchObject({ completed: true, creditHours: 1 });

    await ds.getRepository(Course).update({ id: course.id }, { requiredCreditHours: 2 });
    await bus.emit('course.changed', { courseId: course.id });
    expect(await summary(course.id, learner.id)).toMatchObject({ completed: false });

    await ds.getRepository(Activity).update({ id: quiz.id }, { creditHours: 2.5 });
    await bus.emit('activity.changed', { activityId: quiz.id, courseId: course.id, type: 'quiz' });
    await bus.emit('activity.changed', { activityId: quiz.id, courseId: course.id, type: 'quiz' });
    expect(await ledger(course.id, learner.id)).toEqual([1, 1.5]);
    expect(await summary(course.id, learner.id)).toMatchObject({ completed: true, creditHours: 2.5 });
  });
});
