import { NotificationsService } from '../../src/notifications/notifications.service';
import { SuggestionsModule } from '../../src/suggestions/suggestions.module';
import { SuggestionsService } from '../../src/suggestions/suggestions.service';
import type { User } from '../../src/users/user.entity';
import { makeCourse } from '../factories/course-rows.factory';
import { makeBranch, makeUnit, makeUser } from '../factories/org.factory';
import { createServiceModule, ServiceModule } from '../support/service-module';
import { actorOf } from './actors';
import { RedisModule } from '../../src/redis/redis.module';
import { QueueModule } from '../../src/jobs/queue.module';

const page = (extra: Record<string, string> = {}) => ({ page: 1, pageSize: 20, skip: 0, ...extra }) as never;

/** 建言献策's rules on SuggestionsService with the real database (the routes: suggestions.e2e-spec.ts). */
describe('SuggestionsService (real MySQL)', () => {
  let s: ServiceModule;
  let author: User;
  let classmate: User;
  let dept: User;
  let unitAdmin: User;
  let otherAdmin: User;

  beforeAll(async () => {
    s = await createServiceModule({ imports: [RedisModule, QueueModule, SuggestionsModule] });
    const [unit, other] = [await makeUnit(s.dataSource), await makeUnit(s.dataSource)];
    author = await makeUser(s.dataSource, { branch: await makeBranch(s.dataSource, unit) });
    classmate = await makeUser(s.dataSource, { branch: await makeBranch(s.dataSource, unit) });
    dept = await makeUser(s.dataSource, { role: 'admin' });
    unitAdmin = await makeUser(s.dataSource, { role: 'admin', unitId: unit.id });
    otherAdmin = await makeUser(s.dataSource, { role: 'admin', unitId: other.id });
  });
  afterAll(() => s.close());

  it('shows a suggestion to its author, their unit admin and the department; anonymity hides the author from all but the department and the author', async () => {
    const suggestions = s.get(SuggestionsService);
    const open = await suggestions.create({ title: '建议增加案例教学', body: '希望多安排**案例**研讨。' }, actorOf(author));
    expect(open).toMatchObject({ status: 'received', author: { id: author.id, name: author.name }, bodyHtml: expect.stringContaining('<strong>案例</strong>') });
    const anonymous = await suggestions.create({ title: '匿名建议', body: '时间能否调整？', anonymous: true }, actorOf(author));

    expect((await suggestions.get(anonymous.id, actorOf(dept))).author).toMatchObject({ id: author.id });
    expect((await suggestions.get(anonymous.id, actorOf(author))).author).toMatchObject({ id: author.id });
    const seenByUnit = await suggestions.list(page(), actorOf(unitAdmin));
    expect(seenByUnit.items.map((x) => x.id)).toEqual([anonymous.id, open.id]);
    expect(seenByUnit.items[0].author).toBeNull();
    expect(seenByUnit.items[1].author).toMatchObject({ id: author.id });
    await expect(suggestions.get(anonymous.id, actorOf(otherAdmin))).rejects.toMatchObject({ response: { code: 'SUGGESTION_NOT_FOUND' } });
    await expect(suggestions.get(anonymous.id, actorOf(classmate))).rejects.toMatchObject({ response: { code: 'SUGGESTION_NOT_FOUND' } });
    expect((await suggestions.list(page({ mine: 'true' }), actorOf(dept))).total).toBe(0);
  });

  it("the department answers and sets the status, and the author hears of it; a unit admin may not answer", async () => {
    const suggestions = s.get(SuggestionsService);
    const mine = await suggestions.create({ title: '关于课程安排', body: '能否增加线下研讨？', anonymous: true }, actorOf(author));
    await expect(suggestions.reply(mine.id, { reply: '已转组织部。' }, actorOf(unitAdmin))).rejects.toMatchObject({ response: { code: 'DEPARTMENT_ONLY' } });
    await expect(suggestions.reply(mine.id, { reply: '已转组织部。' }, actorOf(otherAdmin))).rejects.toMatchObject({ response: { code: 'SUGGESTION_NOT_FOUND' } });

    const answered = await suggestions.reply(mine.id, { body: '感谢建议，下期将增加。', status: 'adopted' }, actorOf(dept));
    expect(answered).toMatchObject({ status: 'adopted', reply: '感谢建议，下期将增加。', repliedAt: expect.any(Date) });
    expect((await suggestions.get(mine.id, actorOf(unitAdmin))).author).toBeNull();
    expect((await suggestions.list(page({ status: 'adopted' }), actorOf(author))).items.map((x) => x.id)).toEqual([mine.id]);
    const inbox = await s.get(NotificationsService).list(author.id, page());
    expect(inbox.items[0]).toMatchObject({ kind: 'suggestion.replied', title: '组织部回复了你的建议：关于课程安排', link: `/suggestions/${mine.id}` });
  });

  it('names the course a suggestion is about', async () => {
    const course = await makeCourse(s.dataSource);
    await s.dataSource.query(`INSERT INTO enrollments (course_id, user_id, status, source, enrolled_at) VALUES (?, ?, 'active', 'user', NOW(3))`, [course.id, author.id]);
    const about = await s.get(SuggestionsService).create({ title: '关于本班', body: '建议延长补学时间。', courseId: course.id }, actorOf(author));
    expect(about).toMatchObject({ courseId: course.id, courseTitle: course.title });
  });
});
