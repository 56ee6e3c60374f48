import { useState } from 'react';
import { api, type Page } from '../api';
import { useAuth } from '../auth';
import { formatDateTime } from '../format';
import { useI18n, type MessageKey } from '../i18n';
import { errorText, Field, FormError, Loaded, Notice, Pager, Spinner, toApiError, useLoad } from '../ui';

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
  sentAt: string | null;
  updatedAt: string;
}

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

/** Admins: reminder deliveries that failed (unit admins: their unit's people), and the queue board for the department. */
export function RemindersAdminPage() {
  const { t, lang } = useI18n();
  const { me } = useAuth();
  const department = me?.role === 'admin' && !me.unitId;
  const [status, setStatus] = useState('failed');
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
        <h1>{t('remTitle')}</h1>
        {department && (
          <div className="actions">
            <button type="button" className="button secondary" disabled={opening} onClick={openBoard}>
              {opening ? <Spinner label={t('remOpening')} /> : t('remOpenBoard')}
            </button>
          </div>
        )}
      </div>
      <FormError messages={boardError} />
      <div className="toolbar">
        <Field label={t('status')}>
          {(p) => (
            <select {...p} value={status} onChange={(e) => { setStatus(e.target.value); setPage(1); }}>
              {Object.entries(STATUS_KEYS).map(([s, key]) => (
                <option key={s} value={s}>
                  {t(key)}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <Loaded state={list}>
        {(data) => (
          <>
            <table className="table responsive" data-testid="deliveries">
              <caption className="visually-hidden">{t('remTitle')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('remRecipient')}</th>
                  <th scope="col">{t('remKind')}</th>
                  <th scope="col">{t('certCourse')}</th>
                  <th scope="col">{t('remAttempts')}</th>
                  <th scope="col">{t('remError')}</th>
                  <th scope="col">{t('remUpdated')}</th>
                </tr>
              </thead>
              <tbody>
                {data.items.map((d) => (
                  <tr key={d.id}>
                    <th scope="row" data-label={t('remRecipient')}>
                      {d.user.name}
                      {d.email && <span className="block muted">{d.email}</span>}
                    </th>
                    <td data-label={t('remKind')}>{KIND_KEYS[d.kind] ? t(KIND_KEYS[d.kind]) : d.kind}</td>
                    <td data-label={t('certCourse')}>{d.course.title}</td>
                    <td data-label={t('remAttempts')}>{d.mailAttempts}</td>
                    <td data-label={t('remError')}>{d.lastError ?? '—'}</td>
                    <td data-label={t('remUpdated')}>{formatDateTime(d.updatedAt, lang)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {data.items.length === 0 && <p className="empty">{t('remEmpty')}</p>}
            {list.loading && <Spinner />}
            <Pager page={page} pageSize={PAGE_SIZE} total={data.total} onPage={setPage} />
          </>
        )}
      </Loaded>
    </section>
  );
}

/** 发送提醒 on the course page: the department or the course's instructors run the reminder rules now. */
export function SendRemindersButton({ courseId }: { courseId: string }) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState(false);
  const [error, setError] = useState<string[]>();

  async function send() {
    setBusy(true);
    setSent(false);
    setError(undefined);
    try {
      await api(`/courses/${courseId}/reminders/run`, { method: 'POST' });
      setSent(true);
    } catch (e) {
      setError([errorText(toApiError(e), t)]);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="send-reminders">
      <button type="button" className="button secondary" disabled={busy} onClick={send}>
        {busy ? <Spinner label={t('remSending')} /> : t('remSend')}
      </button>
      {sent && <Notice>{t('remSent')}</Notice>}
      <FormError messages={error} />
    </div>
  );
}
