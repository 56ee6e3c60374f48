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
});
