import { DataSource } from 'typeorm';
import type { AuthUser } from '../../src/common/auth-user';
import { Transactions } from '../../src/database/transactions';
import { DiscussionsModule } from '../../src/discussions/discussions.module';
import { DiscussionsService } from '../../src/discussions/discussions.service';
import { EventBus } from '../../src/events/event-bus';
import { QueueModule } from '../../src/jobs/queue.module';
import { ProgressService } from '../../src/progress/progress.service';
import { RedisModule } from '../../src/redis/redis.module';
import type { User } from '../../src/users/user.entity';
import { enrolRows, makeCourseRows } from '../factories/course-rows.factory';
import { makeBranch, makeUnit, makeUser } from '../factories/org.factory';
import { createServiceModule, ServiceModule } from '../support/service-module';

/** What counts toward a discussion on the real database: qualifying posts, replies to others, hidden posts. */
describe('DiscussionsService (posts that count)', () => {
  let s: ServiceModule;
  let ds: DataSource;
  let discussions: DiscussionsService;

  beforeAll(async () => {
    s = await createServiceModule({ imports: [RedisModule, QueueModule, DiscussionsModule] });
    ds = s.dataSource;
    discussions = s.get(DiscussionsService);
  });
  afterAll(() => s.close());

  const actor = (user: User, role: AuthUser['role'] = 'secretary'): AuthUser => ({
    id: user.id,
    username: user.username,
    name: user.name,
    role,
    unitId: role === 'admin' ? null : user.unitId,
    branchId: user.branchId,
    mustChangePassword: false,
  });

  /** A discussion asking for two posts of at least 5 characters, one of them a reply to someone else. */
  async function discussionWith(learnerCount: number) {
    const branch = await makeBranch(ds, await makeUnit(ds));
    const learners: AuthUser[] = [];
    for (let i = 0; i < learnerCount; i++) learners.push(actor(await makeUser(ds, { branch })));
    const { course, activities } = await makeCourseRows(ds, [{ type: 'discussion' }]);
    const ids = learners.map((l) => l.id);
    await enrolRows(ds, course.id, ids);
    await s.get(Transactions).run((manager) => s.get(EventBus).emitInTransaction(manager, 'enrollment.changed', { courseId: course.id, userIds: ids }));
    return { discussion: activities[0], learners };
  }

  const state = async (activityId: string, userId: string) => {
    const row = (await s.get(ProgressService).statesFor(userId, [activityId])).get(activityId);
    return { state: row?.state ?? 'not_started', percent: row?.percent ?? 0 };
  };

  it('a thread of their own counts a third of the way; a qualifying reply in a classmate’s thread completes it', async () => {
    const { discussion, learners: [ann, bob] } = await discussionWith(2);
    const thread = await discussions.createThread(discussion.id, ann, '学习体会', '认真学习党章，牢记初心使命。');
    expect(await state(discussion.id, ann.id)).toEqual({ state: 'in_progress', percent: 33 });
    await discussions.reply(thread.id, ann, '补充一点自己的想法。');
    expect(await state(discussion.id, ann.id)).toEqual({ state: 'in_progress', percent: 66 });

    const bobs = await discussions.createThread(discussion.id, bob, '我的看法', '联系实际谈几点体会。');
    await discussions.reply(bobs.id, ann, '很受启发，谢谢分享。');
    expect((await state(discussion.id, ann.id)).state).toBe('completed');
  });

  it('posts shorter than the minimum count for nothing', async () => {
    const { discussion, learners: [ann] } = await discussionWith(1);
    await discussions.createThread(discussion.id, ann, '短', '好的');
    expect(await state(discussion.id, ann.id)).toEqual({ state: 'in_progress', percent: 0 });
  });

  it('a hidden post stops counting toward the minimums, but a completion already earned stands', async () => {
    const { discussion, learners: [ann, bob] } = await discussionWith(2);
    const admin = actor(await makeUser(ds, { role: 'admin' }), 'admin');
    const own = await discussions.createThread(discussion.id, ann, '学习体会', '认真学习党章，牢记初心使命。');
    await discussions.reply(own.id, ann, '补充一点自己的想法。');
    const bobs = await discussions.createThread(discussion.id, bob, '我的看法', '联系实际谈几点体会。');
    const reply = await discussions.reply(bobs.id, ann, '很受启发，谢谢分享。');
    expect((await state(discussion.id, ann.id)).state).toBe('completed');

    await discussions.moderatePost(reply.id, admin, { hidden: true });
    expect(await state(discussion.id, ann.id)).toEqual({ state: 'completed', percent: 100 });

    // Bob's hidden opening post no longer counts for him: with a new thread he has one qualifying post, not two.
    const bobsOpening = (await discussions.thread(bobs.id, admin, { page: 1, pageSize: 20, skip: 0 } as never)).posts.items[0];
    await discussions.moderatePost(bobsOpening.id, admin, { hidden: true });
    await discussions.createThread(discussion.id, bob, '再谈体会', '学习之后更加坚定信念。');
    expect(await state(discussion.id, bob.id)).toEqual({ state: 'in_progress', percent: 33 });
  });
});
