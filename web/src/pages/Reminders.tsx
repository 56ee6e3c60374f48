import { useEffect, useRef, useState } from 'react';
import { api, type Page } from '../api';
import { useAuth } from '../auth';
import { formatDateTime, formatTime } from '../format';
import { useI18n, type MessageKey } from '../i18n';
import { errorText, Field, FormError, Loaded, Notice, PagedTable, Spinner, toApiError, useLoad } from '../ui';

interface Delivery {
  id: string;
  kind: string;
  status: string;
  user: { id: string; name: string };
  email: string | null;
  course: { id: string; title: string };
  period: string;
  mailAttempts: number;
  lastError: string | null;
  failureReason: FailureReason | null;
  sentAt: string | null;
  updatedAt: string;
}

type FailureReason = 'invalid_address' | 'rejected' | 'unreachable' | 'other';

interface DeliverySummary {
  sent: number;
  inAppOnly: number;
  skipped: number;
  waiting: number;
  failed: number;
  failedByReason: Record<FailureReason, number>;
}

interface ReminderRun {
  jobId: string;
  state: 'waiting' | 'running' | 'done' | 'failed';
  queued: number;
  byKind: Record<string, number>;
  people: number;
  peopleByKind: Record<string, number>;
  delayMs: number;
}

export const REASON_KEYS: Record<FailureReason, MessageKey> = {
  invalid_address: 'remReasonInvalidAddress',
  rejected: 'remReasonRejected',
  unreachable: 'remReasonUnreachable',
  other: 'remReasonOther',
};

export const KIND_KEYS: Record<string, MessageKey> = {
  'due-soon': 'remKindDueSoon',
  overdue: 'remKindOverdue',
  'session-tomorrow': 'remKindSessionTomorrow',
  digest: 'remKindDigest',
  summary: 'remKindSummary',
};

const STATUS_KEYS: Record<string, MessageKey> = {
  failed: 'remStatusFailed',
  retrying: 'remStatusRetrying',
  sent: 'remStatusSent',
  in_app_only: 'remStatusInAppOnly',
  skipped: 'remStatusSkipped',
  pending: 'remStatusPending',
  queued: 'remStatusQueued',
  sending: 'remStatusSending',
};
const PAGE_SIZE = 20;

