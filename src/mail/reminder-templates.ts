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
  /** Set when the activity is overdue and open for make-up (补学) until then. */
  makeUpUntil: string | null;
  url: string;
}

export type ReminderContent =
  | { kind: 'due-soon'; name: string; courseTitle: string; activityTitle: string; dueAt: string; url: string; path: string }
  /** Sent only while the activity can still be made up (补学): `makeUpUntil` says until when. */
  | { kind: 'overdue'; name: string; courseTitle: string; activityTitle: string; dueAt: string; makeUpUntil: string; url: string; path: string }
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
    }
  /** The branch's year: a plan item placed in this month that no record names yet. */
  | { kind: 'plan-due'; name: string; branchName: string; itemTitle: string; year: number; month: number; url: string; path: string }
  /** A plan item whose month is over without an accepted record. */
  | { kind: 'plan-overdue'; name: string; branchName: string; itemTitle: string; year: number; month: number; url: string; path: string }
  | { kind: 'record-returned'; name: string; branchName: string; recordTitle: string; comment: string | null; url: string; path: string }
  /** Monthly, to a unit admin: the unit's branches behind the norms this year. */
  | {
      kind: 'branch-summary';
      name: string;
      scope: string;
      year: number;
      month: number;
      branches: number;
      behind: Array<{ name: string; overdue: number; waitingReview: number }>;
      behindTotal: number;
      waitingReview: number;
      url: string;
      path: string;
    }
  /**
   * 调查研究: a questionnaire addressed to the person has opened (survey-open), or closes within two days and they
   * have not answered (survey-closing). `courseTitle` is set when it is a course's; `requiredForCertificate` when
   * the course's certificate waits for the answer.
   */
  | {
      kind: 'survey-open' | 'survey-closing';
      name: string;
      surveyTitle: string;
      courseTitle: string | null;
      requiredForCertificate: boolean;
      closesAt: string;
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

/** An item still to do, by its deadline: overdue ones say until when they can be made up (补学). */
function when(a: ActivityLine): string {
  if (a.makeUpUntil) return `（已于 ${a.dueAt} 截止，可补学至 ${a.makeUpUntil}）`;
  return a.dueAt ? `（截止 ${a.dueAt}）` : '';
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
      const subject = `【培训提醒】「${c.activityTitle}」已逾期，可补学至 ${c.makeUpUntil}`;
      const line = `您参加的「${c.courseTitle}」中的学习任务「${c.activityTitle}」已于 ${c.dueAt} 截止，目前尚未完成。本班允许补学，请在 ${c.makeUpUntil} 前完成，逾期将不能再提交。`;
      return {
        subject,
        text: `${hello}\n\n${line}\n\n前往补学：${c.url}${FOOTER_TEXT}`,
        html: page(subject, `<p>${escapeHtml(hello)}</p><p>${escapeHtml(line)}</p><p>${link(c.url, '前往补学')}</p>`),
        notification: { title: `「${c.activityTitle}」已逾期，可补学`, body: `已于 ${c.dueAt} 截止，请在 ${c.makeUpUntil} 前完成补学。`, link: c.path },
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
      const lines = c.left.map((a) => `· ${a.title}${when(a)}：${a.url}`);
      return {
        subject,
        text: `${hello}\n\n您参加的「${c.courseTitle}」学习进度落后于计划。${status}\n\n尚未完成：\n${lines.join('\n')}\n\n查看全部：${c.url}${FOOTER_TEXT}`,
        html: page(
          subject,
          `<p>${escapeHtml(hello)}</p><p>您参加的「${escapeHtml(c.courseTitle)}」学习进度落后于计划。${escapeHtml(status)}</p><p>尚未完成：</p><ul>` +
            c.left.map((a) => `<li>${link(a.url, a.title)}${escapeHtml(when(a))}</li>`).join('') +
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
    case 'plan-due': {
      const subject = `【支部工作提醒】本月计划「${c.itemTitle}」尚未记录`;
      const line = `${c.branchName}${c.year}年度计划中安排在${c.month}月的「${c.itemTitle}」尚未在工作手册中记录，请按计划开展并及时填写工作纪实。`;
      return {
        subject,
        text: `${hello}\n\n${line}\n\n查看年度计划：${c.url}${FOOTER_TEXT}`,
        html: page(subject, `<p>${escapeHtml(hello)}</p><p>${escapeHtml(line)}</p><p>${link(c.url, '查看年度计划')}</p>`),
        notification: { title: `本月计划「${c.itemTitle}」尚未记录`, body: `安排在${c.month}月，请按计划开展并填写工作纪实。`, link: c.path },
      };
    }
    case 'plan-overdue': {
      const subject = `【支部工作提醒】计划「${c.itemTitle}」已逾期`;
      const line = `${c.branchName}${c.year}年度计划中安排在${c.month}月的「${c.itemTitle}」至今没有通过审核的工作纪实，已逾期，请尽快补充记录并提交审核。`;
      return {
        subject,
        text: `${hello}\n\n${line}\n\n查看年度计划：${c.url}${FOOTER_TEXT}`,
        html: page(subject, `<p>${escapeHtml(hello)}</p><p>${escapeHtml(line)}</p><p>${link(c.url, '查看年度计划')}</p>`),
        notification: { title: `计划「${c.itemTitle}」已逾期`, body: `安排在${c.month}月，尚无通过审核的工作纪实。`, link: c.path },
      };
    }
    case 'record-returned': {
      const subject = `【支部工作提醒】工作纪实「${c.recordTitle}」被退回`;
      const line = `${c.branchName}的工作纪实「${c.recordTitle}」被退回修改${c.comment ? `，审核意见：${c.comment}` : '。'}`;
      return {
        subject,
        text: `${hello}\n\n${line}\n\n修改后请重新提交：${c.url}${FOOTER_TEXT}`,
        html: page(subject, `<p>${escapeHtml(hello)}</p><p>${escapeHtml(line)}</p><p>${link(c.url, '修改并重新提交')}</p>`),
        notification: { title: `工作纪实「${c.recordTitle}」被退回`, body: c.comment ? `审核意见：${c.comment}` : '请修改后重新提交。', link: c.path },
      };
    }
    case 'branch-summary': {
      const subject = `【支部工作月报】${c.scope}${c.year}年${c.month}月落实情况`;
      const overall = `${c.scope}共 ${c.branches} 个党支部，截至本月有 ${c.behindTotal} 个支部未达到工作规范要求，${c.waitingReview} 条工作纪实等待审核。`;
      const lines = c.behind.map((b) => `· ${b.name}：逾期 ${b.overdue} 项${b.waitingReview ? `，待审核 ${b.waitingReview} 条` : ''}`);
      const more = c.behindTotal > c.behind.length ? `……另有 ${c.behindTotal - c.behind.length} 个支部，详见平台。` : '';
      return {
        subject,
        text: `${hello}\n\n${overall}\n\n未达标支部：\n${lines.join('\n') || '无'}${more ? `\n${more}` : ''}\n\n查看详情：${c.url}${FOOTER_TEXT}`,
        html: page(
          subject,
          `<p>${escapeHtml(hello)}</p><p>${escapeHtml(overall)}</p><h3>未达标支部</h3><ul>` +
            (c.behind.map((b) => `<li>${escapeHtml(`${b.name}：逾期 ${b.overdue} 项${b.waitingReview ? `，待审核 ${b.waitingReview} 条` : ''}`)}</li>`).join('') || '<li>无</li>') +
            `</ul>${more ? `<p>${escapeHtml(more)}</p>` : ''}<p>${link(c.url, '查看详情')}</p>`,
        ),
        notification: { title: `支部工作月报：${c.behindTotal} 个支部未达标`, body: overall, link: c.path },
      };
    }
    case 'survey-open':
    case 'survey-closing': {
      const opening = c.kind === 'survey-open';
      const subject = opening ? `【调查研究】请填写问卷「${c.surveyTitle}」` : `【调查研究】问卷「${c.surveyTitle}」即将截止（${c.closesAt}）`;
      const whose = c.courseTitle ? `「${c.courseTitle}」的问卷` : '问卷';
      const line = opening
        ? `${whose}「${c.surveyTitle}」已开始填写，请于 ${c.closesAt} 前作答。`
        : `${whose}「${c.surveyTitle}」将于 ${c.closesAt} 截止，您尚未作答，请抓紧填写。`;
      const certificate = c.requiredForCertificate ? '本问卷为结业前必答问卷，作答后方可获发结业证书。' : '';
      const body = `${line}${certificate}`;
      return {
        subject,
        text: `${hello}\n\n${body}\n\n前往填写：${c.url}${FOOTER_TEXT}`,
        html: page(subject, `<p>${escapeHtml(hello)}</p><p>${escapeHtml(body)}</p><p>${link(c.url, '前往填写')}</p>`),
        notification: {
          title: opening ? `请填写问卷「${c.surveyTitle}」` : `问卷「${c.surveyTitle}」即将截止`,
          body: `${opening ? '请于' : '将于'} ${c.closesAt} ${opening ? '前作答' : '截止，您尚未作答'}。${certificate}`,
          link: c.path,
        },
      };
    }
  }
}
