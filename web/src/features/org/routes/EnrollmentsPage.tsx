import { useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { api, type Page } from '../../../api/client';
import { type MessageKey, useI18n } from '../../../i18n';
import { PagedTable } from '../../../shared/PagedTable';
import { useAuth } from '../../../shared/auth';
import { Loaded, Spinner } from '../../../shared/components';
import { errorText, toApiError } from '../../../shared/errors';
import { formatDate, formatHours } from '../../../shared/format';
import { Checkbox, Field, FormError, Notice, SearchBox } from '../../../shared/forms';
import { useApi } from '../../../shared/queries';
import { useCourse } from '../../courses/api';
import type { Schema } from '../../../api/types';

const PAGE_SIZE = 20;
/** Units and branches offered at once; more are found by name. */
const CHOICES = 100;

interface Choice {
  id: string;
  name: string;
}

const SOURCE_KEYS: Record<string, MessageKey> = { user: 'sourceUser', branch: 'sourceBranch', unit: 'sourceUnit', all: 'sourceAll', roster: 'sourceRoster' };

type Enrollment = Schema<'EnrollmentResponse'>;

export function EnrollmentsPage() {
  const { id = '' } = useParams();
  const { t, lang } = useI18n();
  const { me } = useAuth();
  const course = useCourse(id);
  const [q, setQ] = useState('');
  const [page, setPage] = useState(1);
  const list = useApi<Page<Enrollment>>(`/courses/${id}/enrollments`, { q, page, pageSize: PAGE_SIZE });

  return (
    <section>
      <Loaded state={course}>
        {(c) => (
          <h1>
            {c.title}
            <span className="subtitle">{t('enrollTitle')}</span>
          </h1>
        )}
      </Loaded>
      <p>
        <Link to={`/courses/${id}`}>{t('openSchedule')}</Link>
        {(me?.role === 'instructor' || !me?.unitId) && (
          <>
            {' · '}
            <Link to={`/courses/${id}/edit`}>{t('openEditor')}</Link>
          </>
        )}
      </p>
      {(me?.role === 'admin' || me?.role === 'instructor') && <EnrollForm courseId={id} onDone={list.refetch} />}
      <h2>{t('enrolledTitle')}</h2>
      <div className="toolbar">
        <SearchBox value={q} onSearch={(v) => { setQ(v); setPage(1); }} />
      </div>
      <Loaded state={list}>
        {(data) => (
          <PagedTable data={data} empty={t('none')} page={page} pageSize={PAGE_SIZE} onPage={setPage} testId="enrollments" rowKey={(e) => e.user.id}
            columns={[
              { header: t('colUsername'), cell: (e) => e.user.username },
              { header: t('colPersonName'), rowHeader: true, cell: (e) => e.user.name },
              { header: t('colUnit'), cell: (e) => e.user.unit ?? '—' },
              { header: t('colBranch'), cell: (e) => e.user.branch ?? '—' },
              { header: t('colSource'), cell: (e) => `${SOURCE_KEYS[e.source] ? t(SOURCE_KEYS[e.source]) : e.source} · ${formatDate(e.enrolledAt, lang)}` },
              {
                header: t('colProgress'),
                cell: (e) =>
                  e.progress
                    ? `${e.progress.requiredDone}/${e.progress.requiredTotal} · ${t('hours', { n: formatHours(e.progress.creditHours) })}${e.progress.completed ? ` · ${t('stateCompleted')}` : ''}`
                    : '—',
              },
            ]}
          />
        )}
      </Loaded>
    </section>
  );
}

/**
 * 全覆盖 and enrolment by units or branches. Instructors may enrol everyone but cannot list units and branches
 * (the organization API is the admins'); for a unit admin "everyone" means their unit.
 */
function EnrollForm({ courseId, onDone }: { courseId: string; onDone: () => void }) {
  const { t } = useI18n();
  const { me } = useAuth();
  const admin = me?.role === 'admin';
  // A university has more branches than one list shows: the lists are searched by name, and what was
  // chosen stays listed (and chosen) whatever is searched next.
  const [filter, setFilter] = useState('');
  const q = filter.trim() || undefined;
  const units = useApi<Page<Choice>>('/units', { q, pageSize: CHOICES }, { enabled: admin });
  const branches = useApi<Page<Choice & { unit?: { name: string } }>>('/branches', { q, pageSize: CHOICES }, { enabled: admin });
  const [all, setAll] = useState(false);
  const [chosenUnits, setChosenUnits] = useState<Choice[]>([]);
  const [chosenBranches, setChosenBranches] = useState<Choice[]>([]);
  const unitIds = chosenUnits.map((u) => u.id);
  const branchIds = chosenBranches.map((b) => b.id);
  const hidden = Math.max(0, (units.data?.total ?? 0) - (units.data?.items.length ?? 0)) + Math.max(0, (branches.data?.total ?? 0) - (branches.data?.items.length ?? 0));
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<{ enrolled: number; total?: number }>();
  const [errors, setErrors] = useState<string[]>();

  const toggle = (list: Choice[], set: (v: Choice[]) => void, choice: Choice, on: boolean) => set(on ? [...list, choice] : list.filter((x) => x.id !== choice.id));
  /** The chosen first, then the search's results not chosen. */
  const shown = (chosen: Choice[], found: Choice[] | undefined) => [...chosen, ...(found ?? []).filter((f) => !chosen.some((c) => c.id === f.id))];

  async function submit(event: FormEvent) {
    event.preventDefault();
    setDone(undefined);
    if (!all && !unitIds.length && !branchIds.length) {
      setErrors([t('enrollChooseOne')]);
      return;
    }
    setErrors(undefined);
    setBusy(true);
    try {
      const body = all ? { allSecretaries: true } : { ...(unitIds.length ? { unitIds } : {}), ...(branchIds.length ? { branchIds } : {}) };
      setDone(await api<{ enrolled: number; total?: number }>(`/courses/${courseId}/enrollments`, { method: 'POST', body }));
      onDone();
    } catch (e) {
      setErrors([errorText(toApiError(e), t)]);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="panel" onSubmit={submit} noValidate>
      <p className="muted">{t('enrollIntro')}</p>
      <Checkbox label={me?.unitId ? t('enrollAllUnit') : t('enrollAll')} checked={all} onChange={setAll} />
      {!admin && <p className="hint">{t('enrollInstructorHint')}</p>}
      {!all && admin && (
        <>
          <Field label={t('enrollFilter')}>{(p) => <input {...p} type="search" value={filter} onChange={(e) => setFilter(e.target.value)} />}</Field>
          <div className="two-col">
            <fieldset className="choice-list">
              <legend>{t('enrollUnits')}</legend>
              {shown(chosenUnits, units.data?.items).map((u) => (
                <Checkbox key={u.id} label={u.name} checked={unitIds.includes(u.id)} onChange={(on) => toggle(chosenUnits, setChosenUnits, u, on)} />
              ))}
            </fieldset>
            <fieldset className="choice-list">
              <legend>{t('enrollBranches')}</legend>
              {shown(
                chosenBranches,
                branches.data?.items.map((b) => ({ id: b.id, name: b.unit ? `${b.name}（${b.unit.name}）` : b.name })),
              ).map((b) => (
                <Checkbox key={b.id} label={b.name} checked={branchIds.includes(b.id)} onChange={(on) => toggle(chosenBranches, setChosenBranches, b, on)} />
              ))}
            </fieldset>
          </div>
          {hidden > 0 && <p className="hint">{t('enrollMore', { n: hidden })}</p>}
        </>
      )}
      <FormError messages={errors} />
      {done && <Notice>{t('enrollDone', { enrolled: done.enrolled, total: done.total ?? '—' })}</Notice>}
      <button type="submit" className="button primary" disabled={busy}>
        {busy ? <Spinner label={t('enrolling')} /> : t('enrollButton')}
      </button>
    </form>
  );
}
