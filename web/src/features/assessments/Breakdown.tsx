import { useState } from 'react';
import { download } from '../../api/client';
import { useI18n } from '../../i18n';
import { DataTable } from '../../shared/PagedTable';
import { Spinner } from '../../shared/components';
import { errorText, toApiError } from '../../shared/errors';
import { formatDateTime } from '../../shared/format';
import { FormError } from '../../shared/forms';
import { evidenceText, GRADE_KEYS, scoreText, type BranchAssessment, type Grade, type IndicatorLine } from './api';

export function GradeBadge({ grade, provisional }: { grade: Grade; provisional?: boolean }) {
  const { t } = useI18n();
  return (
    <span className={`badge grade-${grade}`} data-testid="grade">
      {t(GRADE_KEYS[grade])}
      {provisional ? ` · ${t('asProvisional')}` : ''}
    </span>
  );
}

/** The branch's total and grade, large (the head of a branch's result). */
export function ScoreCard({ result }: { result: BranchAssessment }) {
  const { t, lang } = useI18n();
  return (
    <div className="panel as-score" data-testid="as-score">
      <div>
        <span className="muted">{t('asTotal')}</span>
        <strong className="as-total" data-testid="as-total">
          {scoreText(result.score)}
        </strong>
      </div>
      <div>
        <span className="muted">{t('asGrade')}</span>
        <GradeBadge grade={result.grade} provisional={!result.published} />
      </div>
      {result.rank !== null && (
        <div>
          <span className="muted">{t('asRanks')}</span>
          <span>{t('asRankLine', { rank: result.rank, unitRank: result.unitRank ?? '—' })}</span>
        </div>
      )}
      {result.publishedAt && <p className="muted as-when">{t('asPublishedAt', { date: formatDateTime(result.publishedAt, lang) })}</p>}
    </div>
  );
}

/** What an indicator's score was counted from: the evidence, an adjustment, a reason. */
function Evidence({ line: l }: { line: IndicatorLine }) {
  const { t } = useI18n();
  return (
    <div className="as-evidence">
      <span>{evidenceText(l, t)}</span>
      {l.source === 'auto' && l.countedScore !== null && <span className="as-adjusted">{t('asAdjustedLine', { counted: scoreText(l.countedScore), score: scoreText(l.score) })}</span>}
      {l.reason && <span className="as-reason">{t('asReasonLine', { reason: l.reason })}</span>}
    </div>
  );
}

/** The breakdown as a list of short cards, for the phone: name and score on a line, the evidence under it. */
export function BreakdownList({ lines }: { lines: IndicatorLine[] }) {
  const { t } = useI18n();
  return (
    <ul className="as-lines" data-testid="as-breakdown">
      {lines.map((l) => (
        <li key={l.key} className="as-line">
          <div className="as-line-head">
            <span>
              <strong>{l.name}</strong> <span className="muted">{t('asWeightN', { weight: l.weight })}</span>
            </span>
            <strong>{t('asScoreN', { score: scoreText(l.score) })}</strong>
          </div>
          <Evidence line={l} />
        </li>
      ))}
    </ul>
  );
}

/** Each indicator: its weight, its score and what it was counted from (the evidence, a manual score's reason, an adjustment). */
export function Breakdown({ lines }: { lines: IndicatorLine[] }) {
  const { t } = useI18n();
  return (
    <DataTable<IndicatorLine>
      rows={lines}
      rowKey={(l) => l.key}
      testId="as-breakdown"
      caption={t('asBreakdown')}
      columns={[
        { header: t('asIndicator'), rowHeader: true, cell: (l) => l.name },
        { header: t('asWeight'), cell: (l) => l.weight },
        { header: t('asScore'), cell: (l) => <strong>{scoreText(l.score)}</strong> },
        {
          header: t('asEvidence'),
          cell: (l) => <Evidence line={l} />,
        },
      ]}
    />
  );
}

/** The branch's result sheet (考核结果单) as PDF. */
export function SheetButton({ roundId, branchId, name, year }: { roundId: string; branchId: string; name: string; year: number }) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string[]>();
  async function get() {
    setBusy(true);
    setError(undefined);
    try {
      await download(`/assessments/rounds/${roundId}/branches/${branchId}/sheet`, `${year}年度考核结果单-${name}.pdf`);
    } catch (e) {
      setError([errorText(toApiError(e), t)]);
    } finally {
      setBusy(false);
    }
  }
  return (
    <>
      <button type="button" className="button secondary" onClick={get} disabled={busy} data-testid="as-sheet">
        {busy ? <Spinner label={t('asDownloading')} /> : t('asSheet')}
      </button>
      <FormError messages={error} />
    </>
  );
}
