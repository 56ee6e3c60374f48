import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ActivityProgress } from '../../src/progress/activity-progress.entity';
import { makeBranch, makeUnit, makeUser, uniq } from '../factories/org.factory';
import { taughtCourseSuite } from '../factories/taught-course';
import { OWN_WORDS, READING } from '../factories/reflection-texts';
import { multipartFile } from '../support/multipart';

describe('readings and reflections (e2e)', () => {
  const s = taughtCourseSuite(`阅读${uniq()}`);
  const reading = (settings: Record<string, unknown> = {}) =>
    s.addPublished({ type: 'reading', title: `阅读${uniq()}`, creditHours: 2, body: READING, minReflectionLength: 100, reflectionNeedsApproval: true, ...settings });
  const state = async (activityId: string, userId: string) =>
    (await s.t.dataSource.getRepository(ActivityProgress).findOneBy({ activityId, userId }))?.state ?? 'not_started';

  it('renders the reading as sanitized HTML and counts Chinese characters, not Markdown or spaces', async () => {
    const id = await reading({ body: `${READING}\n\n<script>alert(1)</script>\n\n[链接](javascript:alert(2))` });
    const { token } = await s.learner();
    const shown = (await s.t.get(`/api/activities/${id}/reading`, token)).json();
    expect(shown.html).toContain('<h1>党支部书记的职责</h1>');
    expect(shown.html).not.toContain('<script');
    expect(shown.html).not.toMatch(/href="javascript:/);
    expect(shown.html).toContain('&lt;script&gt;'); // shown as text, never run
    expect(shown).toMatchObject({ minReflectionLength: 100, reflectionNeedsApproval: true, myReflection: null });

    // 98 characters of text padded with Markdown and whitespace is still short: the answer says by how much.
    const short = `## 标题\n\n**${'学'.repeat(96)}**     \n\n> 好`;
    const tooShort = await s.t.post(`/api/activities/${id}/reflections`, { body: short }, token);
    expect(tooShort.statusCode).toBe(400);
    expect(tooShort.json()).toMatchObject({ code: 'REFLECTION_TOO_SHORT', charCount: 99, minReflectionLength: 100 });
    expect(tooShort.json().message).toEqual(['心得至少 100 字，还差 1 字（排版符号和空格不计）']);
    expect(tooShort.json().errors).toEqual([{ field: 'body', rule: 'minLength', params: { min: 100 }, message: tooShort.json().message[0] }]);
  });

  it('keeps drafts, then runs the review cycle: submit, return with feedback, resubmit, approve as 优秀', async () => {
    const id = await reading();
    const { user, token } = await s.learner();
    const draft = await s.t.post(`/api/activities/${id}/reflections`, { body: '先写几句', draft: true }, token);
    expect(draft.statusCode).toBe(201);
    expect(draft.json().status).toBe('draft');
    expect(await state(id, user.id)).toBe('not_started');
    expect((await s.t.get(`/api/activities/${id}/reflections`, s.instructorToken)).json()).toMatchObject({ items: [], total: 0 });

    const submitted = await s.t.post(`/api/activities/${id}/reflections`, { body: OWN_WORDS, shareConsent: true }, token);
    expect(submitted.statusCode).toBe(201);
    expect(submitted.json()).toMatchObject({ status: 'submitted', id: draft.json().id });
    expect(await state(id, user.id)).toBe('in_progress');

    const queue = (await s.t.get(`/api/activities/${id}/reflections?status=submitted`, s.instructorToken)).json().items;
    expect(queue).toHaveLength(1);
    expect(queue[0]).toMatchObject({ author: { id: user.id }, copyCheck: { flagged: false } });
    const reflectionId = queue[0].id;
    expect((await s.t.post(`/api/reflections/${reflectionId}/review`, { decision: 'return' }, s.instructorToken)).statusCode).toBe(400);
    const returned = await s.t.post(`/api/reflections/${reflectionId}/review`, { decision: 'return', feedback: '请结合本支部的具体做法再展开' }, s.instructorToken);
    expect(returned.json()).toMatchObject({ status: 'returned', feedback: '请结合本支部的具体做法再展开' });
    expect((await s.t.get(`/api/activities/${id}/reading`, token)).json().myReflection).toMatchObject({ status: 'returned', feedback: '请结合本支部的具体做法再展开' });
    const inbox = (await s.t.get('/api/me/notifications', token)).json();
    expect(inbox).toMatchObject({ unread: 1, items: [{ kind: 'reflection.returned', readAt: null }] });
    expect(inbox.items[0].body).toContain('请结合本支部的具体做法再展开');

    const revised = `${OWN_WORDS}\n\n具体来说，我们支部把每月的主题党日和教研活动安排在同一天，先学习再研讨，效果很好。`;
    expect((await s.t.post(`/api/activities/${id}/reflections`, { body: revised }, token)).json().status).toBe('submitted');
    const approved = await s.t.post(`/api/reflections/${reflectionId}/review`, { decision: 'approve', excellent: true }, s.instructorToken);
    expect(approved.json()).toMatchObject({ status: 'approved', excellent: true });
    expect(await state(id, user.id)).toBe('completed');
    expect((await s.t.post(`/api/activities/${id}/reflections`, { body: revised }, token)).statusCode).toBe(409);
    const approvedNote = (await s.t.get('/api/me/notifications?unread=true', token)).json();
    expect(approvedNote.items.map((n: { kind: string }) => n.kind)).toEqual(['reflection.approved', 'reflection.returned']);
    expect(approvedNote.items[0].body).toContain('优秀心得');

    const history = (await s.t.get(`/api/reflections/${reflectionId}`, token)).json().history;
    expect(history.map((h: { event: string }) => h.event)).toEqual(['submitted', 'returned', 'submitted', 'approved']);
    const { token: classmate } = await s.learner();
    const showcase = (await s.t.get(`/api/activities/${id}/reflections/excellent`, classmate)).json();
    expect(showcase).toHaveLength(1);
    expect(showcase[0]).toMatchObject({ author: { id: user.id }, excellent: true });
    expect(showcase[0].copyCheck).toBeUndefined();
    expect((await s.t.get(`/api/reflections/${reflectionId}`, classmate)).statusCode).toBe(404);
  });

  it('refuses reviews in a closed course without changing anything, and submissions from withdrawn learners', async () => {
    const closedCourse = await s.t.post('/api/courses', { title: `已结业${uniq()}`, startsAt: new Date(Date.now() - 86400e3).toISOString(), endsAt: new Date(Date.now() + 86400e3).toISOString() }, s.adminToken);
    const cid = closedCourse.json().id;
    const sid = (await s.t.post(`/api/courses/${cid}/sections`, { title: '一' }, s.adminToken)).json().id;
    const rid = (await s.t.post(`/api/courses/${cid}/activities`, { type: 'reading', sectionId: sid, title: '阅读', creditHours: 1, body: READING, minReflectionLength: 10, reflectionNeedsApproval: true }, s.adminToken)).json().id;
    await s.t.post(`/api/courses/${cid}/publish`, {}, s.adminToken);
    const user = await makeUser(s.t.dataSource, { branch: await makeBranch(s.t.dataSource, await makeUnit(s.t.dataSource)) });
    const other = await makeUser(s.t.dataSource, { branch: await makeBranch(s.t.dataSource, await makeUnit(s.t.dataSource)) });
    await s.t.post(`/api/courses/${cid}/enrollments`, { userIds: [user.id, other.id] }, s.adminToken);
    const submitted = (await s.t.post(`/api/activities/${rid}/reflections`, { body: OWN_WORDS }, await s.t.login(user.username))).json();
    await s.t.delete(`/api/courses/${cid}/enrollments/${other.id}`, s.adminToken);
    const withdrawn = await s.t.post(`/api/activities/${rid}/reflections`, { body: OWN_WORDS }, await s.t.login(other.username));
    expect(withdrawn.statusCode).toBe(403);
    await s.t.post(`/api/courses/${cid}/close`, {}, s.adminToken);
    const review = await s.t.post(`/api/reflections/${submitted.id}/review`, { decision: 'approve' }, s.adminToken);
    expect(review.statusCode).toBe(409);
    expect((await s.t.get(`/api/reflections/${submitted.id}`, s.adminToken)).json()).toMatchObject({ status: 'submitted', history: [{ event: 'submitted' }] });
  });

  it('completes on submission when no approval is needed', async () => {
    const id = await reading({ reflectionNeedsApproval: false });
    const { user, token } = await s.learner();
    expect((await s.t.post(`/api/activities/${id}/reflections`, { body: OWN_WORDS }, token)).json().status).toBe('submitted');
    expect(await state(id, user.id)).toBe('completed');
  });

  it('flags near-copies of a classmate or of the reading to the reviewer, without blocking', async () => {
    const id = await reading();
    const first = await s.learner();
    const second = await s.learner();
    const third = await s.learner();
    await s.t.post(`/api/activities/${id}/reflections`, { body: OWN_WORDS }, first.token);
    const copied = OWN_WORDS.replace('一年来', '两年来').replace('明显提高', '大大提高');
    expect((await s.t.post(`/api/activities/${id}/reflections`, { body: copied }, second.token)).statusCode).toBe(201);
    const fromReading = `${READING}\n${READING.replace('第一责任人', '首要责任人')}`;
    expect((await s.t.post(`/api/activities/${id}/reflections`, { body: fromReading }, third.token)).statusCode).toBe(201);

    const listed = (await s.t.get(`/api/activities/${id}/reflections?pageSize=100`, s.instructorToken)).json().items;
    const byAuthor = Object.fromEntries(listed.map((r: { author: { id: string } }) => [r.author.id, r]));
    const firstId = byAuthor[first.user.id].id;
    expect(byAuthor[second.user.id].copyCheck).toMatchObject({ source: 'reflection', reflectionId: firstId, flagged: true });
    expect(byAuthor[second.user.id].copyCheck.similarity).toBeGreaterThan(0.7);
    expect(byAuthor[third.user.id].copyCheck).toMatchObject({ source: 'reading', flagged: true });
    expect(byAuthor[first.user.id].copyCheck.flagged).toBe(false);
    // Learners never see the check.
    expect((await s.t.get(`/api/activities/${id}/reflections`, second.token)).json().items[0].copyCheck).toBeUndefined();
  });

  it('stores script as written and shows it harmless; keeps strangers and learners out of others’ work', async () => {
    const id = await reading({ minReflectionLength: 10 });
    const { token } = await s.learner();
    const xss = `我的体会<img src=x onerror=alert(1)><script>alert(2)</script>[点我](javascript:alert(3))支部工作要落到实处，见到实效`;
    const saved = await s.t.post(`/api/activities/${id}/reflections`, { body: xss }, token);
    expect(saved.statusCode).toBe(201);
    expect(saved.json().body).toBe(xss);
    const html = saved.json().html as string;
    expect(html).not.toMatch(/<script|<img|href="javascript:|<[^>]+\son\w+=/);
    expect(html).toContain('支部工作要落到实处');

    const stranger = await s.t.login((await makeUser(s.t.dataSource, { branch: await makeBranch(s.t.dataSource, await makeUnit(s.t.dataSource)) })).username);
    expect((await s.t.get(`/api/activities/${id}/reading`, stranger)).statusCode).toBe(404);
    expect((await s.t.post(`/api/activities/${id}/reflections`, { body: OWN_WORDS }, stranger)).statusCode).toBe(404);
    expect((await s.t.post(`/api/activities/${id}/reflections`, { body: OWN_WORDS }, s.instructorToken)).statusCode).toBe(403);
    const otherInstructor = await s.t.login((await makeUser(s.t.dataSource, { role: 'instructor' })).username);
    const reflectionId = saved.json().id;
    expect((await s.t.post(`/api/reflections/${reflectionId}/review`, { decision: 'approve' }, otherInstructor)).statusCode).toBe(404);
    expect((await s.t.post(`/api/reflections/${reflectionId}/review`, { decision: 'maybe' }, s.instructorToken)).statusCode).toBe(400);
  });

  it('lets a unit admin review only their unit\'s learners: another unit\'s reflection answers 404 and nothing happens', async () => {
    const id = await reading({ minReflectionLength: 10 });
    const { user, token } = await s.learner();
    const submitted = (await s.t.post(`/api/activities/${id}/reflections`, { body: OWN_WORDS }, token)).json();
    const ownUnitAdmin = await s.t.login((await makeUser(s.t.dataSource, { role: 'admin', unitId: user.unitId })).username);
    const otherUnitAdmin = await s.t.login((await makeUser(s.t.dataSource, { role: 'admin', unitId: (await makeUnit(s.t.dataSource)).id })).username);

    for (const decision of [{ decision: 'approve', excellent: true }, { decision: 'return', feedback: '请结合支部实际重写' }]) {
      const refused = await s.t.post(`/api/reflections/${submitted.id}/review`, decision, otherUnitAdmin);
      expect(refused.statusCode).toBe(404);
      expect(refused.json().code).toBe('REFLECTION_NOT_FOUND');
      expect(refused.body).not.toContain(user.name);
      expect(refused.body).not.toContain(OWN_WORDS);
    }
    expect((await s.t.get(`/api/reflections/${submitted.id}`, otherUnitAdmin)).statusCode).toBe(404);
    expect((await s.t.get(`/api/reflections/${submitted.id}`, s.adminToken)).json()).toMatchObject({ status: 'submitted', history: [{ event: 'submitted' }] });
    expect(await state(id, user.id)).toBe('in_progress');
    expect((await s.t.get('/api/me/notifications', token)).json().items.filter((n: { kind: string }) => n.kind.startsWith('reflection.'))).toEqual([]);

    const approved = await s.t.post(`/api/reflections/${submitted.id}/review`, { decision: 'approve' }, ownUnitAdmin);
    expect(approved.statusCode).toBe(200);
    expect(approved.json()).toMatchObject({ status: 'approved', author: { id: user.id } });
    expect(await state(id, user.id)).toBe('completed');
  });

  it('hands out PDF materials with a reading: checked by their bytes, downloadable by the class only', async () => {
    const id = await reading();
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');
    const send = (content: Buffer, name: string, token = s.instructorToken) =>
      s.t.request({ method: 'POST', url: `/api/activities/${id}/attachments`, token, ...multipartFile('file', name, content, 'application/pdf') });
    const uploaded = await send(pdf, '支部工作条例（试行）.pdf');
    expect(uploaded.statusCode).toBe(201);
    expect(uploaded.json()).toMatchObject({ fileName: '支部工作条例（试行）.pdf', sizeBytes: pdf.length });
    expect((await send(Buffer.from('MZ not a pdf at all, an executable'), 'fake.pdf')).statusCode).toBe(415);

    // A database that fails the insert leaves no stored file behind (nor a temporary one).
    const trigger = `fail_attachment_${id}`;
    await s.t.dataSource.query(`CREATE TRIGGER ${trigger} BEFORE INSERT ON reading_attachments FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'injected failure'`);
    try {
      expect((await send(pdf, 'lost.pdf')).statusCode).toBe(500);
    } finally {
      await s.t.dataSource.query(`DROP TRIGGER IF EXISTS ${trigger}`);
    }
    expect(readdirSync(join(process.env.STORAGE_DIR!, 'readings', id))).toHaveLength(1);

    const { token } = await s.learner();
    const listed = (await s.t.get(`/api/activities/${id}/attachments`, token)).json();
    expect(listed).toHaveLength(1);
    const download = await s.t.request({ method: 'GET', url: `/api/attachments/${listed[0].id}`, token });
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-type']).toBe('application/pdf');
    expect(download.headers['content-disposition']).toContain(encodeURIComponent('支部工作条例（试行）.pdf'));
    expect(download.rawPayload.equals(pdf)).toBe(true);
    expect((await send(pdf, 'x.pdf', token)).statusCode).toBe(403);

    const stranger = await s.t.login((await makeUser(s.t.dataSource, { branch: await makeBranch(s.t.dataSource, await makeUnit(s.t.dataSource)) })).username);
    expect((await s.t.request({ method: 'GET', url: `/api/attachments/${listed[0].id}`, token: stranger })).statusCode).toBe(404);
    expect((await s.t.delete(`/api/attachments/${listed[0].id}`, s.instructorToken)).statusCode).toBe(204);
    expect((await s.t.get(`/api/activities/${id}/attachments`, token)).json()).toEqual([]);
  });
});
