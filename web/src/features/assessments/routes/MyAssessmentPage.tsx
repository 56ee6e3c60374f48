import { Link, useSearchParams } from 'react-router';
import { useI18n } from '../../../i18n';
import { useAuth } from '../../../shared/auth';
import { Loaded, Spinner } from '../../../shared/components';
import { SelectField } from '../../../shared/forms';
import { useApi } from '../../../shared/queries';
import { beijingYear, type BranchAssessment } from '../api';
import { BreakdownList, ScoreCard, SheetButton } from '../Breakdown';

/**
 * 我的支部考核: the secretary's own branch, once the year's result is published — the total, the grade, each
 * indicator's score with its evidence and reasons, and the result sheet. No rankings; before publishing, says so.
 */
export function MyAssessmentPage() {
  const { t } = useI18n();
  const { me } = useAuth();
  const [params, setParams] = useSearchParams();
  const now = beijingYear();
  const year = Number(params.get('year')) || now;
  const years = [...new Set([year, ...Array.from({ length: 6 }, (_, i) => now - i)])].sort((a, b) => b - a);
  const result = useApi<BranchAssessment>(`/branches/${me?.branchId}/assessment`, { year }, { enabled: Boolean(me?.branchId) });
  if (!me?.branchId) {
    return (
      <div className="alert alert-error" role="alert">
        {t('bwNoBranch')}
      </div>
    );
  }
  const notPublished = result.error?.code === 'ASSESSMENT_NOT_PUBLISHED' || (result.data !== undefined && !result.data.published);
  return (
    <section className="as-mine">
      <h1>{t('asMineTitle')}</h1>
      <div className="toolbar">
        <SelectField
          label={t('asYear')}
          value={String(year)}
          options={years.map((y) => [String(y), t('bwYearN', { year: y })])}
          onChange={(v) => setParams({ year: v }, { replace: true })}
        />
      </div>
      {notPublished ? (
        <div className="panel as-unpublished" data-testid="as-unpublished">
          <h2>{t('asNotPublishedTitle')}</h2>
          <p className="muted">{t('asNotPublishedBody', { year })}</p>
          <Link to={`?year=${year - 1}`} replace>
            {t('asSeeYear', { year: year - 1 })}
          </Link>
        </div>
      ) : result.isFetching && result.data?.year !== year ? (
        <Spinner />
      ) : (
        <Loaded state={result}>
          {(r) => (
            <>
              <p className="muted">
                {r.branchName} · {r.unitName}
              </p>
              <ScoreCard result={r} />
              <h2>{t('asBreakdown')}</h2>
              <BreakdownList lines={r.indicators} />
              <SheetButton roundId={r.roundId} branchId={r.branchId} name={r.branchName} year={r.year} />
            </>
          )}
        </Loaded>
      )}
    </section>
  );
}
