import { Link } from 'react-router';
import { useI18n } from '../../../i18n';
import { formatDate } from '../../../shared/format';
import { useApi } from '../../../shared/queries';
import { CASE_KIND_KEYS, type CasePage } from '../api';

const SHOWN = 3;

/** 优秀案例 on a secretary's home page: the newest featured cases, a link to all of them; nothing while there are none. */
export function FeaturedCases() {
  const { t, lang } = useI18n();
  const featured = useApi<CasePage>('/cases', { featured: 'true', page: 1, pageSize: SHOWN });
  const items = featured.data?.items ?? [];
  if (!items.length) return null;
  return (
    <section aria-labelledby="featured-cases-title" className="featured-cases" data-testid="featured-cases">
      <div className="page-head">
        <h2 id="featured-cases-title">{t('caseFeaturedHome')}</h2>
        <Link to="/cases?featured=true">{t('caseFeaturedAll', { n: featured.data?.total ?? items.length })}</Link>
      </div>
      <ul className="featured-case-list">
        {items.map((c) => (
          <li key={c.id}>
            <Link to={`/cases/${c.id}`} className="featured-case-title">
              {c.title}
            </Link>
            <span className="meta">
              {t(CASE_KIND_KEYS[c.kind])} · {c.branchName ?? ''} · {formatDate(c.createdAt, lang)} · {t('caseUsefulCount', { n: c.usefulCount })}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
