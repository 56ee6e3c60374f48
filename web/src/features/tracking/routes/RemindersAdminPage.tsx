import { useState } from 'react';
import { api, type Page } from '../../../api/client';
import { type MessageKey, useI18n } from '../../../i18n';
import { PagedTable, type Column } from '../../../shared/PagedTable';
import { useAuth } from '../../../shared/auth';
import { Loaded, Spinner } from '../../../shared/components';
import { errorText, toApiError } from '../../../shared/errors';
import { formatDateTime } from '../../../shared/format';
import { FormError, SelectField } from '../../../shared/forms';
import { useApi } from '../../../shared/queries';
import { KIND_KEYS, REASON_KEYS, type Delivery, type DeliverySummary, type FailureReason } from '../api';

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

export function RemindersAdminPage() {
  const { t } = useI18n();
  const { me } = useAuth();
  const department = me?.role === 'admin' && !me.unitId;
  const deliveryColumns = useDeliveryColumns();
  const summary = useApi<DeliverySummary>('/admin/reminders/summary');
  const [failedPage, setFailedPage] = useState(1);
  const failures = useApi<Page<Delivery>>('/admin/reminders/deliveries', { status: 'failed', page: failedPage, pageSize: PAGE_SIZE });
  const [status, setStatus] = useState('sent');
  const [page, setPage] = useState(1);
  const list = useApi<Page<Delivery>>('/admin/reminders/deliveries', { status, page, pageSize: PAGE_SIZE });
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
          <PagedTable data={data} empty={t('remEmpty')} page={failedPage} pageSize={PAGE_SIZE} onPage={setFailedPage} testId="deliveries" caption={t('remFailuresTitle')} rowKey={(d) => d.id} columns={deliveryColumns} />
        )}
      </Loaded>
      <h2>{t('remAllDeliveries')}</h2>
      <div className="toolbar">
        <SelectField label={t('status')} value={status} options={Object.entries(STATUS_KEYS).map(([value, key]) => [value, t(key)])} onChange={(v) => { setStatus(v); setPage(1); }} />
      </div>
      <Loaded state={list}>
        {(data) => (
          <PagedTable data={data} empty={t('none')} page={page} pageSize={PAGE_SIZE} onPage={setPage} busy={list.isFetching} testId="deliveries-by-status" caption={t('remAllDeliveries')} rowKey={(d) => d.id} columns={deliveryColumns} />
        )}
      </Loaded>
    </section>
  );
}

/** The columns of a list of reminder deliveries. */
function useDeliveryColumns(): Array<Column<Delivery>> {
  const { t, lang } = useI18n();
  return [
    {
      header: t('remRecipient'),
      rowHeader: true,
      cell: (d) => (
        <>
          {d.user.name}
          {d.email && <span className="block muted">{d.email}</span>}
        </>
      ),
    },
    { header: t('remKind'), cell: (d) => (KIND_KEYS[d.kind] ? t(KIND_KEYS[d.kind]) : d.kind) },
    // Branch-work reminders (plan items, returned records, the monthly summary) belong to no course: id 0.
    { header: t('certCourse'), cell: (d) => (d.course.id === '0' ? t('bwNav') : d.course.title) },
    {
      header: t('remReason'),
      cell: (d) =>
        d.failureReason ? (
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
        ),
    },
    { header: t('remAttempts'), cell: (d) => d.mailAttempts },
    { header: t('remUpdated'), cell: (d) => formatDateTime(d.updatedAt, lang) },
  ];
}

/**
 * 发送提醒 on the course page: the department or the course's instructors run the reminder rules now; the run
 * is a job, followed until it says how many reminders it queued and for whom.
 */