/** The weekly digest (secretaries) or summary (admins) by mail, on or off; deadline reminders are not affected. */
export function DigestSwitch() {
  const { t } = useI18n();
  const prefs = useLoad(() => api<{ weeklyDigest: boolean }>('/me/preferences'), []);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  const [error, setError] = useState<string[]>();
  // The switch moves at once; a refused change puts it back.
  const [value, setValue] = useState<boolean>();

  async function change(on: boolean) {
    setBusy(true);
    setSaved(false);
    setError(undefined);
    setValue(on);
    try {
      const answer = await api<{ weeklyDigest: boolean }>('/me/preferences', { method: 'PATCH', body: { weeklyDigest: on } });
      setValue(answer?.weeklyDigest ?? on);
      setSaved(true);
    } catch (e) {
      setValue(!on);
      setError([errorText(toApiError(e), t)]);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="panel" aria-labelledby="prefs-title">
      <h2 id="prefs-title">{t('prefsTitle')}</h2>
      <Loaded state={prefs}>
        {(p) => (
          <div className={`field field-check${error ? ' field-invalid' : ''}`}>
            <input id="weekly-digest" type="checkbox" role="switch" checked={value ?? p.weeklyDigest} aria-describedby={error ? 'weekly-digest-error' : undefined} onChange={(e) => change(e.target.checked)} />
            <label htmlFor="weekly-digest">{t('prefsWeeklyDigest')}</label>
            {error && (
              <p className="field-error" id="weekly-digest-error" role="alert">
                {error.join('；')}
              </p>
            )}
          </div>
        )}
      </Loaded>
      {busy && <Spinner label={t('saving')} />}
      {saved && <Notice>{t('prefsSaved')}</Notice>}
    </section>
  );
}

/**
 * Admins: the deliveries at a glance (sent, failed, waiting), the failures listed with the learner, the kind and
 * the reason in words (raw text on expand), then every delivery by status. Unit admins: their unit's people.
 */
export function RemindersAdminPage() {
  const { t } = useI18n();
  const { me } = useAuth();
  const department = me?.role === 'admin' && !me.unitId;
  const summary = useLoad(() => api<DeliverySummary>('/admin/reminders/summary'), []);
  const [failedPage, setFailedPage] = useState(1);
  const failures = useLoad(() => api<Page<Delivery>>('/admin/reminders/deliveries', { query: { status: 'failed', page: failedPage, pageSize: PAGE_SIZE } }), [failedPage]);
  const [status, setStatus] = useState('sent');
  const [page, setPage] = useState(1);
  const list = useLoad(() => api<Page<Delivery>>('/admin/reminders/deliveries', { query: { status, page, pageSize: PAGE_SIZE } }), [status, page]);
  const [opening, setOpening] = useState(false);
  const [boardError, setBoardError] = useState<string[]>();

  async function openBoard() {
    setBoardError(undefined);
    setOpening(true);
    // Opened at the click (a tab opened after the request would be blocked as a pop-up), pointed at the board once the cookie is set.
    const tab = window.open('about:blank', '_blank');
    try {
      const { url } = await api<{ url: string }>('/admin/queue-session', { method: 'POST' });
      if (tab) tab.location.href = url;
      else window.location.assign(url);
    } catch (e) {
      tab?.close();
      setBoardError([errorText(toApiError(e), t)]);
    } finally {
      setOpening(false);
    }
  }

  return (
    <section>
      <div className="page-head">
        <h1>{t('remSummaryTitle')}</h1>
        {department && (
          <div className="actions">
            <button type="button" className="button secondary" disabled={opening} onClick={openBoard}>
              {opening ? <Spinner label={t('remOpening')} /> : t('remOpenBoard')}
            </button>
          </div>
        )}
      </div>
      <FormError messages={boardError} />
      <Loaded state={summary}>
        {(s) => (
          <>
            <ul className="stat-grid" data-testid="delivery-summary" aria-label={t('remSummaryTitle')}>
              <li className="stat">
                {t('remCountSent')}
                <strong data-testid="count-sent">{s.sent}</strong>
              </li>
              <li className={`stat${s.failed ? ' stat-failed' : ''}`}>
                {t('remCountFailed')}
                <strong data-testid="count-failed">{s.failed}</strong>
              </li>
              <li className="stat">
                {t('remCountWaiting')}
                <strong data-testid="count-waiting">{s.waiting}</strong>
              </li>
              <li className="stat">
                {t('remCountInAppOnly')}
                <strong>{s.inAppOnly}</strong>
              </li>
            </ul>
            {s.failed > 0 && (
              <p className="reason-list" data-testid="failure-reasons">
                {(Object.keys(REASON_KEYS) as FailureReason[])
                  .filter((r) => s.failedByReason[r] > 0)
                  .map((r) => `${t(REASON_KEYS[r])} ${s.failedByReason[r]}`)
                  .join('，')}
              </p>
            )}
          </>
        )}
      </Loaded>
      <h2>{t('remFailuresTitle')}</h2>
      <Loaded state={failures}>
        {(data) => (
          <PagedTable total={data.total} empty={t('remEmpty')} page={failedPage} pageSize={PAGE_SIZE} onPage={setFailedPage}>
            <DeliveryTable items={data.items} testId="deliveries" caption={t('remFailuresTitle')} />
          </PagedTable>
        )}
      </Loaded>
      <h2>{t('remAllDeliveries')}</h2>
      <div className="toolbar">
        <Field label={t('status')}>
          {(p) => (
            <select {...p} value={status} onChange={(e) => { setStatus(e.target.value); setPage(1); }}>
              {Object.entries(STATUS_KEYS).map(([value, key]) => (
                <option key={value} value={value}>
                  {t(key)}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <Loaded state={list}>
        {(data) => (
          <PagedTable total={data.total} empty={t('none')} page={page} pageSize={PAGE_SIZE} onPage={setPage} busy={list.loading}>
            <DeliveryTable items={data.items} testId="deliveries-by-status" caption={t('remAllDeliveries')} />
          </PagedTable>
        )}
      </Loaded>
    </section>
  );
}

function DeliveryTable({ items, testId, caption }: { items: Delivery[]; testId: string; caption: string }) {
  const { t, lang } = useI18n();
  return (
    <table className="table responsive" data-testid={testId}>
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{t('remRecipient')}</th>
          <th scope="col">{t('remKind')}</th>
          <th scope="col">{t('certCourse')}</th>
          <th scope="col">{t('remReason')}</th>
          <th scope="col">{t('remAttempts')}</th>
          <th scope="col">{t('remUpdated')}</th>
        </tr>
      </thead>
      <tbody>
        {items.map((d) => (
          <tr key={d.id}>
            <th scope="row" data-label={t('remRecipient')}>
              {d.user.name}
              {d.email && <span className="block muted">{d.email}</span>}
            </th>
            <td data-label={t('remKind')}>{KIND_KEYS[d.kind] ? t(KIND_KEYS[d.kind]) : d.kind}</td>
            <td data-label={t('certCourse')}>{d.course.title}</td>
            <td data-label={t('remReason')}>
              {d.failureReason ? (
                <>
                  <span className="badge badge-overdue">{t(REASON_KEYS[d.failureReason])}</span>
                  {d.lastError && (
                    <details>
                      <summary>{t('remRawReason')}</summary>
                      <code className="raw-reason">{d.lastError}</code>
                    </details>
                  )}
                </>
              ) : (
                '—'
              )}
            </td>
            <td data-label={t('remAttempts')}>{d.mailAttempts}</td>
            <td data-label={t('remUpdated')}>{formatDateTime(d.updatedAt, lang)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * 发送提醒 on the course page: the department or the course's instructors run the reminder rules now; the run
 * is a job, followed until it says how many reminders it queued and for whom.
 */
export function SendRemindersButton({ courseId }: { courseId: string }) {
  const { t, lang } = useI18n();
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<ReminderRun>();
  const [error, setError] = useState<string[]>();
  const timer = useRef<number | undefined>(undefined);
  useEffect(() => () => window.clearTimeout(timer.current), []);

  function follow(jobId: string) {
    api<ReminderRun>(`/courses/${courseId}/reminders/run/${jobId}`)
      .then((run) => {
        if (run.state === 'done' || run.state === 'failed') {
          setOutcome(run);
          setBusy(false);
        } else timer.current = window.setTimeout(() => follow(jobId), 500);
      })
      .catch((e: unknown) => {
        setError([errorText(toApiError(e), t)]);
        setBusy(false);
      });
  }

  async function send() {
    setBusy(true);
    setOutcome(undefined);
    setError(undefined);
    try {
      const { jobId } = await api<{ jobId: string }>(`/courses/${courseId}/reminders/run`, { method: 'POST' });
      follow(jobId);
    } catch (e) {
      setError([errorText(toApiError(e), t)]);
      setBusy(false);
    }
  }

  const parts = outcome
    ? Object.entries(KIND_KEYS)
        .filter(([kind]) => (outcome.peopleByKind[kind] ?? 0) > 0)
        .map(([kind, key]) => t('remQueuedPart', { kind: t(key), n: outcome.peopleByKind[kind] }))
        .join('，')
    : '';

  return (
    <div className="send-reminders">
      <button type="button" className="button secondary" disabled={busy} onClick={send}>
        {busy ? <Spinner label={t('remChecking')} /> : t('remSend')}
      </button>
      {outcome?.state === 'done' && (
        <Notice>
          {outcome.queued > 0 ? t('remQueued', { n: outcome.queued, people: outcome.people, parts }) : t('remNothingToSend')}
          {outcome.queued > 0 && outcome.delayMs > 0 && <span className="block">{t('remQuietHours', { time: formatTime(new Date(Date.now() + outcome.delayMs).toISOString(), lang) })}</span>}
        </Notice>
      )}
      {outcome?.state === 'failed' && <FormError messages={[t('remRunFailed')]} />}
      <FormError messages={error} />
    </div>
  );
}
