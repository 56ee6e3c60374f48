import { ActivityProgress } from '../../src/progress/activity-progress.entity';
import { DiscussionPost } from '../../src/discussions/discussion.entity';
import { makeBranch, makeUnit, makeUser, uniq } from '../factories/org.factory';
import { createTestApp, TestApp } from '../support/test-app';

const LONG = '我们支部今年把主题党日和教研活动结合起来，先集中学习再分组研讨，效果明显提升，党员参与热情高涨。';

describe('discussion threads (e2e)', () => {
  let t: TestApp;
  let adminToken: string;
  let instructorToken: string;
  let courseId: string;
  let activityId: string;

  beforeAll(async () => {
    t = await createTestApp();
    adminToken = await t.login((await makeUser(t.dataSource, { role: 'admin' })).username);
    const instructor = await makeUser(t.dataSource, { role: 'instructor' });
    instructorToken = await t.login(instructor.username);
    courseId = (await t.post('/api/courses', { title: `研讨${uniq()}`, startsAt: new Date(Date.now() - 86400e3).toISOString(), endsAt: new Date(Date.now() + 60 * 86400e3).toISOString(), instructorIds: [instructor.id] }, adminToken)).json().id;
    const sectionId = (await t.post(`/api/courses/${courseId}/sections`, { title: '一' }, adminToken)).json().id;
    activityId = (await t.post(`/api/courses/${courseId}/activities`, { type: 'discussion', sectionId, title: '研讨：支部工作创新', creditHours: 2, prompt: '谈谈你们支部的做法', minPosts: 2, minReplies: 1, minPostLength: 30 }, adminToken)).json().id;
    expect((await t.post(`/api/courses/${courseId}/publish`, {}, adminToken)).statusCode).toBe(200);
  });
  afterAll(() => t.close());

  async function learner() {
    const user = await makeUser(t.dataSource, { branch: await makeBranch(t.dataSource, await makeUnit(t.dataSource)) });
    await t.post(`/api/courses/${courseId}/enrollments`, { userIds: [user.id] }, adminToken);
    return { user, token: await t.login(user.username) };
  }
  const state = async (userId: string) => (await t.dataSource.getRepository(ActivityProgress).findOneBy({ activityId, userId }))?.state ?? 'not_started';

  it('credits substance only: enough posts of the minimum length, and replies in other people’s threads', async () => {
    const alice = await learner();
    const bob = await learner();
    const thread = await t.post(`/api/activities/${activityId}/threads`, { title: '我们的做法', body: LONG }, alice.token);
    expect(thread.statusCode).toBe(201);
    const threadId = thread.json().id;
    expect(await state(alice.user.id)).toBe('in_progress');

    // Short posts do not count; a reply in her own thread is a post but not a reply to others.
    await t.post(`/api/threads/${threadId}/posts`, { body: '同意' }, alice.token);
    await t.post(`/api/threads/${threadId}/posts`, { body: LONG }, alice.token);
    expect(await state(alice.user.id)).toBe('in_progress');

    const bobs = await t.post(`/api/activities/${activityId}/threads`, { title: '另一个角度', body: LONG }, bob.token);
    const firstPost = (await t.get(`/api/threads/${bobs.json().id}`, alice.token)).json().posts.items[0];
    const reply = await t.post(`/api/threads/${bobs.json().id}/posts`, { body: LONG, parentId: firstPost.id }, alice.token);
    expect(reply.statusCode).toBe(201);
    expect(await state(alice.user.id)).toBe('completed');

    // Bob hears of the reply in the app.
    const inbox = (await t.get('/api/me/notifications', bob.token)).json();
    expect(inbox.items[0]).toMatchObject({ kind: 'discussion.reply' });
  });

  it('nests replies one level, renders Markdown harmless, lists pinned threads first, and pages', async () => {
    const { token } = await learner();
    const older = (await t.post(`/api/activities/${activityId}/threads`, { title: '旧帖', body: LONG }, token)).json();
    const newer = (await t.post(`/api/activities/${activityId}/threads`, { title: '新帖', body: `${LONG}<script>alert(1)</script>` }, token)).json();
    const top = (await t.get(`/api/threads/${newer.id}`, token)).json().posts.items[0];
    expect(top.html).not.toContain('<script');
    const reply = (await t.post(`/api/threads/${newer.id}/posts`, { body: '回复一', parentId: top.id }, token)).json();
    const nested = (await t.post(`/api/threads/${newer.id}/posts`, { body: '回复回复', parentId: reply.id }, token)).json();
    expect(nested.parentId).toBe(top.id);
    const shown = (await t.get(`/api/threads/${newer.id}`, token)).json();
    expect(shown.posts.items).toHaveLength(1);
    expect(shown.posts.items[0].replies.map((r: { body: string }) => r.body)).toEqual(['回复一', '回复回复']);

    expect((await t.post(`/api/threads/${older.id}/moderate`, { pinned: true }, instructorToken)).json().pinned).toBe(true);
    const list = (await t.get(`/api/activities/${activityId}/threads?pageSize=2`, token)).json();
    expect(list.items[0].id).toBe(older.id);
    expect(list.items[1].id).toBe(newer.id);
    expect(list.total).toBeGreaterThanOrEqual(2);
  });

  it('lets moderators lock threads (posting 409), hide posts (kept, shown as hidden) and mark 精华', async () => {
    const { token } = await learner();
    const thread = (await t.post(`/api/activities/${activityId}/threads`, { title: '待锁定', body: LONG }, token)).json();
    const post = (await t.get(`/api/threads/${thread.id}`, token)).json().posts.items[0];
    expect((await t.post(`/api/posts/${post.id}/moderate`, { featured: true }, instructorToken)).json().featured).toBe(true);
    expect((await t.post(`/api/posts/${post.id}/moderate`, { hidden: true }, instructorToken)).json().hidden).toBe(true);
    const asLearner = (await t.get(`/api/threads/${thread.id}`, token)).json().posts.items[0];
    expect(asLearner).toMatchObject({ hidden: true, body: '', html: '' });
    expect((await t.get(`/api/threads/${thread.id}`, instructorToken)).json().posts.items[0].body).toBe(LONG);
    expect(await t.dataSource.getRepository(DiscussionPost).countBy({ id: post.id })).toBe(1);

    expect((await t.post(`/api/threads/${thread.id}/moderate`, { locked: true }, instructorToken)).json().locked).toBe(true);
    const locked = await t.post(`/api/threads/${thread.id}/posts`, { body: LONG }, token);
    expect(locked.statusCode).toBe(409);
    expect(locked.json().code).toBe('THREAD_LOCKED');
    expect((await t.post(`/api/threads/${thread.id}/moderate`, { locked: false }, token)).statusCode).toBe(403);
  });

  it('lets authors edit within the window only, and keeps strangers out', async () => {
    const author = await learner();
    const other = await learner();
    const thread = (await t.post(`/api/activities/${activityId}/threads`, { title: '可编辑', body: LONG }, author.token)).json();
    const post = (await t.get(`/api/threads/${thread.id}`, author.token)).json().posts.items[0];
    const edited = await t.patch(`/api/posts/${post.id}`, { body: `${LONG}（补充）` }, author.token);
    expect(edited.statusCode).toBe(200);
    expect(edited.json().editedAt).toBeTruthy();
    expect((await t.patch(`/api/posts/${post.id}`, { body: '改别人的' }, other.token)).statusCode).toBe(403);
    await t.dataSource.getRepository(DiscussionPost).update({ id: post.id }, { createdAt: new Date(Date.now() - 31 * 60_000) });
    expect((await t.patch(`/api/posts/${post.id}`, { body: '太晚了' }, author.token)).json().code).toBe('EDIT_WINDOW_CLOSED');

    const stranger = await t.login((await makeUser(t.dataSource, { branch: await makeBranch(t.dataSource, await makeUnit(t.dataSource)) })).username);
    expect((await t.get(`/api/activities/${activityId}/threads`, stranger)).statusCode).toBe(404);
    expect((await t.get(`/api/threads/${thread.id}`, stranger)).statusCode).toBe(404);
    expect((await t.post(`/api/threads/${thread.id}/posts`, { body: LONG }, stranger)).statusCode).toBe(404);
    expect((await t.post(`/api/activities/${activityId}/threads`, { title: '', body: '' }, author.token)).statusCode).toBe(400);
  });
});
