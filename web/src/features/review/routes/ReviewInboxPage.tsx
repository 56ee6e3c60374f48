import { useState, type ReactNode } from 'react';
import { type Page } from '../../../api/client';
import { type MessageKey, useI18n } from '../../../i18n';
import { PagedList } from '../../../shared/PagedTable';
import { Loaded } from '../../../shared/components';
import { formatDateTime } from '../../../shared/format';
import { SelectField } from '../../../shared/forms';
import { useApi } from '../../../shared/queries';
import { PAGE_SIZE, ReviewActions } from '../components/ReviewQueue';
import type { InboxCounts } from '../api';
import { useCourses } from '../../courses/api';
import type { Schema } from '../../../api/types';

type InboxStatus = 'waiting' | 'resubmitted' | 'returned';
type InboxItem = Schema<'ReviewItemResponse'>;
type Similar =
  | { source: 'reading'; title: string; body: string; score: number }
  | { source: 'reflection'; id: string; author: { name: string; branch: string | null; unit: string | null }; body: string; score: number }
  | { source: 'reflection'; outsideScope: true; score: number };

const INBOX_ERRORS: Record<string, MessageKey> = {
  FEEDBACK_REQUIRED: 'inboxFeedbackRequired',
  REFLECTION_NOT_REVIEWABLE: 'inboxAlreadyReviewed',
  REFLECTION_NOT_FOUND: 'inboxAlreadyReviewed',
  COURSE_CLOSED: 'inboxCourseClosed',
};
const INBOX_STATUS: Record<InboxStatus, MessageKey> = { waiting: 'inboxWaiting', resubmitted: 'inboxResubmitted', returned: 'inboxReturned' };

/**
 * 待审心得: every reflection waiting for the caller across the courses they review, filtered by status and
 * course; approve or return inline, and a flagged one opens beside the text it resembles.
 */
export function ReviewInboxPage() {
  const { t } = useI18n();
  const [status, setStatus] = useState<InboxStatus>('waiting');
  const [courseId, setCourseId] = useState('');
  const [page, setPage] = useState(1);
  // Reviewed in this view: hidden at once, before the list comes back without them.
  const [removed, setRemoved] = useState<Set<string>>(new Set());
  const courses = useCourses();
  const list = useApi<Page<InboxItem> & { counts: InboxCounts }>('/reviews/reflections', { status, courseId: courseId || undefined, page, pageSize: PAGE_SIZE });
  function reviewed(id: string) {
    setRemoved((r) => new Set(r).add(id));
  }
  return (
    <section aria-labelledby="inbox-title">
      <div className="page-head">
        <h1 id="inbox-title">{t('inboxTitle')}</h1>
      </div>
      <div className="toolbar">
        <div className="tabs" role="group" aria-label={t('reviewFilter')}>
          {(Object.keys(INBOX_STATUS) as InboxStatus[]).map((key) => (
            <button
              key={key}
              type="button"
              className={`button small ${status === key ? 'primary' : 'secondary'}`}
              aria-pressed={status === key}
              data-testid={`inbox-tab-${key}`}
              onClick={() => {
                setStatus(key);
                setPage(1);
                setRemoved(new Set());
              }}
            >
              {t(INBOX_STATUS[key])}
              {list.data ? `（${list.data.counts[key]}）` : ''}
            </button>
          ))}
        </div>
        <SelectField label={t('inboxCourse')} value={courseId} empty={t('inboxAllCourses')} options={(courses.data?.items ?? []).map((c) => [c.id, c.title])} onChange={(v) => { setCourseId(v); setPage(1); setRemoved(new Set()); }} />
      </div>
      <Loaded state={list}>
        {(data) => (
          <PagedList
            data={data}
            items={data.items.filter((i) => !removed.has(i.id))}
            empty={t(status === 'returned' ? 'inboxEmptyReturned' : 'inboxEmpty')}
            emptyTestId="inbox-empty"
            page={page}
            pageSize={PAGE_SIZE}
            onPage={setPage}
            className="review-list"
            testId="inbox-list"
          >
            {(item) => <InboxCard key={item.id} item={item} onReviewed={() => reviewed(item.id)} />}
          </PagedList>
        )}
      </Loaded>
    </section>
  );
}

