import { useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { api, download, type Page } from '../../../api/client';
import { useI18n } from '../../../i18n';
import { PagedTable } from '../../../shared/PagedTable';
import { useAuth } from '../../../shared/auth';
import { Loaded, Spinner } from '../../../shared/components';
import { errorText, toApiError } from '../../../shared/errors';
import { formatDate, formatHours } from '../../../shared/format';
import { Field, FormError } from '../../../shared/forms';
import { useApi, useApiAll } from '../../../shared/queries';
import { CompileProgressView, useCompileProgress } from '../../courses/components/CloseCourse';
import { useCourse } from '../../courses/api';
import type { Schema } from '../../../api/types';

export type CertificateView = Schema<'CertificateResponse'>;

const PAGE_SIZE = 20;

function pdfName(c: CertificateView): string {
  return `结业证书-${c.serial}.pdf`;
}

/** A learner's own certificates; the PDF is fetched with the bearer token and saved. */
export function MyCertificatesPage() {
  const { t, lang } = useI18n();
  const list = useApi<{ items: CertificateView[]; total: number }>('/me/certificates');
  const [busy, setBusy] = useState<string>();
  const [errors, setErrors] = useState<Record<string, string>>({});

  async function get(c: CertificateView) {
    setBusy(c.id);
    setErrors((e) => ({ ...e, [c.id]: '' }));
    try {
      await download(`/certificates/${c.id}/pdf`, pdfName(c));
    } catch (e) {
      setErrors((all) => ({ ...all, [c.id]: errorText(toApiError(e), t) }));
    } finally {
      setBusy(undefined);
    }
  }

  return (
    <section>
      <h1>{t('myCertTitle')}</h1>
      <Loaded state={list}>
        {(data) =>
          data.items.length === 0 ? (
            <p className="empty">{t('myCertEmpty')}</p>
          ) : (
            <ul className="cards" data-testid="my-certificates">
              {data.items.map((c) => (
                <li key={c.id} className="card" aria-label={c.courseTitle}>
                  <h2>{c.courseTitle}</h2>
                  <p className="meta">
                    <span className={`badge ${c.revoked ? 'badge-overdue' : 'state-completed'}`}>{c.revoked ? t('certRevokedBadge') : t('certValidBadge')}</span>{' '}
                    {t('certSerial')}：{c.serial} · {t('certIssuedAt')}：{formatDate(c.issuedAt, lang)} · {t('hours', { n: formatHours(c.creditHours) })}
                  </p>
                  {c.revoked && <p className="muted">{t('certRevokedOn', { date: formatDate(c.revokedAt, lang), reason: c.revokedReason ?? '' })}</p>}
                  <div className="actions">
                    {!c.revoked && (
                      <button type="button" className="button primary" disabled={busy === c.id} onClick={() => get(c)}>
                        {busy === c.id ? <Spinner label={t('certDownloading')} /> : t('certDownloadPdf')}
                      </button>
                    )}
                    <Link className="button secondary" to={`/verify/${c.verificationCode}`}>
                      {t('certVerifyLink')}
                    </Link>
                  </div>
                  {errors[c.id] && <FormError messages={[errors[c.id]]} />}
                </li>
              ))}
            </ul>
          )
        }
      </Loaded>
    </section>
  );
}

/** The course's certificates for admins: compile (the department) with live progress, list, ZIP, summary, revoke, reissue. */
export function CourseCertificatesPage() {
  const { id = '' } = useParams();
  const { t } = useI18n();
  const { me } = useAuth();
  const department = me?.role === 'admin' && !me.unitId;
  const course = useCourse(id);
  const [unitId, setUnitId] = useState('');
  const [branchId, setBranchId] = useState('');
  const [page, setPage] = useState(1);
  const units = useApiAll<{ id: string; name: string }>('/units', {}, { enabled: department });
  const branches = useApiAll<{ id: string; name: string; unitId?: string; unit?: { id?: string; name: string } }>('/branches', { unitId: unitId || undefined });
  const list = useApi<Page<CertificateView>>(`/courses/${id}/certificates`, { unitId: unitId || undefined, branchId: branchId || undefined, page, pageSize: PAGE_SIZE });
  const [fileBusy, setFileBusy] = useState<string>();
  const [fileError, setFileError] = useState<string>();

  async function file(kind: 'bundle' | 'summary') {
    setFileBusy(kind);
    setFileError(undefined);
    try {
      const title = course.data?.title ?? id;
      await download(`/courses/${id}/certificates/${kind}`, kind === 'bundle' ? `结业证书-${title}.zip` : `结业证书统计-${title}.xlsx`, kind === 'bundle' ? { unitId: unitId || undefined, branchId: branchId || undefined } : undefined);
    } catch (e) {
      setFileError(errorText(toApiError(e), t));
    } finally {
      setFileBusy(undefined);
    }
  }

  return (
    <section>
      <div className="page-head">
        <h1>
          {t('certTitle')}
          {course.data && <span className="subtitle">{course.data.title}</span>}
        </h1>
        <div className="actions">
          <Link className="button secondary" to={`/courses/${id}/report`}>
            {t('openDashboard')}
          </Link>
        </div>
      </div>
      {!department ? <p className="muted">{t('certDepartmentOnly')}</p> : course.data ? <CompilePanel courseId={id} closed={course.data.status === 'closed'} onDone={list.refetch} /> : <Spinner />}
      <h2>{t('certList')}</h2>
      <div className="toolbar">
        {department && (
          <Field label={t('colUnit')}>
            {(p) => (
              <select {...p} value={unitId} onChange={(e) => { setUnitId(e.target.value); setBranchId(''); setPage(1); }}>
                <option value="">{t('certAllUnits')}</option>
                {units.data?.items.map((u) => (
                  <option key={u.id} value={u.id}>
                    {u.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
        )}
        <Field label={t('colBranch')}>
          {(p) => (
            <select {...p} value={branchId} onChange={(e) => { setBranchId(e.target.value); setPage(1); }}>
              <option value="">{t('certAllBranches')}</option>
              {branches.data?.items.map((b) => (
                <option key={b.id} value={b.id}>
                  {b.unit ? `${b.name}（${b.unit.name}）` : b.name}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <div className="actions">
        <button type="button" className="button secondary" disabled={Boolean(fileBusy)} onClick={() => file('bundle')}>
          {fileBusy === 'bundle' ? <Spinner label={t('certDownloading')} /> : t('certBundle')}
        </button>
        <button type="button" className="button secondary" disabled={Boolean(fileBusy)} onClick={() => file('summary')}>
          {fileBusy === 'summary' ? <Spinner label={t('certDownloading')} /> : t('certSummary')}
        </button>
      </div>
      <FormError messages={fileError ? [fileError] : undefined} />
      <Loaded state={list}>
        {(data) => (
          <PagedTable data={data} empty={t('certEmpty')} page={page} pageSize={PAGE_SIZE} onPage={setPage} testId="certificates" caption={t('certList')} rowKey={(c) => c.id} rowClassName={(c) => (c.revoked ? 'row-overdue' : undefined)}
            columns={[
              { header: t('certSerial'), cell: (c) => c.serial },
              { header: t('certHolder'), rowHeader: true, cell: (c) => c.name },
              { header: t('colUnit'), cell: (c) => c.unitName ?? '—' },
              { header: t('colBranch'), cell: (c) => c.branchName ?? '—' },
              { header: t('certHours'), cell: (c) => formatHours(c.creditHours) },
              { header: t('status'), cell: (c) => <CertificateStatus c={c} department={department} onChanged={list.refetch} /> },
            ]}
          />
        )}
      </Loaded>
    </section>
  );
}

/** A certificate's standing, and the department's revoke and reissue (each asks for a reason). */
function CertificateStatus({ c, department, onChanged }: { c: CertificateView; department: boolean; onChanged: () => void }) {
  const { t, lang } = useI18n();
  const [action, setAction] = useState<'revoke' | 'reissue'>();
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<string[]>();

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!action) return;
    if (!reason.trim()) {
      setErrors([t('fieldRequired')]);
      return;
    }
    setBusy(true);
    setErrors(undefined);
    try {
      await api(`/certificates/${c.id}/${action}`, { method: 'POST', body: { reason: reason.trim() } });
      setAction(undefined);
      setReason('');
      onChanged();
    } catch (e) {
      setErrors([errorText(toApiError(e), t)]);
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
        {c.revoked ? (
          <>
            <span className="badge badge-overdue">{t('certRevokedBadge')}</span>
            <span className="block muted">{t('certRevokedOn', { date: formatDate(c.revokedAt, lang), reason: c.revokedReason ?? '' })}</span>
          </>
        ) : (
          <span className="badge state-completed">{t('certValidBadge')}</span>
        )}
        {c.reissueOfId && <span className="block muted">{t('certReissueOf')}</span>}
        {c.replacedBy && <span className="block muted">{t('certReplacedBy', { serial: c.replacedBy.serial })}</span>}
        {department && !action && (
          <span className="actions">
            {!c.revoked && (
              <button type="button" className="button link" onClick={() => setAction('revoke')}>
                {t('certRevoke')}
              </button>
            )}
            {/* A certificate is reissued once: one already replaced offers no second reissue. */}
            {!c.replacedBy && (
              <button type="button" className="button link" onClick={() => setAction('reissue')}>
                {t('certReissue')}
              </button>
            )}
          </span>
        )}
        {action && (
          <form onSubmit={submit} noValidate aria-label={`${t(action === 'revoke' ? 'certRevoke' : 'certReissue')} ${c.serial}`}>
            <p className="muted">{t(action === 'revoke' ? 'certRevokeIntro' : 'certReissueIntro')}</p>
            <Field label={t('certReason')} errors={errors}>
              {(p) => <input {...p} name="reason" value={reason} maxLength={400} onChange={(e) => setReason(e.target.value)} />}
            </Field>
            <div className="actions">
              <button type="submit" className="button primary small" disabled={busy}>
                {busy ? <Spinner label={t('saving')} /> : t(action === 'revoke' ? 'certRevokeConfirm' : 'certReissueConfirm')}
              </button>
              <button type="button" className="button secondary small" onClick={() => { setAction(undefined); setErrors(undefined); }}>
                {t('cancel')}
              </button>
            </div>
          </form>
        )}
    </>
  );
}

/**
 * The department compiles in words, never parameters: once closed, "issue to the newly completed" (nobody gets
 * a second); before, an early compile from current progress (what the API calls force), said as such.
 */
function CompilePanel({ courseId, closed, onDone }: { courseId: string; closed: boolean; onDone: () => void }) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<string[]>();
  const compile = useCompileProgress(courseId, () => {
    setBusy(false);
    onDone();
  });

  async function start(event: FormEvent) {
    event.preventDefault();
    setErrors(undefined);
    setBusy(true);
    try {
      const { jobId } = await api<{ jobId: string }>(`/courses/${courseId}/certificates/compile`, { method: 'POST', query: { force: closed ? undefined : 'true' } });
      compile.follow(jobId);
    } catch (e) {
      setErrors([errorText(toApiError(e), t)]);
      setBusy(false);
    }
  }

  return (
    <form className="panel" onSubmit={start} noValidate aria-labelledby="compile-title">
      <h2 id="compile-title">{closed ? t('certCompileTitle') : t('certEarlyTitle')}</h2>
      <p className="muted">{closed ? t('certTopUpIntro') : t('certEarlyIntro')}</p>
      <FormError messages={errors ?? (compile.error ? [compile.error] : undefined)} />
      <button type="submit" className={`button ${closed ? 'primary' : 'secondary'}`} disabled={busy}>
        {busy ? <Spinner label={t('certCompiling')} /> : closed ? t('certTopUp') : t('certEarly')}
      </button>
      {compile.progress && <CompileProgressView progress={compile.progress} />}
    </form>
  );
}
