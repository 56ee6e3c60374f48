import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { api } from '../../../api/client';
import type { ProgressSummary, Schedule, ScheduleItem } from '../../../api/types';
import { useI18n } from '../../../i18n';
import { DataTable } from '../../../shared/PagedTable';
import { useAuth } from '../../../shared/auth';
import { Loaded, ProgressBar, Spinner, StateBadge } from '../../../shared/components';
import { errorText, toApiError } from '../../../shared/errors';
import { formatDateTime, formatHours, formatMonth, formatTime } from '../../../shared/format';
import { FormError, Notice } from '../../../shared/forms';
import { TYPE_KEYS } from '../../../shared/labels';
import { useApi } from '../../../shared/queries';
import { CloseCourseButton } from '../../courses/components/CloseCourse';
import { SendRemindersButton } from '../../tracking/components/SendRemindersButton';

export function SchedulePage() {
  const { id = '' } = useParams();
  const { t } = useI18n();
  const { me } = useAuth();
  const schedule = useApi<Schedule>(`/courses/${id}/schedule`);

  return (
    <Loaded state={schedule}>
      {(data) => (
        <>
          <div className="page-head">
            <h1>
              {data.course.title}
              <span className="subtitle">{t('scheduleTitle')}</span>
            </h1>
            <div className="actions">
              <Link className="button secondary" to={`/courses/${id}/forum`}>
                {t('openForum')}
              </Link>
              {(me?.role === 'instructor' || (me?.role === 'admin' && !me.unitId)) && (
                <Link className="button secondary" to={`/courses/${id}/edit`}>
                  {t('openEditorFromCourse')}
                </Link>
              )}
              {(me?.role === 'instructor' || me?.role === 'admin') && (
                <>
                  <Link className="button secondary" to={`/courses/${id}/enrollments`}>
                    {t('openEnrollments')}
                  </Link>
                  <Link className="button secondary" to={`/courses/${id}/report`}>
                    {t('openDashboard')}
                  </Link>
                </>
              )}
              {me?.role === 'admin' && !me.unitId && data.course.status === 'published' && <CloseCourseButton courseId={id} title={data.course.title} onClosed={schedule.refetch} />}
            </div>
          </div>
          {(me?.role === 'instructor' || (me?.role === 'admin' && !me.unitId)) && data.course.status === 'published' && <SendRemindersButton courseId={id} />}
          {me?.role === 'secretary' && <ProgressPanel courseId={id} />}
          <ScheduleTable schedule={data} />
          <CalendarFeed />
        </>
      )}
    </Loaded>
  );
}

function ProgressPanel({ courseId }: { courseId: string }) {
  const { t } = useI18n();
  const progress = useApi<ProgressSummary>(`/courses/${courseId}/progress`);
  return (
    <section className="panel" aria-labelledby="progress-title">
      <h2 id="progress-title">{t('progressTitle')}</h2>
      <Loaded state={progress}>
        {(p) => (
          <>
            <p className={`badge ${p.completed ? 'state-completed' : 'state-in_progress'}`}>{p.completed ? t('progressCompleted') : t('progressNotCompleted')}</p>
            <dl className="progress-grid" data-testid="progress">
              {/* A requirement of none (0 / 0) is left out rather than shown as done or as nothing. */}
              {p.requiredCreditHours > 0 && (
                <div>
                  <dt>{t('progressHours')}</dt>
                  <dd>
                    {t('progressOf', { done: formatHours(p.creditHours), total: formatHours(p.requiredCreditHours) })}
                    <ProgressBar label={t('progressHours')} value={p.creditHours} max={p.requiredCreditHours} />
                  </dd>
                </div>
              )}
              {p.requiredTotal > 0 && (
                <div>
                  <dt>{t('progressRequired')}</dt>
                  <dd>
                    {t('progressOf', { done: p.requiredDone, total: p.requiredTotal })}
                    <ProgressBar label={t('progressRequired')} value={p.requiredDone} max={p.requiredTotal} />
                  </dd>
                </div>
              )}
              {p.requiredSessions > 0 && (
                <div>
                  <dt>{t('progressSessions')}</dt>
                  <dd>
                    {t('progressOf', { done: p.sessionsAttended, total: p.requiredSessions })}
                    <ProgressBar label={t('progressSessions')} value={p.sessionsAttended} max={p.requiredSessions} />
                  </dd>
                </div>
              )}
            </dl>
          </>
        )}
      </Loaded>
    </section>
  );
}