function InboxCard({ item, onReviewed }: { item: InboxItem; onReviewed: () => void }) {
  const { t, lang } = useI18n();
  const [comparing, setComparing] = useState(false);
  const name = `${item.author.name}（${item.author.username}）`;

  return (
    <li className="review-card" aria-label={name} data-testid="inbox-item">
      <p className="meta">
        <strong>{name}</strong>
        {item.author.branch && ` · ${item.author.branch}`}
        {item.author.unit && `（${item.author.unit}）`}
      </p>
      <p className="meta">
        {item.courseTitle} · {item.activityTitle} · {t('reviewChars', { n: item.charCount })}
        {item.submittedAt ? ` · ${formatDateTime(item.submittedAt, lang)}` : ''}{' '}
        {item.resubmitted && <span className="badge state-in_progress">{t('inboxResubmittedBadge')}</span>}
        {item.status === 'returned' && <span className="badge reflection-returned">{t('reflectionReturned')}</span>}
      </p>
      {item.similarity && (
        <p className="copy-flag">
          <span className="badge badge-overdue" data-testid="copy-flag">
            {item.similarity.source === 'reading'
              ? t('reviewCopyReading', { percent: Math.round(item.similarity.score * 100) })
              : item.similarity.authorName
                ? t('inboxCopyNamed', { name: item.similarity.authorName, percent: Math.round(item.similarity.score * 100) })
                : t('inboxCopyOtherUnit', { percent: Math.round(item.similarity.score * 100) })}
          </span>{' '}
          <button type="button" className="button secondary small" aria-expanded={comparing} onClick={() => setComparing((v) => !v)}>
            {comparing ? t('inboxHideCompare') : t('inboxCompare')}
          </button>
        </p>
      )}
      {comparing ? <Compare item={item} /> : <div className="reading-body review-body" dangerouslySetInnerHTML={{ __html: item.bodyHtml }} />}
      {item.status === 'submitted' ? (
        <ReviewActions reflectionId={item.id} words={INBOX_ERRORS} onReviewed={onReviewed} />
      ) : (
        item.feedback && (
          <p className="muted">
            {t('reflectionFeedback')} {item.feedback}
          </p>
        )
      )}
    </li>
  );
}

/** The reflection and the text it resembles side by side (stacked on a phone), shared runs of characters marked. */
function Compare({ item }: { item: InboxItem }) {
  const { t } = useI18n();
  const answer = useApi<{ similar: Similar | null }>(`/reviews/reflections/${item.id}/compare`);
  return (
    <Loaded state={answer}>
      {({ similar }) => {
        const other = similar && 'body' in similar ? similar.body : '';
        return (
          <div className="compare" data-testid="compare">
            <section className="compare-side" aria-label={t('inboxThisReflection', { name: item.author.name })}>
              <h3>{t('inboxThisReflection', { name: item.author.name })}</h3>
              <p className="compare-text">{other ? markShared(item.body, other) : item.body}</p>
            </section>
            <section className="compare-side" aria-label={t('inboxSimilarText')}>
              {similar && 'body' in similar ? (
                <>
                  <h3>
                    {similar.source === 'reading'
                      ? t('inboxReadingText', { title: similar.title })
                      : t('inboxPeerReflection', { name: similar.author.name })}
                  </h3>
                  {similar.source === 'reflection' && (
                    <p className="muted">
                      {[similar.author.branch, similar.author.unit].filter(Boolean).join(' · ')}
                      {' · '}
                      {t('inboxSimilarity', { percent: Math.round(similar.score * 100) })}
                    </p>
                  )}
                  <p className="compare-text">{markShared(similar.body, item.body)}</p>
                </>
              ) : (
                <p className="muted">{t('inboxCopyOtherUnitLong', { percent: Math.round((similar?.score ?? 0) * 100) })}</p>
              )}
            </section>
            <p className="muted compare-note">{t('inboxMarkedNote')}</p>
          </div>
        );
      }}
    </Loaded>
  );
}

const SHINGLE = 3;
const IGNORED = /[\s\p{P}\p{S}]/u;

/** The text with every run of three or more characters (punctuation and spaces aside) that the other text also has in <mark>. */
function markShared(text: string, other: string): ReactNode[] {
  const chars = [...text];
  const significant = chars.map((c, i) => ({ c: c.toLowerCase(), i })).filter(({ c }) => !IGNORED.test(c));
  const otherChars = [...other.toLowerCase()].filter((c) => !IGNORED.test(c));
  const pieces = new Set<string>();
  for (let i = 0; i + SHINGLE <= otherChars.length; i++) pieces.add(otherChars.slice(i, i + SHINGLE).join(''));
  const marked = new Array<boolean>(chars.length).fill(false);
  for (let i = 0; i + SHINGLE <= significant.length; i++) {
    if (!pieces.has(significant.slice(i, i + SHINGLE).map((s) => s.c).join(''))) continue;
    // Mark the whole stretch from the first to the last character, punctuation inside included.
    for (let k = significant[i].i; k <= significant[i + SHINGLE - 1].i; k++) marked[k] = true;
  }
  const out: ReactNode[] = [];
  let start = 0;
  for (let k = 1; k <= chars.length; k++) {
    if (k === chars.length || marked[k] !== marked[start]) {
      const run = chars.slice(start, k).join('');
      out.push(marked[start] ? <mark key={start}>{run}</mark> : run);
      start = k;
    }
  }
  return out;
}

/**
 * Approve (optionally as 优秀) or return a reflection with feedback: the same controls on a reading's queue and
 * in the inbox. `words` gives a refusal's code the card's own sentence; input problems are said in the page's
 * language beside the feedback.
 */
