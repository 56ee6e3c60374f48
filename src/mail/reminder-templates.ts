/**
 * zh-CN reminder mails: each kind has a subject, a plain-text body and an HTML body built from the same
 * data, plus the short title/body of the in-app notification. Values are escaped in the HTML.
 */
export interface RenderedReminder {
  subject: string;
  text: string;
  html: string;
  /** The in-app notification (站内通知). */
  notification: { title: string; body: string; link: string };
}

export interface ActivityLine {
  title: string;
  dueAt: string | null;
  url: string;
}

export type ReminderContent =
  | { kind: 'due-soon'; name: string; courseTitle: string; activityTitle: string; dueAt: string; url: string; path: string }
  | { kind: 'overdue'; name: string; courseTitle: string; activityTitle: string; dueAt: string; url: string; path: string }
  | {
      kind: 'session-tomorrow';
      name: string;
      courseTitle: string;
      activityTitle: string;
      startsAt: string;
      endsAt: string;
      location: string;
      speaker: string | null;
      url: string;
      path: string;
    }
  | {
      kind: 'digest';
      name: string;
      courseTitle: string;
      requiredDone: number;
      requiredTotal: number;
      creditHours: number;
      requiredCreditHours: number;
      left: ActivityLine[];
      url: string;
      path: string;
    }
  | {
      kind: 'summary';
      name: string;
      courseTitle: string;
      scope: string;
      enrolled: number;
      completed: number;
      branches: Array<{ name: string; enrolled: number; completed: number }>;
      behind: Array<{ name: string; branch: string; requiredDone: number; requiredTotal: number }>;
      behindTotal: number;
      url: string;
      path: string;
    };

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

function percent(part: number, whole: number): string {
  return whole ? `${Math.round((part / whole) * 1000) / 10}%` : '—';
}

const FOOTER_TEXT = '\n\n——\n此邮件由党支部书记培训平台自动发送，请勿直接回复。';
const FOOTER_HTML = '<p style="color:#888;font-size:12px">此邮件由党支部书记培训平台自动发送，请勿直接回复。</p>';

function page(title: string, body: string): string {
  return (
    `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>` +
    `<body style="font-family:'PingFang SC','Microsoft YaHei',sans-serif;line-height:1.6;color:#222">${body}${FOOTER_HTML}</body></html>`
  );
}

function link(url: string, label: string): string {
  return `<a href="${escapeHtml(url)}">${escapeHtml(label)}</a>`;
}

