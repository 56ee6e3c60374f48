import { useState } from 'react';
import { download } from '../../../api/client';
import type { Standing } from '../../../api/types';
import { type MessageKey, useI18n } from '../../../i18n';
import { DataTable } from '../../../shared/PagedTable';
import { Loaded, Spinner, StateBadge } from '../../../shared/components';
import { errorText, toApiError } from '../../../shared/errors';
import { formatDate, formatDateTime, formatHours, formatMonthDayTime } from '../../../shared/format';
import { FormError } from '../../../shared/forms';
import { TYPE_KEYS } from '../../../shared/labels';
import { useApi } from '../../../shared/queries';
import type { Schema } from '../../../api/types';

type LearningRecord = Schema<'LearningRecordResponse'>;

export function RecordPage() {
  const { t, lang } = useI18n();
  const record = useApi<LearningRecord>('/me/record');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  async function downloadCsv() {
    setBusy(true);
    setError(undefined);
    try {
      await download('/me/record', `学习档案-${record.data?.user.username ?? 'record'}.csv`, { format: 'csv' });
    } catch (e) {
      setError(errorText(toApiError(e), t));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section>
      <div className="page-head">
        <h1>{t('recordTitle')}</h1>
        <button type="button" className="button primary" onClick={downloadCsv} disabled={busy}>
          {busy ? <Spinner label={t('downloading')} /> : t('downloadCsv')}
        </button>
      </div>
      <p className="muted">{t('recordIntro')}</p>
      <FormError messages={error ? [error] : undefined} />
      <Loaded state={record}>
        {(data) =>
          data.courses.length === 0 ? (
            <p className="empty">{t('none')}</p>
          ) : (
            <>
              {data.courses.map(({ course, enrollment, summary, activities }) => (
                <article key={course.id} className="panel">
                  <h2>{course.title}</h2>
                  <p className="meta">
                    {t('period')}：{formatDate(course.startsAt, lang)} – {formatDate(course.endsAt, lang)} · {t('enrolledAt', { date: formatDate(enrollment.enrolledAt, lang) })}
                  </p>
                  {summary && <RecordSummary summary={summary} />}
                  <DataTable rows={activities} rowKey={(a) => a.id}
                    columns={[
                      {
                        header: t('colActivity'),
                        rowHeader: true,
                        cell: (a) => (
                          <>
                            {a.title} <span className={`tag ${a.required ? 'tag-required' : ''}`}>{a.required ? t('required') : t('elective')}</span>
                          </>
                        ),
                      },
                      { header: t('colSection'), cell: (a) => a.section },
                      { header: t('colType'), cell: (a) => t(TYPE_KEYS[a.type]) },
                      { header: t('colHours'), cell: (a) => formatHours(a.creditHours) },
                      { header: t('colState'), cell: (a) => <StandingBadge state={a.state} standing={a.standing} makeUpUntil={a.makeUpUntil} /> },
                      { header: t('colCompleted'), cell: (a) => formatDateTime(a.completedAt, lang) },
                    ]}
                  />
                </article>
              ))}
            </>
          )
        }
      </Loaded>
    </section>
  );
}

/** The course's figures in one line, without those that do not apply (no sessions required: no 集中培训 0/0). */
function RecordSummary({ summary }: { summary: Schema<'CourseSummaryResponse'> }) {
  const { t } = useI18n();
  const parts = [
    summary.requiredTotal > 0 ? t('recordSummaryRequired', { done: summary.requiredDone, total: summary.requiredTotal }) : null,
    summary.requiredCreditHours > 0 ? t('recordSummaryHours', { hours: formatHours(summary.creditHours), required: formatHours(summary.requiredCreditHours) }) : null,
    summary.requiredSessions > 0 ? t('recordSummarySessions', { sessions: summary.sessionsAttended, requiredSessions: summary.requiredSessions }) : null,
  ].filter((part) => part !== null);
  if (!parts.length) return null;
  return <p className="summary">{parts.join(t('listSeparator'))}</p>;
}

const STANDING_KEYS: Partial<Record<Standing, MessageKey>> = {
  madeUp: 'madeUpTag',
  closed: 'standingClosed',
  notYetOpen: 'standingNotYetOpen',
  absent: 'standingAbsent',
  excused: 'standingExcused',
  ended: 'standingEnded',
  upcoming: 'standingUpcoming',
};

/** The progress state, or where the activity honestly stands when that says more: 补学完成, 可补学至, 已截止, 缺勤… */
function StandingBadge({ state, standing, makeUpUntil }: { state: string; standing: Standing; makeUpUntil: string | null }) {
  const { t, lang } = useI18n();
  if (standing === 'makeUp' && makeUpUntil) {
    return (
      <span className="badges">
        <StateBadge state={state} />
        <span className="badge badge-overdue" data-standing="makeUp">
          {t('standingMakeUp', { date: formatMonthDayTime(makeUpUntil, lang) })}
        </span>
      </span>
    );
  }
  const key = STANDING_KEYS[standing];
  if (!key) return <StateBadge state={state} />;
  if (standing === 'madeUp') {
    return (
      <span className="badges">
        <StateBadge state={state} />
        <span className="badge badge-made-up" data-standing="madeUp">
          {t(key)}
        </span>
      </span>
    );
  }
  return (
    <span className={`badge standing-${standing}`} data-standing={standing}>
      {t(key)}
    </span>
  );
}
