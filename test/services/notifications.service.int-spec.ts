import { NotificationsModule } from '../../src/notifications/notifications.module';
import { NotificationsService } from '../../src/notifications/notifications.service';
import { Transactions } from '../../src/database/transactions';
import { makeUser, uniq } from '../factories/org.factory';
import { createServiceModule, ServiceModule } from '../support/service-module';

const page = (extra: { unread?: string } = {}) => ({ page: 1, pageSize: 20, skip: 0, ...extra });

/** In-app notifications on NotificationsService with the real database (the routes: notifications.e2e-spec.ts). */
describe('NotificationsService (real MySQL)', () => {
  let s: ServiceModule;
  beforeAll(async () => {
    s = await createServiceModule({ imports: [NotificationsModule], providers: [Transactions] });
  });
  afterAll(() => s.close());

  it('notifies once per dedupe key, however often it is told, and lists only the recipient’s, newest first', async () => {
    const [me, other] = [await makeUser(s.dataSource), await makeUser(s.dataSource)];
    const notifications = s.get(NotificationsService);
    const key = uniq('k');
    expect(await notifications.notify([{ userId: me.id, kind: 'test.first', title: '第一条', body: '正文一', dedupeKey: key }])).toBe(1);
    expect(await notifications.notify([{ userId: me.id, kind: 'test.first', title: '第一条', body: '正文一', dedupeKey: key }])).toBe(0);
    await notifications.notify([
      { userId: me.id, kind: 'test.second', title: '第二条', body: '正文二', link: '/courses/1' },
      { userId: other.id, kind: 'test.other', title: '别人的', body: '不可见' },
    ]);
    const list = await notifications.list(me.id, page());
    expect(list).toMatchObject({ total: 2, unread: 2 });
    expect(list.items.map((n) => n.title)).toEqual(['第二条', '第一条']);
    expect(list.items[0].link).toBe('/courses/1');
  });

  it('a title longer than 200 characters is cut, not refused', async () => {
    const me = await makeUser(s.dataSource);
    await s.get(NotificationsService).notify([{ userId: me.id, kind: 'test.long', title: '长'.repeat(250), body: '正文' }]);
    expect((await s.get(NotificationsService).list(me.id, page())).items[0].title).toHaveLength(200);
  });

  it('marks one read (keeping when it was first read), then the rest; another person’s is not found', async () => {
    const [me, other] = [await makeUser(s.dataSource), await makeUser(s.dataSource)];
    const notifications = s.get(NotificationsService);
    await notifications.notify([1, 2, 3].map((n) => ({ userId: me.id, kind: 'test.n', title: `第${n}条`, body: '正文' })));
    await notifications.notify([{ userId: other.id, kind: 'test.n', title: '别人的', body: '正文' }]);
    const [first] = (await notifications.list(me.id, page())).items;
    const read = await notifications.markRead(me.id, first.id);
    expect(read.readAt).toBeInstanceOf(Date);
    expect((await notifications.markRead(me.id, first.id)).readAt).toEqual(read.readAt);
    expect(await notifications.list(me.id, page({ unread: 'true' }))).toMatchObject({ total: 2, unread: 2 });
    expect(await notifications.markAllRead(me.id)).toEqual({ updated: 2 });
    expect((await notifications.list(other.id, page())).unread).toBe(1);
    const [othersOwn] = (await notifications.list(other.id, page())).items;
    await expect(notifications.markRead(me.id, othersOwn.id)).rejects.toMatchObject({ response: { code: 'NOTIFICATION_NOT_FOUND' } });
  });

  it('notifying inside a transaction is undone with it', async () => {
    const me = await makeUser(s.dataSource);
    await expect(
      s.get(Transactions).run(async (manager) => {
        await s.get(NotificationsService).notify([{ userId: me.id, kind: 'test.tx', title: '回滚', body: '正文' }], manager);
        throw new Error('the caller fails after notifying');
      }),
    ).rejects.toThrow('the caller fails');
    expect((await s.get(NotificationsService).list(me.id, page())).total).toBe(0);
  });
});