export function renderReminder(c: ReminderContent): RenderedReminder {
  const hello = `${c.name}同志：`;
  switch (c.kind) {
    case 'due-soon': {
      const subject = `【培训提醒】「${c.activityTitle}」即将截止（${c.dueAt}）`;
      const line = `您参加的「${c.courseTitle}」中的学习任务「${c.activityTitle}」将于 ${c.dueAt} 截止，目前尚未完成，请抓紧时间学习。`;
      return {
        subject,
        text: `${hello}\n\n${line}\n\n前往学习：${c.url}${FOOTER_TEXT}`,
        html: page(subject, `<p>${escapeHtml(hello)}</p><p>${escapeHtml(line)}</p><p>${link(c.url, '前往学习')}</p>`),
        notification: { title: `「${c.activityTitle}」即将截止`, body: `将于 ${c.dueAt} 截止，尚未完成。`, link: c.path },
      };
    }
    case 'overdue': {
      const subject = `【培训提醒】「${c.activityTitle}」已逾期`;
      const line = `您参加的「${c.courseTitle}」中的学习任务「${c.activityTitle}」已于 ${c.dueAt} 截止，目前尚未完成，请尽快补学。`;
      return {
        subject,
        text: `${hello}\n\n${line}\n\n前往补学：${c.url}${FOOTER_TEXT}`,
        html: page(subject, `<p>${escapeHtml(hello)}</p><p>${escapeHtml(line)}</p><p>${link(c.url, '前往补学')}</p>`),
        notification: { title: `「${c.activityTitle}」已逾期`, body: `已于 ${c.dueAt} 截止，请尽快补学。`, link: c.path },
      };
    }
    case 'session-tomorrow': {
      const subject = `【培训提醒】明天集中培训：${c.activityTitle}`;
      const details = [`时间：${c.startsAt} 至 ${c.endsAt}`, `地点：${c.location}`, ...(c.speaker ? [`主讲：${c.speaker}`] : [])];
      const line = `「${c.courseTitle}」的集中培训「${c.activityTitle}」将于明天举行，请准时参加并现场签到。`;
      return {
        subject,
        text: `${hello}\n\n${line}\n\n${details.join('\n')}\n\n详情：${c.url}${FOOTER_TEXT}`,
        html: page(
          subject,
          `<p>${escapeHtml(hello)}</p><p>${escapeHtml(line)}</p><ul>${details.map((d) => `<li>${escapeHtml(d)}</li>`).join('')}</ul><p>${link(c.url, '查看详情')}</p>`,
        ),
        notification: { title: `明天集中培训：${c.activityTitle}`, body: `${c.startsAt}，${c.location}`, link: c.path },
      };
    }
    case 'digest': {
      const subject = `【学习周报】「${c.courseTitle}」您还有 ${c.left.length} 项学习任务未完成`;
      const status = `必修任务已完成 ${c.requiredDone}/${c.requiredTotal}，已获学时 ${c.creditHours}${c.requiredCreditHours ? `/${c.requiredCreditHours}` : ''}。`;
      const lines = c.left.map((a) => `· ${a.title}${a.dueAt ? `（截止 ${a.dueAt}）` : ''}：${a.url}`);
      return {
        subject,
        text: `${hello}\n\n您参加的「${c.courseTitle}」学习进度落后于计划。${status}\n\n尚未完成：\n${lines.join('\n')}\n\n查看全部：${c.url}${FOOTER_TEXT}`,
        html: page(
          subject,
          `<p>${escapeHtml(hello)}</p><p>您参加的「${escapeHtml(c.courseTitle)}」学习进度落后于计划。${escapeHtml(status)}</p><p>尚未完成：</p><ul>` +
            c.left.map((item) => `<li>${link(item.url, item.title)}${item.dueAt ? `（截止 ${escapeHtml(item.dueAt)}）` : ''}</li>`).join('') +
            `</ul><p>${link(c.url, '查看全部学习任务')}</p>`,
        ),
        notification: { title: `学习周报：还有 ${c.left.length} 项未完成`, body: `「${c.courseTitle}」${status}`, link: c.path },
      };
    }
    case 'summary': {
      const subject = `【培训周报】「${c.courseTitle}」${c.scope}完成情况`;
      const overall = `${c.scope}共 ${c.enrolled} 人参训，已完成 ${c.completed} 人（${percent(c.completed, c.enrolled)}），进度落后 ${c.behindTotal} 人。`;
      const branchText = c.branches.map((b) => `· ${b.name}：${b.completed}/${b.enrolled}（${percent(b.completed, b.enrolled)}）`);
      const behindText = c.behind.map((p) => `· ${p.name}（${p.branch}）必修 ${p.requiredDone}/${p.requiredTotal}`);
      const more = c.behindTotal > c.behind.length ? `……另有 ${c.behindTotal - c.behind.length} 人，详见平台。` : '';
      return {
        subject,
        text:
          `${hello}\n\n${overall}\n\n各支部完成情况：\n${branchText.join('\n')}\n\n进度落后人员：\n${behindText.join('\n') || '无'}${more ? `\n${more}` : ''}\n\n` +
          `查看详情：${c.url}${FOOTER_TEXT}`,
        html: page(
          subject,
          `<p>${escapeHtml(hello)}</p><p>${escapeHtml(overall)}</p><h3>各支部完成情况</h3>` +
            `<table border="1" cellpadding="4" style="border-collapse:collapse"><tr><th>支部</th><th>参训</th><th>已完成</th><th>完成率</th></tr>` +
            c.branches
              .map((b) => `<tr><td>${escapeHtml(b.name)}</td><td>${b.enrolled}</td><td>${b.completed}</td><td>${percent(b.completed, b.enrolled)}</td></tr>`)
              .join('') +
            `</table><h3>进度落后人员</h3><ul>${c.behind.map((p) => `<li>${escapeHtml(`${p.name}（${p.branch}）必修 ${p.requiredDone}/${p.requiredTotal}`)}</li>`).join('') || '<li>无</li>'}</ul>` +
            (more ? `<p>${escapeHtml(more)}</p>` : '') +
            `<p>${link(c.url, '查看详情')}</p>`,
        ),
        notification: { title: `培训周报：「${c.courseTitle}」`, body: overall, link: c.path },
      };
    }
  }
}
