import { useState } from 'react';
import { api, type Page } from '../api';
import { formatDateTime } from '../format';
import { useI18n, type MessageKey } from '../i18n';
import { Checkbox, errorText, Field, Loaded, Notice, Pager, Spinner, toApiError, useLoad } from '../ui';

const PAGE_SIZE = 20;

interface ReviewItem {
  id: string;
  author: { id: string; name: string; username: string } | null;
  html: string;
  charCount: number;
  status: 'draft' | 'submitted' | 'returned' | 'approved';
  feedback: string | null;
  excellent: boolean;
  submittedAt: string | null;
  reviewedAt: string | null;
  copyCheck?: { source: 'reading' | 'reflection'; reflectionId: string | null; similarity: number; flagged: boolean } | null;
}

const STATUS: Record<ReviewItem['status'], MessageKey> = {
  draft: 'reflectionDraft',
  submitted: 'reflectionSubmitted',
  returned: 'reflectionReturned',
  approved: 'reflectionApproved',
};

/** Instructors' queue: every submitted reflection with its copy check; approve (optionally 优秀) or return with feedback. */
export function ReviewQueue({ activityId }: { activityId: string }) {
  const { t } = useI18n();
  const [status, setStatus] = useState('submitted');
  const [page, setPage] = useState(1);
  const list = useLoad(
    () => api<Page<ReviewItem>>(`/activities/${activityId}/reflections`, { query: { status, page, pageSize: PAGE_SIZE } }),
    [activityId, status, page],
  );
  return (
    <section className="panel" aria-labelledby="review-title">
      <h2 id="review-title">{t('reviewTitle')}</h2>
      <Field label={t('reviewFilter')} className="narrow-field">
        {(p) => (
          <select
            {...p}
            value={status}
            onChange={(e) => {
              setStatus(e.target.value);
              setPage(1);
            }}
          >
            <option value="submitted">{t('reflectionSubmitted')}</option>
            <option value="returned">{t('reflectionReturned')}</option>
            <option value="approved">{t('reflectionApproved')}</option>
            <option value="">{t('all')}</option>
          </select>
        )}
      </Field>
      <Loaded state={list}>
        {(data) =>
          data.items.length === 0 ? (
            <p className="empty">{t('reviewEmpty')}</p>
          ) : (
            <>
              <ul className="review-list">
                {data.items.map((item) => (
                  <ReviewCard key={item.id} item={item} onReviewed={list.reload} />
                ))}
              </ul>
              <Pager page={page} pageSize={PAGE_SIZE} total={data.total} onPage={setPage} />
            </>
          )
        }
      </Loaded>
    </section>
  );
}

function ReviewCard({ item, onReviewed }: { item: ReviewItem; onReviewed: () => void }) {
  const { t, lang } = useI18n();
  const [feedback, setFeedback] = useState(item.feedback ?? '');
  const [excellent, setExcellent] = useState(item.excellent);
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<string[]>();
  const [done, setDone] = useState<string>();
  const reviewable = item.status === 'submitted';
  const name = item.author ? `${item.author.name}（${item.author.username}）` : '—';

  async function review(decision: 'approve' | 'return') {
    setBusy(true);
    setErrors(undefined);
    try {
      await api(`/reflections/${item.id}/review`, {
        method: 'POST',
        body: { decision, ...(feedback.trim() ? { feedback: feedback.trim() } : {}), ...(decision === 'approve' ? { excellent } : {}) },
      });
      setDone(decision === 'approve' ? t('reviewApproved') : t('reviewReturnedDone'));
      onReviewed();
    } catch (e) {
      const error = toApiError(e);
      const { fields, other } = error.fieldErrors();
      setErrors([...(fields.feedback ?? []), ...other].length ? [...(fields.feedback ?? []), ...other] : [errorText(error, t)]);
    } finally {
      setBusy(false);
    }
  }

  return (
    <li className="review-card" aria-label={name}>
      <p className="meta">
        <strong>{name}</strong> · <span className={`badge reflection-${item.status}`}>{t(STATUS[item.status])}</span>
        {item.excellent && <span className="badge state-completed"> {t('reflectionExcellent')}</span>} · {t('reviewChars', { n: item.charCount })}
        {item.submittedAt ? ` · ${formatDateTime(item.submittedAt, lang)}` : ''}
      </p>
      {item.copyCheck?.flagged && (
        <p className="badge badge-overdue" data-testid="copy-flag">
          {t(item.copyCheck.source === 'reading' ? 'reviewCopyReading' : 'reviewCopyPeer', { percent: Math.round(item.copyCheck.similarity * 100) })}
        </p>
      )}
      <div className="reading-body review-body" dangerouslySetInnerHTML={{ __html: item.html }} />
      {reviewable && (
        <div className="review-actions">
          <Field label={t('reviewFeedback')} errors={errors}>
            {(p) => <textarea {...p} rows={3} value={feedback} onChange={(e) => setFeedback(e.target.value)} />}
          </Field>
          <Checkbox label={t('reviewExcellent')} checked={excellent} onChange={setExcellent} />
          <div className="actions">
            <button type="button" className="button primary" disabled={busy} onClick={() => review('approve')}>
              {busy ? <Spinner label={t('saving')} /> : t('reviewApprove')}
            </button>
            <button type="button" className="button danger" disabled={busy} onClick={() => review('return')}>
              {t('reviewReturn')}
            </button>
          </div>
        </div>
      )}
      {!reviewable && item.feedback && (
        <p className="muted">
          {t('reflectionFeedback')} {item.feedback}
        </p>
      )}
      {done && <Notice>{done}</Notice>}
    </li>
  );
}
