import ExcelJS from 'exceljs';
import { makeBranch, makeUnit, makeUser, uniq } from '../factories/org.factory';
import { DESKTOP, downloadFile, failOnPageErrorsAndCloseAfterAll, JOURNEY_MS, pageWidth, shot, startBrowserHarness, type BrowserHarness, type Person } from './browser-support';

/** The phone of the journey: a common 390 × 844 handset. */
const PHONE_390 = { width: 390, height: 844 };
const HOUR = 3600e3;

/**
 * 调查研究 in Chromium: the department builds an anonymous survey for all branch secretaries; a secretary answers
 * it on a phone (and changes a named one); the department reads the results, with charts and the by-unit
 * breakdown, and downloads the Excel workbook.
 */
describe('surveys in Chromium (browser e2e)', () => {
  let h: BrowserHarness;
  let department: Person;
  let secretary: Person;
  let crowdTokens: string[];
  let crowdUnit: string;
  const title = `支部工作调研${uniq()}`;
  let surveyId: string;

  beforeAll(async () => {
    h = await startBrowserHarness();
    const ds = h.t.dataSource;
    department = await makeUser(ds, { role: 'admin', name: `组织部${uniq()}` });
    const unit = await makeUnit(ds, { name: `手机学院党委${uniq()}` });
    secretary = await makeUser(ds, { branch: await makeBranch(ds, unit), name: `李书记${uniq()}` });
    // Five secretaries of one unit answer too, so that unit is shown on its own in the results.
    const crowd = await makeUnit(ds, { name: `五人学院党委${uniq()}` });
    crowdUnit = crowd.name;
    const branch = await makeBranch(ds, crowd);
    crowdTokens = await Promise.all(Array.from({ length: 5 }, async () => h.t.login((await makeUser(ds, { branch })).username)));
  }, 180_000);

  failOnPageErrorsAndCloseAfterAll(() => h);

  it('the department builds an anonymous survey for all secretaries: questions added, reordered and removed', async () => {
    const desk = await h.loggedIn(department, DESKTOP);
    await desk.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '问卷调查' }).click();
    await desk.getByRole('heading', { name: '问卷调查', level: 1 }).waitFor();
    await desk.getByRole('link', { name: '发起问卷' }).click();
    await desk.getByRole('heading', { name: '发起问卷', level: 1 }).waitFor();

    // Sent empty: every problem is said beside its field, nothing is sent.
    await desk.getByRole('button', { name: '发布问卷' }).click();
    await desk.getByText('请按标出的提示修改后再提交。').waitFor();
    await desk.getByTestId('builder-question-1').getByText('请填写题干').waitFor();

    await desk.getByLabel('问卷标题').fill(title);
    await desk.getByLabel('全体支部书记').check();
    const q1 = desk.getByTestId('builder-question-1');
    await q1.getByLabel('第 1 题题干').fill('本年度支部工作总体满意度');
    await q1.getByLabel('第 1 题选项 1', { exact: true }).fill('满意');
    await q1.getByLabel('第 1 题选项 2', { exact: true }).fill('基本满意');
    await q1.getByRole('button', { name: '添加选项' }).click();
    await q1.getByLabel('第 1 题选项 3', { exact: true }).fill('不满意');

    await desk.getByRole('button', { name: '+ 简答题' }).click();
    await desk.getByRole('button', { name: '+ 多选题' }).click();
    await desk.getByRole('button', { name: '+ 评分题' }).click();
    await desk.getByRole('button', { name: '+ 单选题' }).click();
    await desk.getByRole('button', { name: '删除第 5 题', exact: true }).click();
    expect(await desk.getByTestId('builder-questions').locator(':scope > li').count()).toBe(4);

    await desk.getByLabel('第 2 题题干').fill('意见和建议');
    await desk.getByTestId('builder-question-2').getByLabel('必答').uncheck();
    const q3 = desk.getByTestId('builder-question-3');
    await q3.getByLabel('第 3 题题干').fill('最需要的培训内容');
    await q3.getByLabel('第 3 题选项 1', { exact: true }).fill('党章党规');
    await q3.getByLabel('第 3 题选项 2', { exact: true }).fill('组织生活');
    await q3.getByLabel('必答').uncheck();
    await desk.getByLabel('第 4 题题干').fill('培训组织工作评分');
    // The free-text question goes last: down twice.
    await desk.getByRole('button', { name: '第 2 题下移' }).click();
    await desk.getByRole('button', { name: '第 3 题下移' }).click();
    await desk.getByTestId('builder-question-4').getByText('答卷人用文字作答').waitFor();
    await expect(desk.getByLabel('第 4 题题干').inputValue()).resolves.toBe('意见和建议');
    await desk.getByTestId('builder-question-3').getByText('答卷人从 1 到 5 分中选择一个分数。').waitFor();
    // The certificate checkbox belongs to course surveys only.
    expect(await desk.getByLabel('结业前须填写').count()).toBe(0);
    await desk.getByLabel('一个培训班').check();
    await desk.getByLabel('结业前须填写').waitFor();
    await desk.getByLabel('全体支部书记').check();
    await shot(desk, 'surveys-builder');
    // The builder fits a phone too.
    await desk.setViewportSize(PHONE_390);
    expect(await pageWidth(desk)).toBeLessThanOrEqual(PHONE_390.width);
    await shot(desk, 'surveys-builder-phone');
    await desk.setViewportSize(DESKTOP);

    await desk.getByRole('button', { name: '发布问卷' }).click();
    await desk.getByText('问卷已发布。').waitFor();
    surveyId = desk.url().split('/surveys/')[1];
    await desk.getByRole('heading', { name: title }).waitFor();
    await desk.getByTestId('survey-preview').waitFor();
    expect(await desk.getByRole('button', { name: '提交问卷' }).count()).toBe(0);

    const stored = (await h.t.get(`/api/surveys/${surveyId}`, await h.t.login(department.username))).json();
    expect(stored).toMatchObject({ title, anonymous: true, audience: { kind: 'all' } });
    expect(stored.questions.map((q: { kind: string; prompt: string; required: boolean }) => [q.kind, q.prompt, q.required])).toEqual([
      ['single', '本年度支部工作总体满意度', true],
      ['multiple', '最需要的培训内容', false],
      ['scale', '培训组织工作评分', true],
      ['text', '意见和建议', false],
    ]);
    expect(stored.questions[0].options).toEqual(['满意', '基本满意', '不满意']);
  }, JOURNEY_MS);

  it('a secretary answers it on a phone, once, with the required questions checked first', async () => {
    const phone = await h.loggedIn(secretary, PHONE_390);
    await phone.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '问卷调查' }).click();
    const card = phone.getByTestId('surveys-to-answer').getByRole('article', { name: title });
    await card.getByText('待填写').waitFor();
    await card.getByText(/截止时间：.*（北京时间）/).waitFor();
    await shot(phone, 'surveys-list-phone');
    await card.getByRole('link', { name: '填写问卷' }).click();

    await phone.getByRole('heading', { name: title }).waitFor();
    await phone.getByTestId('survey-privacy').getByText('匿名问卷：答卷不与你的身份关联').waitFor();
    await phone.getByTestId('survey-privacy').getByText(/每人只能提交一次/).waitFor();
    await phone.getByTestId('question-1').getByText('必答').waitFor();
    await phone.getByTestId('question-2').getByText('选答').waitFor();

    await phone.getByRole('button', { name: '提交问卷' }).click();
    await phone.getByText('还有必答题未作答：第 1、3 题。').waitFor();
    await phone.getByTestId('question-3').getByText('此题必答').waitFor();

    await phone.getByTestId('question-1').getByText('满意', { exact: true }).click();
    await phone.getByTestId('question-2').getByText('党章党规').click();
    await phone.getByTestId('question-2').getByText('组织生活').click();
    const four = phone.getByTestId('question-3').getByLabel('4 分');
    // A rating is a tap target at least 44 px high on a phone.
    const box = (await phone.getByTestId('question-3').locator('.scale-point').nth(3).boundingBox())!;
    expect(box.height).toBeGreaterThanOrEqual(44);
    await four.check();
    await phone.getByTestId('question-4').getByRole('textbox').fill('希望多组织案例研讨');
    expect(await pageWidth(phone)).toBeLessThanOrEqual(PHONE_390.width);
    await shot(phone, 'surveys-answer-phone');
    await phone.getByRole('button', { name: '提交问卷' }).click();
    await phone.getByText('提交成功，感谢你的参与！这份匿名答卷不与你的身份关联。').waitFor();
    // Answered: no second answer is offered.
    await phone.getByRole('heading', { name: title }).waitFor();
    expect(await phone.getByRole('button', { name: '提交问卷' }).count()).toBe(0);
    await shot(phone, 'surveys-answered-phone');

    await phone.goto(`${h.base}/surveys/${surveyId}`);
    await phone.getByText('你已提交这份匿名问卷，感谢参与。', { exact: false }).waitFor();
    await phone.goto(`${h.base}/surveys`);
    await phone.getByTestId('surveys-to-answer').getByRole('article', { name: title }).getByText('已填写').waitFor();
  }, JOURNEY_MS);

  it('a named survey shows the secretary their earlier answer and takes a change until it closes', async () => {
    const token = await h.t.login(department.username);
    const named = (
      await h.t.post(
        '/api/surveys',
        {
          title: `具名意见征集${uniq()}`,
          anonymous: false,
          audience: { all: true },
          opensAt: new Date(Date.now() - HOUR).toISOString(),
          closesAt: new Date(Date.now() + 48 * HOUR).toISOString(),
          questions: [
            { kind: 'single', prompt: '是否参加下期培训', options: ['参加', '不参加'], required: true },
            { kind: 'scale', prompt: '本期培训评分', required: true },
          ],
        },
        token,
      )
    ).json();
    const phone = await h.loggedIn(secretary, PHONE_390);
    await phone.goto(`${h.base}/surveys/${named.id}`);
    await phone.getByTestId('survey-privacy').getByText('具名问卷：答卷与你的姓名关联').waitFor();
    await phone.getByTestId('question-1').getByText('参加', { exact: true }).click();
    await phone.getByTestId('question-2').getByLabel('3 分').check();
    await phone.getByRole('button', { name: '提交问卷' }).click();
    await phone.getByText(/提交成功，感谢你的参与！.*之前可以回到这里修改答卷。/).waitFor();

    await phone.reload();
    await phone.getByText('你已提交过答卷，下面是你上次的回答。', { exact: false }).waitFor();
    expect(await phone.getByTestId('question-1').getByLabel('参加', { exact: true }).isChecked()).toBe(true);
    expect(await phone.getByTestId('question-2').getByLabel('3 分').isChecked()).toBe(true);
    await phone.getByTestId('question-2').getByLabel('5 分').check();
    await phone.getByRole('button', { name: '保存修改' }).click();
    await phone.getByText('修改已保存，统计以这次提交的答卷为准。').waitFor();
    await shot(phone, 'surveys-named-edited-phone');
    const results = (await h.t.get(`/api/surveys/${named.id}/results`, token)).json();
    expect(results.responses).toBe(1);
    expect(results.questions[1].counts).toEqual([0, 0, 0, 0, 1]);
  }, JOURNEY_MS);

  it('an instructor asks the learners of a course they teach, on a phone; a unit admin has no surveys', async () => {
    const ds = h.t.dataSource;
    const instructor = await makeUser(ds, { role: 'instructor', name: `授课教师${uniq()}` });
    const courseTitle = `问卷培训班${uniq()}`;
    const created = await h.t.post(
      '/api/courses',
      { title: courseTitle, startsAt: new Date(Date.now() - 24 * HOUR).toISOString(), endsAt: new Date(Date.now() + 60 * 24 * HOUR).toISOString(), instructorIds: [instructor.id] },
      await h.t.login(department.username),
    );
    expect(created.statusCode).toBe(201);

    const phone = await h.loggedIn(instructor, PHONE_390);
    await phone.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '问卷调查' }).click();
    await phone.getByRole('link', { name: '发起问卷' }).click();
    // An instructor's audience is a course of theirs: no other choice is offered.
    expect(await phone.getByLabel('全体支部书记').count()).toBe(0);
    await phone.getByText('只能选择你授课的培训班。').waitFor();
    await phone.getByLabel('结业前须填写').waitFor();
    await phone.getByLabel('问卷标题').fill('培训效果评估');
    await phone.getByRole('combobox', { name: '培训班' }).selectOption({ label: courseTitle });
    await phone.getByRole('combobox', { name: '题型' }).selectOption({ label: '评分题' });
    await phone.getByLabel('第 1 题题干').fill('本期培训总体评价');
    await phone.getByRole('button', { name: '发布问卷' }).click();
    await phone.getByText('问卷已发布。').waitFor();
    await phone.getByRole('link', { name: '← 问卷调查' }).click();
    const card = phone.getByTestId('surveys-mine').getByRole('article', { name: '培训效果评估' });
    await card.getByText(`“${courseTitle}”学员`).waitFor();
    await card.getByText('进行中').waitFor();
    expect(await pageWidth(phone)).toBeLessThanOrEqual(PHONE_390.width);
    await shot(phone, 'surveys-instructor-phone');

    const unitAdmin = await makeUser(ds, { role: 'admin', unitId: (await makeUnit(ds)).id, name: `学院管理员${uniq()}` });
    const desk = await h.loggedIn(unitAdmin, DESKTOP);
    await desk.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '建言献策' }).waitFor();
    expect(await desk.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '问卷调查' }).count()).toBe(0);
  }, JOURNEY_MS);

  it('the department reads the results with a chart per question and downloads the Excel workbook', async () => {
    for (const [i, token] of crowdTokens.entries()) {
      const sent = await h.t.post(`/api/surveys/${surveyId}/responses`, { answers: [i % 2, [0], 5 - (i % 2), null] }, token);
      expect(sent.statusCode).toBe(201);
    }
    const desk = await h.loggedIn(department, DESKTOP);
    await desk.goto(`${h.base}/surveys`);
    await desk.getByTestId('surveys-mine').getByRole('article', { name: title }).getByRole('link', { name: '查看结果' }).click();
    await desk.getByRole('heading', { name: `问卷结果：${title}` }).waitFor();
    await expect(desk.getByTestId('survey-responses').textContent()).resolves.toBe('6');

    // Each choice and rating question has its chart drawn on a canvas.
    for (const n of [1, 2, 3]) await desk.getByTestId(`chart-${n}`).locator('canvas').waitFor();
    const single = desk.getByTestId('result-1');
    await single.getByRole('row', { name: /满意 4 66.7%/ }).first().waitFor();
    await desk.getByTestId('mean-3').getByText('平均 4.5 分，满分 5 分').waitFor();
    await desk.getByTestId('texts-4').getByText('希望多组织案例研讨').waitFor();

    // By unit: the five-answer unit is shown; the phone secretary's unit (one answer) only in the totals.
    const byUnit = desk.getByTestId('survey-by-unit');
    await byUnit.getByRole('rowheader', { name: crowdUnit }).waitFor();
    expect(await byUnit.locator('tbody tr').count()).toBe(1);
    await desk.getByTestId('not-broken-down').getByText('另有 1 份答卷来自答卷不足 5 份的单位').waitFor();
    await shot(desk, 'surveys-results');

    const file = await downloadFile(desk, () => desk.getByRole('button', { name: '下载 Excel 统计表' }).click());
    expect(file.name).toBe(`问卷结果-${title}.xlsx`);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(file.bytes as unknown as ArrayBuffer);
    expect(book.getWorksheet('统计')!.getRow(2).values).toEqual([undefined, '答卷数', 6]);
    expect(book.getWorksheet('统计')!.getRow(4).values).toEqual([undefined, 1, '单选', '本年度支部工作总体满意度', '满意', 4]);

    // On a phone the results stay within the screen.
    const phone = await h.loggedIn(department, PHONE_390);
    await phone.goto(`${h.base}/surveys/${surveyId}/results`);
    await phone.getByTestId('chart-1').locator('canvas').waitFor();
    expect(await pageWidth(phone)).toBeLessThanOrEqual(PHONE_390.width);
    await shot(phone, 'surveys-results-phone');

    // English is there too.
    await phone.getByRole('button', { name: '语言: English' }).click();
    await phone.getByRole('heading', { name: `Results: ${title}` }).waitFor();
    await phone.getByRole('button', { name: 'Download the Excel workbook' }).waitFor();
    await phone.getByTestId('not-broken-down').getByText('Answers from units with fewer than 5 answers: 1.').waitFor();
    await shot(phone, 'surveys-results-phone-en');
  }, JOURNEY_MS);
});
