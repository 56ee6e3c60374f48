import { buildCourse, enrol, expectStatus, type BuiltCourse } from '../factories/course.factory';
import { makeBranch, makeUnit, makeUser, uniq } from '../factories/org.factory';
import { DESKTOP, failOnPageErrorsAndCloseAfterAll, JOURNEY_MS, pageWidth, PHONE, shot, startBrowserHarness, type BrowserHarness, type Person } from './browser-support';

/**
 * The question bank (题库) and the course forum (课程论坛) in Chromium: an instructor fills the bank and has a quiz
 * draw from it, a secretary meets a drawn question; a forum thread gets a reply and its notification opens it.
 */

describe('question bank and course forum in Chromium (browser e2e)', () => {
  let h: BrowserHarness;
  let base: string;
  let course: BuiltCourse;
  let secretary: Person;
  let instructor: Person;
  let adminToken: string;
  const tag = uniq();
  const prompts = [`党章规定党的最高领导机关是？${tag}`, `“三会一课”是党的组织生活基本制度。${tag}`];

  beforeAll(async () => {
    h = await startBrowserHarness();
    base = h.base;
    const t = h.t;
    const unit = await makeUnit(t.dataSource);
    const branch = await makeBranch(t.dataSource, unit);
    secretary = await makeUser(t.dataSource, { branch, role: 'secretary', name: `王书记${uniq()}` });
    instructor = await makeUser(t.dataSource, { role: 'instructor', name: `党校教师${uniq()}` });
    const admin = await makeUser(t.dataSource, { role: 'admin', name: `组织部${uniq()}` });
    adminToken = await t.login(admin.username);
    // A draft: the instructor fills the bank, sets the quiz's draw and publishes in the browser.
    course = await buildCourse(t, adminToken, { publish: false });
    expectStatus(await t.post(`/api/courses/${course.id}/instructors`, { userIds: [instructor.id] }, adminToken), 200, 'add instructor');
  }, 180_000);

  failOnPageErrorsAndCloseAfterAll(() => h);

  const loggedIn = (person: Person, viewport = DESKTOP) => h.loggedIn(person, viewport);

  it(
    'question bank: the instructor adds two tagged questions (a taken key is shown beside the key), filters by tag, has the quiz draw one at random (too many is shown beside the draw) and publishes; a secretary meets a drawn question',
    async () => {
      const desk = await loggedIn(instructor);
      await desk.goto(`${base}/courses/${course.id}/edit`);
      await desk.getByRole('link', { name: '题库' }).click();
      await desk.getByText('没有符合条件的题目。').waitFor();

      // The first question: single choice, tagged 党章.
      await desk.getByRole('button', { name: '添加题库题目' }).click();
      let form = desk.getByRole('form', { name: '添加题库题目' });
      await form.getByLabel('编号').fill(`dz-${tag}`);
      await form.getByLabel('标签').fill('党章');
      await form.getByLabel('题干').fill(prompts[0]);
      await form.getByLabel('选项（每行一个）').fill('党的全国代表大会\n中央委员会');
      await form.getByLabel('答案解析（可空）').fill('党章第十条。');
      await form.getByRole('button', { name: '保存' }).click();
      await desk.getByText('题目已加入题库。').waitFor();

      // The second: the same key is refused beside the key field; then true/false, tagged 党章 and 组织生活.
      await desk.getByRole('button', { name: '添加题库题目' }).click();
      form = desk.getByRole('form', { name: '添加题库题目' });
      await form.getByLabel('编号').fill(`dz-${tag}`);
      await form.getByLabel('题型').selectOption('truefalse');
      await form.getByLabel('题干').fill(prompts[1]);
      await form.getByLabel('标签').fill('党章，组织生活');
      await form.getByRole('button', { name: '保存' }).click();
      await form.locator('.field-invalid', { has: desk.locator('input[name="key"]') }).getByText(/已有编号为「dz-/).waitFor();
      await form.getByLabel('编号').fill(`zz-${tag}`);
      await form.getByRole('button', { name: '保存' }).click();
      await desk.getByText('题目已加入题库。').waitFor();
      const list = desk.getByTestId('bank-questions');
      await list.getByText(prompts[1]).waitFor();
      expect(await list.locator('li.bank-item').count()).toBe(2);

      // The chips count the tags; 组织生活 narrows the list to the second question.
      const chips = desk.getByRole('group', { name: '按标签筛选' });
      await chips.getByRole('button', { name: '党章 2' }).waitFor();
      await chips.getByRole('button', { name: '组织生活 1' }).click();
      await desk.locator('li.bank-item').nth(1).waitFor({ state: 'detached' });
      await list.getByText(prompts[1]).waitFor();
      await shot(desk, 'instructor-question-bank');
      // Search by key, across all tags.
      await chips.getByRole('button', { name: '全部' }).click();
      await desk.getByLabel('搜索编号或题干').fill(`dz-${tag}`);
      await desk.getByLabel('搜索编号或题干').press('Enter');
      await list.getByText(prompts[0]).waitFor();
      await list.getByText(prompts[1]).waitFor({ state: 'detached' });

      // The quiz draws five 党章 questions: too many; publishing says so beside the draw.
      await desk.getByRole('link', { name: '返回课程编辑' }).click();
      await desk.getByRole('button', { name: `编辑：${course.quiz.title}` }).click();
      let quizForm = desk.getByRole('form', { name: `编辑：${course.quiz.title}` });
      await quizForm.getByRole('button', { name: '添加随机抽题' }).click();
      const draw = quizForm.getByTestId('draw-0');
      await draw.getByLabel('标签（含任一即可；留空为全部题目）').fill('党章');
      await draw.getByLabel('抽取题数').fill('5');
      await quizForm.getByRole('button', { name: '保存' }).click();
      await quizForm.waitFor({ state: 'detached' });
      await desk.getByRole('button', { name: '发布', exact: true }).click();
      await desk.getByTestId('publish-problems').waitFor();
      const quizRow = desk.locator(`#activity-${course.quiz.id}`);
      await quizRow.locator('[data-field="bank.draws.0.count"]').getByText(/随机抽题 1 的题数：.*不够抽 5 道/).waitFor();
      await desk.getByRole('button', { name: `编辑：${course.quiz.title}` }).click();
      quizForm = desk.getByRole('form', { name: `编辑：${course.quiz.title}` });
      await quizForm.getByTestId('draw-0').locator('.field-invalid', { has: desk.locator('input[name="draw-0-count"]') }).getByText(/不够抽 5 道/).waitFor();
      await shot(desk, 'instructor-quiz-bank-draw');
      await quizForm.getByTestId('draw-0').getByLabel('抽取题数').fill('1');
      await quizForm.getByRole('button', { name: '保存' }).click();
      await quizForm.waitFor({ state: 'detached' });
      await desk.getByRole('button', { name: '发布', exact: true }).click();
      await desk.getByText('已发布。').waitFor();

      // The secretary's attempt asks the quiz's two questions, then one drawn from the bank.
      await enrol(h.t, adminToken, course.id, [secretary.id]);
      const phone = await loggedIn(secretary, PHONE);
      await phone.goto(`${base}/activities/${course.quiz.id}`);
      await phone.getByRole('button', { name: '开始答题' }).click();
      const legends = phone.locator('form fieldset.question legend');
      await legends.nth(2).waitFor();
      expect(await legends.count()).toBe(3);
      const drawn = (await legends.nth(2).textContent()) ?? '';
      expect(prompts.some((p) => drawn.includes(p))).toBe(true);
      expect(await pageWidth(phone)).toBeLessThanOrEqual(PHONE.width);

      // Back in the bank: an edit is saved; archiving what the published quiz still needs is refused beside that question.
      await desk.getByRole('link', { name: '题库', exact: true }).click();
      await desk.getByRole('button', { name: `编辑：zz-${tag}` }).click();
      const edit = desk.getByRole('form', { name: `编辑：zz-${tag}` });
      await edit.getByLabel('分值').fill('2');
      await edit.getByRole('button', { name: '保存' }).click();
      await desk.getByText('题目已保存。').waitFor();
      await desk.getByRole('listitem', { name: `zz-${tag}` }).getByText('2 分').waitFor();
      await desk.getByRole('button', { name: `归档：dz-${tag}` }).click();
      await desk.getByRole('button', { name: `归档：dz-${tag}` }).waitFor({ state: 'detached' });
      await desk.getByRole('button', { name: `归档：zz-${tag}` }).click();
      await desk.getByRole('listitem', { name: `zz-${tag}` }).getByRole('alert').getByText(/不够抽 1 道/).waitFor();
      // The archived question comes back from the 已归档 view.
      await desk.getByLabel('范围').selectOption('archived');
      await desk.getByRole('button', { name: `恢复：dz-${tag}` }).click();
      await desk.getByRole('button', { name: `恢复：dz-${tag}` }).waitFor({ state: 'detached' });
      await shot(desk, 'instructor-question-bank-in-use');
    },
    JOURNEY_MS,
  );

  it(
    'course forum: the instructor starts a thread from the course page, a secretary replies, and the notification opens the thread',
    async () => {
      const desk = await loggedIn(instructor);
      await desk.goto(`${base}/courses/${course.id}`);
      await desk.getByRole('link', { name: '论坛' }).click();
      await desk.getByRole('heading', { name: /课程论坛/ }).waitFor();
      await desk.getByText('论坛里还没有主题，来发第一个吧。').waitFor();
      const title = `关于集中培训安排的说明${uniq()}`;
      const form = desk.getByRole('form', { name: '发起新主题' });
      await form.getByLabel('主题标题').fill(title);
      await form.getByLabel('内容，支持 Markdown 格式').fill('集中培训在**党校报告厅**举行，有问题请在此提出。');
      await form.getByRole('button', { name: '发布主题' }).click();
      await desk.getByRole('heading', { name: new RegExp(title) }).waitFor();
      expect(desk.url()).toMatch(new RegExp(`/courses/${course.id}/forum/threads/\\d+$`));

      const phone = await loggedIn(secretary, PHONE);
      await phone.goto(`${base}/courses/${course.id}`);
      await phone.getByRole('link', { name: '论坛' }).click();
      await phone.getByTestId('threads').getByRole('link', { name: title }).click();
      await phone.getByRole('heading', { name: new RegExp(title) }).waitFor();
      await phone.getByRole('article', { name: `${instructor.name} 的帖子` }).locator('strong', { hasText: '党校报告厅' }).waitFor();
      const reply = '请问需要提前多久到场签到？';
      const postForm = phone.getByRole('form', { name: '参与讨论' });
      await postForm.getByLabel('内容，支持 Markdown 格式').fill(reply);
      await postForm.getByRole('button', { name: '发表' }).click();
      await phone.getByRole('article', { name: `${secretary.name} 的帖子` }).getByText(reply).waitFor();
      expect(await pageWidth(phone)).toBeLessThanOrEqual(PHONE.width);
      await shot(phone, 'phone-course-forum-thread');

      // The instructor hears of the reply; its link (/courses/:id/forum/threads/:id) opens the thread.
      await desk.goto(`${base}/`);
      await desk.getByRole('link', { name: '通知（1）' }).click();
      await desk.getByText(new RegExp(title)).first().waitFor();
      await desk.getByRole('link', { name: '查看' }).first().click();
      await desk.getByRole('heading', { name: new RegExp(title) }).waitFor();
      await desk.getByRole('article', { name: `${secretary.name} 的帖子` }).getByText(reply).waitFor();
      expect(desk.url()).toMatch(new RegExp(`/courses/${course.id}/forum/threads/\\d+$`));
      await desk.getByRole('link', { name: '← 课程论坛' }).click();
      await desk.getByTestId('threads').getByRole('link', { name: title }).waitFor();
    },
    JOURNEY_MS,
  );
});
