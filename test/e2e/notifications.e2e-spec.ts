import { NotificationsService } from '../../src/notifications/notifications.service';
import { makeUser, uniq } from '../factories/org.factory';
import { createTestApp, TestApp } from '../support/test-app';

describe('in-app notifications (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  // Deduplication, ordering and the read rules are tested on the service (test/services/notifications.service.int-spec.ts).
  it('lists a user’s own notifications and marks them read through the routes; another’s is 404, none without login', async () => {
    const [me, other] = [await makeUser(t.dataSource), await makeUser(t.dataSource)];
    const service = t.app.get(NotificationsService);
    const key = uniq('k');
    await service.notify([{ userId: me.id, kind: 'test.first', title: '第一条', body: '正文一', dedupeKey: key }]);
    await service.notify([{ userId: me.id, kind: 'test.second', title: '第二条', body: '正文二', link: '/courses/1' }, { userId: other.id, kind: 'test.other', title: '别人的', body: '不可见' }]);

    const token = await t.login(me.username);
    const list = (await t.get('/api/me/notifications', token)).json();
    expect(list).toMatchObject({ total: 2, unread: 2 });
    expect(list.items.map((n: { title: string }) => n.title)).toEqual(['第二条', '第一条']);

    const read = await t.post(`/api/me/notifications/${list.items[1].id}/read`, {}, token);
    expect(read.statusCode).toBe(200);
    expect(read.json().readAt).toBeTruthy();
    expect((await t.get('/api/me/notifications?unread=true', token)).json()).toMatchObject({ total: 1, unread: 1 });
    expect((await t.post('/api/me/notifications/read-all', {}, token)).json()).toEqual({ updated: 1 });

    const othersId = (await t.get('/api/me/notifications', await t.login(other.username))).json().items[0].id;
    expect((await t.post(`/api/me/notifications/${othersId}/read`, {}, token)).statusCode).toBe(404);
    expect((await t.get('/api/me/notifications')).statusCode).toBe(401);
  });
});
