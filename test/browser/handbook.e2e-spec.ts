import type { Page } from 'playwright-core';
import { NormsService } from '../../src/norms/norms.service';
import type { BranchMember } from '../../src/branch-members/branch-member.entity';
import { makeMembers, pngImage } from '../factories/handbook.factory';
import { makeBranch, makeUnit, makeUser, uniq } from '../factories/org.factory';
import { beijingInput, DESKTOP, failOnPageErrorsAndCloseAfterAll, JOURNEY_MS, pageWidth, PHONE, shot, startBrowserHarness, type BrowserHarness, type Person } from './browser-support';

/**
 * The handbook in Chromium: a secretary on a phone records a 主题党日 with a photo from the phone's camera and
 * sends it for review; the unit admin accepts it at a desk; the secretary sees it locked, with its correction form.
 */
describe('the branch handbook in Chromium (browser e2e)', () => {
  let h: BrowserHarness;
  let secretary: Person;
  let unitAdmin: Person;
  let members: BranchMember[];
  let branchId: string;
  /** The member list's and the norms' routes come with the plans work; until they are served, the page is given the same answers. */
  let stubbed: { members: boolean; norms: boolean };

  beforeAll(async () => {
    h = await startBrowserHarness();
    const t = h.t;
    const unit = await makeUnit(t.dataSource);
    const branch = await makeBranch(t.dataSource, unit);
    branchId = branch.id;
    secretary = await makeUser(t.dataSource, { branch, name: `王书记${uniq()}` });
    unitAdmin = await makeUser(t.dataSource, { role: 'admin', unitId: unit.id, name: `学院党委${uniq()}` });
    members = await makeMembers(t.dataSource, branch, [
      { name: '张红', category: 'full' },
      { name: '刘军', category: 'full' },
      { name: '陈预备', category: 'probationary' },
    ]);
    const paths = Object.keys((await t.get('/api/docs-json')).json().paths as Record<string, unknown>);
    stubbed = { members: !paths.includes('/api/branches/{id}/members'), norms: !paths.includes('/api/norms') };
  }, 180_000);

  failOnPageErrorsAndCloseAfterAll(() => h);

  async function serveMissingRoutes(page: Page): Promise<void> {
    if (stubbed.members) {
      await page.route(`**/api/branches/${branchId}/members`, (route) =>
        route.fulfill({ json: { items: members.map((m) => ({ id: m.id, name: m.name, category: m.category, joinedAt: null, leftAt: null })) } }),
      );
    }
    if (stubbed.norms) {
      await page.route('**/api/norms?*', async (route) => {
        const year = Number(new URL(route.request().url()).searchParams.get('year'));
        const set = await h.t.app.get(NormsService).forYear(year);
        await route.fulfill({ json: { year, items: set.items.map((n) => ({ id: n.id, kind: n.kind, name: n.name, minCount: n.minCount, per: n.per, branchKinds: n.branchKinds, requires: n.requires })) } });
      });
    }
  }

  it('a secretary records a 主题党日 with a photo from the phone, and the unit admin accepts it', async () => {
    const phone = await h.loggedIn(secretary, PHONE);
    await serveMissingRoutes(phone);
    await phone.goto(`${h.base}/handbook`);
    await phone.getByRole('heading', { name: '支部工作手册' }).waitFor();
    await phone.getByText('这一年度还没有工作纪实。').waitFor();
    await phone.getByRole('link', { name: '新建工作纪实' }).click();

    const form = phone.getByRole('form', { name: '工作纪实' });
    await form.getByLabel('活动类型').selectOption({ label: '主题党日' });
    const title = `主题党日：重温入党誓词${uniq()}`;
    await form.getByLabel('标题').fill(title);
    await form.getByLabel('举行时间').fill(beijingInput(-1));
    await form.getByLabel('地点').fill('党员活动室');
    await form.getByLabel('主持人').fill('王书记');
    await form.getByLabel('记录人').fill('李委员');
    const absentee = form.getByTestId('attendee').filter({ hasText: '刘军' });
    await absentee.getByLabel('缺席').check();
    await form.getByLabel('刘军的请假事由').fill('外出培训');
    await form.getByLabel('会议记录').fill('## 议程\n1. 重温入党誓词\n2. 学习党章');
    expect(await pageWidth(phone)).toBeLessThanOrEqual(PHONE.width);
    await shot(phone, 'phone-handbook-record-form');
    await form.getByRole('button', { name: '保存草稿' }).click();
    await phone.getByRole('heading', { name: title }).waitFor();
    await phone.getByTestId('record-status').getByText('草稿').waitFor();

    // The norm of 主题党日 asks for photos: without one the page says so.
    await phone.getByRole('button', { name: '提交审核' }).click();
    await phone.getByRole('alert').getByText(/照片/).waitFor();

    // The photo comes from the phone's camera (an input that asks for it) and shows once stored.
    const camera = phone.locator('input[type=file][capture]');
    expect(await camera.getAttribute('accept')).toBe('image/*');
    await camera.setInputFiles({ name: '合影.png', mimeType: 'image/png', buffer: pngImage(160, 120, [200, 30, 30]) });
    await phone.getByRole('img', { name: '合影.png' }).waitFor();
    await phone.getByRole('button', { name: '提交审核' }).click();
    await phone.getByTestId('record-status').getByText('待审核').waitFor();
    expect(await phone.getByRole('form', { name: '工作纪实' }).count()).toBe(0);
    expect(await pageWidth(phone)).toBeLessThanOrEqual(PHONE.width);
    await shot(phone, 'phone-handbook-record-submitted');

    // The unit admin finds it in the queue, sees the photo and who was absent, and accepts it.
    const desk = await h.loggedIn(unitAdmin, DESKTOP);
    await serveMissingRoutes(desk);
    await desk.goto(`${h.base}/`);
    await desk.getByRole('link', { name: '工作纪实审核' }).click();
    await desk.getByTestId('record-queue').getByRole('link', { name: title }).click();
    await desk.getByRole('heading', { name: title }).waitFor();
    await desk.getByRole('img', { name: '合影.png' }).waitFor();
    await desk.getByText('刘军（外出培训）').waitFor();
    await desk.getByText('出席正式党员 1 人、预备党员 1 人，缺席 1 人').waitFor();
    await desk.getByLabel('审核意见').fill('记录完整，照片清晰。');
    await desk.getByRole('button', { name: '通过' }).click();
    await desk.getByTestId('record-status').getByText('已通过').waitFor();
    await shot(desk, 'unit-admin-record-accepted');

    // Back on the phone: locked, with a correction form instead of the editor.
    await phone.reload();
    await phone.getByTestId('record-status').getByText('已通过').waitFor();
    expect(await phone.getByRole('form', { name: '工作纪实' }).count()).toBe(0);
    await phone.getByRole('form', { name: '提交更正' }).waitFor();
    await phone.goto(`${h.base}/handbook`);
    await phone.getByTestId('records').getByRole('link', { name: title }).waitFor();
    expect(await pageWidth(phone)).toBeLessThanOrEqual(PHONE.width);
  }, JOURNEY_MS);
});
