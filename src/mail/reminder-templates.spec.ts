import { renderReminder } from './reminder-templates';

describe('reminder templates (zh-CN)', () => {
  it('puts the same facts in the subject, text and HTML, and escapes what users wrote', () => {
    const mail = renderReminder({
      kind: 'overdue',
      name: '张伟',
      courseTitle: '2026年党支部书记培训班',
      activityTitle: '<script>alert(1)</script>学习党章',
      dueAt: '2026年11月24日 18:00',
      makeUpUntil: '2026年12月31日 23:59',
      url: 'https://peixun.example.cn/courses/1/activities/2',
      path: '/courses/1/activities/2',
    });
    expect(mail.subject).toBe('【培训提醒】「<script>alert(1)</script>学习党章」已逾期，可补学至 2026年12月31日 23:59');
    expect(mail.text).toContain('请在 2026年12月31日 23:59 前完成，逾期将不能再提交。');
    expect(mail.text).toContain('张伟同志：');
    expect(mail.text).toContain('https://peixun.example.cn/courses/1/activities/2');
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain('&lt;script&gt;');
    expect(mail.html).toContain('<html lang="zh-CN">');
    expect(mail.notification).toEqual({
      title: '「<script>alert(1)</script>学习党章」已逾期，可补学',
      body: '已于 2026年11月24日 18:00 截止，请在 2026年12月31日 23:59 前完成补学。',
      link: '/courses/1/activities/2',
    });
  });

  it('lists the branches and the people behind in the admins’ summary', () => {
    const mail = renderReminder({
      kind: 'summary',
      name: '李强',
      courseTitle: '培训班',
      scope: '机关党委',
      enrolled: 10,
      completed: 4,
      branches: [{ name: '第一党支部', enrolled: 10, completed: 4 }],
      behind: [{ name: '王芳', branch: '第一党支部', requiredDone: 1, requiredTotal: 5 }],
      behindTotal: 3,
      url: 'http://localhost:3000/reports/courses/1',
      path: '/reports/courses/1',
    });
    expect(mail.subject).toBe('【培训周报】「培训班」机关党委完成情况');
    expect(mail.text).toContain('机关党委共 10 人参训，已完成 4 人（40%），进度落后 3 人。');
    expect(mail.text).toContain('· 第一党支部：4/10（40%）');
    expect(mail.text).toContain('……另有 2 人，详见平台。');
    expect(mail.html).toContain('<td>第一党支部</td>');
  });

  it('asks for a survey: on opening, and before closing with the certificate waiting when it is required', () => {
    const base = { name: '赵敏', surveyTitle: '培训<b>效果</b>评估', closesAt: '2026年12月20日 18:00', url: 'https://peixun.example.cn/surveys/9', path: '/surveys/9' };
    const opening = renderReminder({ kind: 'survey-open', ...base, courseTitle: null, requiredForCertificate: false });
    expect(opening.subject).toBe('【调查研究】请填写问卷「培训<b>效果</b>评估」');
    expect(opening.text).toContain('问卷「培训<b>效果</b>评估」已开始填写，请于 2026年12月20日 18:00 前作答。');
    expect(opening.text).not.toContain('结业');
    expect(opening.html).toContain('&lt;b&gt;效果&lt;/b&gt;');
    expect(opening.notification).toEqual({ title: '请填写问卷「培训<b>效果</b>评估」', body: '请于 2026年12月20日 18:00 前作答。', link: '/surveys/9' });

    const closing = renderReminder({ kind: 'survey-closing', ...base, courseTitle: '2026年党支部书记培训班', requiredForCertificate: true });
    expect(closing.subject).toBe('【调查研究】问卷「培训<b>效果</b>评估」即将截止（2026年12月20日 18:00）');
    expect(closing.text).toContain('「2026年党支部书记培训班」的问卷「培训<b>效果</b>评估」将于 2026年12月20日 18:00 截止，您尚未作答，请抓紧填写。本问卷为结业前必答问卷，作答后方可获发结业证书。');
    expect(closing.notification.body).toBe('将于 2026年12月20日 18:00 截止，您尚未作答。本问卷为结业前必答问卷，作答后方可获发结业证书。');
  });
});
