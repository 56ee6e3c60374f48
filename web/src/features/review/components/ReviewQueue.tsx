import { useState } from 'react';
import { type Page } from '../../../api/client';
import { type MessageKey, useI18n } from '../../../i18n';
import { PagedList } from '../../../shared/PagedTable';
import { Loaded, Spinner } from '../../../shared/components';
import { errorText, toApiError } from '../../../shared/errors';
import { formatDateTime } from '../../../shared/format';
import { Checkbox, Field, Notice, SelectField } from '../../../shared/forms';
import { useApi } from '../../../shared/queries';
import { useReviewReflection } from '../api';
import type { Schema } from '../../../api/types';
import { REFLECTION_STATUS_KEYS } from '../../../shared/labels';

export const PAGE_SIZE = 20;

type ReviewItem = Schema<'ReflectionDetailResponse'>;

/** Instructors' queue: every submitted reflection with its copy check; approve (optionally 优秀) or return with feedback. */
export function ReviewQueue({ activityId }: { activityId: string }) {
  const { t } = useI18n();
  const [status, setStatus] = useState('submitted');
  const [page, setPage] = useState(1);
  const list = useApi<Page<ReviewItem>>(`/activities/${activityId}/reflections`, { status, page, pageSize: PAGE_SIZE });
  return (
    <section className="panel" aria-labelledby="review-title">
      <h2 id="review-title">{t('reviewTitle')}</h2>
      <SelectField label={t('reviewFilter')} className="narrow-field" value={status} options={[['submitted', t('reflectionSubmitted')], ['returned', t('reflectionReturned')], ['approved', t('reflectionApproved')], ['', t('all')]]} onChange={(v) => { setStatus(v); setPage(1); }} />
      <Loaded state={list}>
        {(data) => (
          <PagedList data={data} empty={t('reviewEmpty')} page={page} pageSize={PAGE_SIZE} onPage={setPage} className="review-list">
            {(item) => <ReviewCard key={item.id} item={item} />}
          </PagedList>
        )}
      </Loaded>
    </section>
  );
}

function ReviewCard({ item }: { item: ReviewItem }) {
  const { t, lang } = useI18n();
  const [done, setDone] = useState<string>();
  const reviewable = item.status === 'submitted';
  const name = item.author ? `${item.author.name}（${item.author.username}）` : '—';

  return (
    <li className="review-card" aria-label={name}>
      <p className="meta">
        <strong>{name}</strong> · <span className={`badge reflection-${item.status}`}>{t(REFLECTION_STATUS_KEYS[item.status])}</span>
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
        <ReviewActions
          reflectionId={item.id}
          initialFeedback={item.feedback ?? ''}
          initialExcellent={item.excellent}
          onReviewed={(decision) => setDone(decision === 'approve' ? t('reviewApproved') : t('reviewReturnedDone'))}
        />
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

export function ReviewActions({
  reflectionId,
  initialFeedback = '',
  initialExcellent = false,
  words = {},
  onReviewed,
}: {
  reflectionId: string;
  initialFeedback?: string;
  initialExcellent?: boolean;
  words?: Record<string, MessageKey>;
  onReviewed: (decision: 'approve' | 'return') => void;
}) {
  const { t } = useI18n();
  const [feedback, setFeedback] = useState(initialFeedback);
  const [excellent, setExcellent] = useState(initialExcellent);
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<string[]>();
  const reviewReflection = useReviewReflection(reflectionId);

  async function review(decision: 'approve' | 'return') {
    setBusy(true);
    setErrors(undefined);
    try {
      await reviewReflection.mutateAsync({ decision, ...(feedback.trim() ? { feedback: feedback.trim() } : {}), ...(decision === 'approve' ? { excellent } : {}) });
      onReviewed(decision);
    } catch (e) {
      const error = toApiError(e);
      const known = words[error.code ?? ''];
      const { fields, other } = error.fieldErrors((problem) => t.problem(problem));
      const messages = [...(fields.feedback ?? []), ...other];
      setErrors(known ? [t(known)] : messages.length ? messages : [errorText(error, t)]);
    } finally {
      setBusy(false);
    }
  }

  return (
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
  );
}