function ScheduleTable({ schedule }: { schedule: Schedule }) {
  const { t, lang } = useI18n();
  // Dated work by Beijing month; work without a date (no due date, not a session) follows under its own heading.
  const dated = new Set(schedule.months.flatMap((m) => m.items.map((i) => i.id)));
  const undated = schedule.sections.flatMap((s) => s.items).filter((i) => !dated.has(i.id));
  // Staff see the plan without a learner's state.
  const learner = schedule.sections.some((s) => s.items.some((i) => i.state !== null));
  const groups: Array<{ month: string | null; items: ScheduleItem[] }> = [...schedule.months, ...(undated.length ? [{ month: null, items: undated }] : [])];
  return (
    <section aria-labelledby="schedule-title">
      <h2 id="schedule-title" className="visually-hidden">
        {t('scheduleByMonth')}
      </h2>
      {groups.length === 0 && <p className="empty">{t('none')}</p>}
      {groups.length > 1 && (
        <nav className="month-nav" aria-label={t('scheduleByMonth')}>
          {groups.map(({ month }) => (
            <a key={month ?? 'undated'} href={`#month-${month ?? 'undated'}`}>
              {month ? formatMonth(month, lang, t) : t('undated')}
            </a>
          ))}
        </nav>
      )}
      {groups.map(({ month, items }) => (
        <div key={month ?? 'undated'} className="month">
          <h3 id={`month-${month ?? 'undated'}`} tabIndex={-1}>
            {month ? formatMonth(month, lang, t) : t('undated')}
          </h3>
          <DataTable labelledBy={`month-${month ?? 'undated'}`} rows={items} rowKey={(item) => item.id} rowClassName={(item) => (learner && item.overdue && item.state !== 'completed' ? 'row-overdue' : undefined)}
            columns={[
              {
                header: t('colActivity'),
                rowHeader: true,
                cell: (item) => (
                  <>
                    <Link to={`/activities/${item.id}`}>{item.title}</Link> <span className={`tag ${item.required ? 'tag-required' : ''}`}>{item.required ? t('required') : t('elective')}</span>
                  </>
                ),
              },
              { header: t('colType'), cell: (item) => t(TYPE_KEYS[item.type]) },
              { header: t('colHours'), cell: (item) => formatHours(item.creditHours) },
              { header: t('colDue'), cell: (item) => <When item={item} /> },
              { header: t('colState'), hidden: !learner, cell: (item) => item.state && <StateBadge state={item.state} overdue={item.overdue} /> },
            ]}
          />
        </div>
      ))}
    </section>
  );
}

function When({ item }: { item: ScheduleItem }) {
  const { t, lang } = useI18n();
  if (item.type === 'session' && item.startsAt) {
    return (
      <>
        <span>
          {formatDateTime(item.startsAt, lang)}
          {item.endsAt ? `–${formatTime(item.endsAt, lang)}` : ''}
        </span>
        {item.location && <span className="block">{item.location}</span>}
        {item.speaker && <span className="block muted">{t('speaker', { name: item.speaker })}</span>}
      </>
    );
  }
  return item.dueAt ? <span>{t('due', { date: formatDateTime(item.dueAt, lang) })}</span> : <span className="muted">—</span>;
}

function CalendarFeed() {
  const { t } = useI18n();
  const [url, setUrl] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [copied, setCopied] = useState(false);
  const [revoked, setRevoked] = useState(false);
  const [error, setError] = useState<string>();

  async function run(action: () => Promise<void>) {
    setBusy(true);
    setError(undefined);
    setCopied(false);
    try {
      await action();
    } catch (e) {
      setError(errorText(toApiError(e), t));
    } finally {
      setBusy(false);
    }
  }
  const create = () =>
    run(async () => {
      const answer = await api<{ url: string }>('/me/calendar-feed', { method: 'POST' });
      setUrl(answer.url);
      setRevoked(false);
    });
  const revoke = () =>
    run(async () => {
      await api('/me/calendar-feed', { method: 'DELETE' });
      setUrl(undefined);
      setRevoked(true);
    });
  async function copy() {
    if (!url) return;
    try {
      await navigator.clipboard.writeText(url);
    } catch {
      const input = document.getElementById('calendar-url') as HTMLInputElement | null;
      input?.select();
      document.execCommand?.('copy');
    }
    setCopied(true);
  }

  return (
    <section className="panel" aria-labelledby="calendar-title">
      <h2 id="calendar-title">{t('calendarTitle')}</h2>
      <p className="muted">{t('calendarIntro')}</p>
      {url ? (
        <>
          <div className="field">
            <label htmlFor="calendar-url">{t('calendarUrl')}</label>
            <div className="input-row">
              <input id="calendar-url" type="text" readOnly value={url} onFocus={(e) => e.target.select()} />
              <button type="button" className="button secondary" onClick={copy}>
                {copied ? t('copied') : t('copy')}
              </button>
            </div>
          </div>
          <div className="actions">
            <a className="button secondary" href={url.replace(/^https?:/, 'webcal:')}>
              webcal://
            </a>
            <button type="button" className="button secondary" onClick={create} disabled={busy}>
              {t('calendarRenew')}
            </button>
            <button type="button" className="button danger" onClick={revoke} disabled={busy}>
              {t('calendarRevoke')}
            </button>
          </div>
        </>
      ) : (
        <div className="actions">
          <button type="button" className="button primary" onClick={create} disabled={busy}>
            {t('calendarCreate')}
          </button>
          <button type="button" className="button secondary" onClick={revoke} disabled={busy}>
            {t('calendarRevoke')}
          </button>
        </div>
      )}
      {busy && <Spinner />}
      {revoked && <Notice>{t('calendarRevoked')}</Notice>}
      <FormError messages={error ? [error] : undefined} />
    </section>
  );
}
