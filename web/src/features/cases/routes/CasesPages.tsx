import { useEffect, useState, type FormEvent } from 'react';
import { Link, useLocation, useNavigate, useParams, useSearchParams } from 'react-router';
import { api, saveBlob, type Page } from '../../../api/client';
import { useI18n } from '../../../i18n';
import { PagedList } from '../../../shared/PagedTable';
import { useAuth } from '../../../shared/auth';
import { Loaded, Spinner } from '../../../shared/components';
import { errorText, toApiError } from '../../../shared/errors';
import { formatDate, formatDateTime } from '../../../shared/format';
import { Checkbox, Field, FormError, Notice, SearchBox, SelectField, useFormSubmit } from '../../../shared/forms';
import { useApi, useInvalidate } from '../../../shared/queries';
import type { Schema } from '../../../api/types';
import {
  CASE_FILE_ACCEPT,
  CASE_KIND_KEYS,
  CASE_KINDS,
  caseFileBlob,
  parseTags,
  showable,
  uploadCaseFile,
  type CaseComment,
  type CaseDetail,
  type CaseFile,
  type CaseKind,
  type CasePage,
  type CaseSummary,
} from '../api';

const PAGE_SIZE = 20;
const COMMENTS_PAGE_SIZE = 20;

type RecordSummary = Schema<'RecordSummaryResponse'>;
type Me = NonNullable<ReturnType<typeof useAuth>['me']>;

/** What the caller may do to a case, as the server allows it: the case's unit admin recommends, the department features, both moderate. */
function powers(me: Me | null | undefined, c: CaseSummary) {
  const admin = me?.role === 'admin';
  const department = admin && !me?.unitId;
  const unitAdmin = admin && me?.unitId === c.unitId;
  return { recommend: Boolean(unitAdmin), feature: Boolean(department), moderate: Boolean(department || unitAdmin), author: me?.id === c.author.id };
}

function CaseBadges({ c }: { c: CaseSummary }) {
  const { t } = useI18n();
  return (
    <span className="badges">
      {c.featured && <span className="badge badge-featured">{t('caseFeatured')}</span>}
      {c.recommended && <span className="badge case-recommended">{t('caseRecommended')}</span>}
      <span className="badge">{t(CASE_KIND_KEYS[c.kind])}</span>
      {c.hidden && <span className="badge badge-overdue">{t('caseHidden')}</span>}
      {c.locked && <span className="badge">{t('caseLocked')}</span>}
    </span>
  );
}

/** Everyone: the cases shared by branches, searched by words, filtered by kind, tag and 优秀案例. */
export function CasesPage() {
  const { t, lang } = useI18n();
  const { me } = useAuth();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const kind = (params.get('kind') ?? '') as CaseKind | '';
  const tag = params.get('tag') ?? '';
  const featured = params.get('featured') === 'true';
  const recommended = params.get('recommended') === 'true';
  const page = Number(params.get('page')) || 1;
  const cases = useApi<CasePage>('/cases', {
    q: q || undefined,
    kind: kind || undefined,
    tag: tag || undefined,
    featured: featured ? 'true' : undefined,
    recommended: recommended ? 'true' : undefined,
    page,
    pageSize: PAGE_SIZE,
  });

  /** Changes one filter and goes back to the first page. */
  function set(name: string, value: string) {
    // From the address as it is now: two filters changed in quick succession both stay.
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        if (value) next.set(name, value);
        else next.delete(name);
        if (name !== 'page') next.delete('page');
        return next;
      },
      { replace: name !== 'page' },
    );
  }

  return (
    <section>
      <div className="page-head">
        <h1>{t('casesTitle')}</h1>
        {me?.role === 'secretary' && (
          <Link className="button primary" to="/cases/new">
            {t('caseShare')}
          </Link>
        )}
      </div>
      <p className="muted">{t('casesIntro')}</p>
      <div className="case-filters">
        <SearchBox value={q} onSearch={(text) => set('q', text)} label={t('caseSearch')} placeholder={t('caseSearchPlaceholder')} />
        <SelectField label={t('caseKind')} value={kind} empty={t('caseKindAll')} options={CASE_KINDS.map((k): [string, string] => [k, t(CASE_KIND_KEYS[k])])} onChange={(v) => set('kind', v)} />
        <Checkbox label={t('caseOnlyFeatured')} checked={featured} onChange={(v) => set('featured', v ? 'true' : '')} />
        {me?.role === 'admin' && <Checkbox label={t('caseOnlyRecommended')} checked={recommended} onChange={(v) => set('recommended', v ? 'true' : '')} />}
      </div>
      {tag && (
        <p className="chips" data-testid="tag-filter">
          <button type="button" className="chip" aria-pressed="true" onClick={() => set('tag', '')} aria-label={t('caseTagClear', { tag })}>
            # {tag} ×
          </button>
        </p>
      )}
      <Loaded state={cases}>
        {(data) => (
          <PagedList data={data} empty={q || kind || tag || featured || recommended ? t('casesNoneFound') : t('casesEmpty')} page={page} pageSize={PAGE_SIZE} onPage={(p) => set('page', String(p))} className="cards case-list" testId="cases">
            {(c) => (
              <li key={c.id}>
                <article className={`card case-card${c.featured ? ' case-card-featured' : ''}`} aria-label={c.title} data-testid="case">
                  <h3>
                    <Link to={`/cases/${c.id}`}>{c.title}</Link>
                  </h3>
                  <p className="meta">
                    <CaseBadges c={c} />
                  </p>
                  <p className="meta">
                    {c.branchName ?? ''} · {c.author.name} · {formatDate(c.createdAt, lang)} · {t('caseUsefulCount', { n: c.usefulCount })}
                  </p>
                  {c.tags.length > 0 && (
                    <p className="case-tags">
                      {c.tags.map((name) => (
                        <button key={name} type="button" className="chip chip-small" aria-pressed={name === tag} onClick={() => set('tag', name)}>
                          # {name}
                        </button>
                      ))}
                    </p>
                  )}
                </article>
              </li>
            )}
          </PagedList>
        )}
      </Loaded>
    </section>
  );
}

/** A photo shown from its bytes (they need the bearer token); what the browser cannot show is named instead. */
function Photo({ file }: { file: CaseFile }) {
  const [src, setSrc] = useState<string>();
  useEffect(() => {
    let url: string | undefined;
    let live = true;
    if (showable(file)) {
      void caseFileBlob(file).then((blob) => {
        url = URL.createObjectURL(blob);
        if (live) setSrc(url);
        else URL.revokeObjectURL(url);
      });
    }
    return () => {
      live = false;
      if (url) URL.revokeObjectURL(url);
    };
  }, [file]);
  return src ? <img src={src} alt={file.fileName} className="case-photo" /> : <span className="record-file">{file.fileName}</span>;
}

function sizeText(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

/** The case's photos (inline) and documents (downloaded); its author adds and removes them. */
function CaseFiles({ c }: { c: CaseDetail }) {
  const { t } = useI18n();
  const { me } = useAuth();
  const invalidate = useInvalidate();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const author = me?.id === c.author.id;
  const photos = c.files.filter(showable);
  const documents = c.files.filter((f) => !showable(f));

  async function add(files: FileList | null) {
    if (!files?.length) return;
    setBusy(true);
    setError(undefined);
    try {
      for (const file of Array.from(files)) await uploadCaseFile(c.id, file);
    } catch (e) {
      setError(errorText(toApiError(e), t));
    } finally {
      setBusy(false);
      await invalidate(`/cases/${c.id}`);
    }
  }

  async function remove(file: CaseFile) {
    setError(undefined);
    try {
      await api(file.url.replace(/^\/api/, ''), { method: 'DELETE' });
      await invalidate(`/cases/${c.id}`);
    } catch (e) {
      setError(errorText(toApiError(e), t));
    }
  }

  async function save(file: CaseFile) {
    setError(undefined);
    try {
      saveBlob(await caseFileBlob(file), file.fileName);
    } catch (e) {
      setError(errorText(toApiError(e), t));
    }
  }

  if (!author && c.files.length === 0) return null;
  return (
    <section className="panel" aria-labelledby="case-files">
      <h2 id="case-files">{t('casePhotosAndFiles')}</h2>
      {c.files.length === 0 && <p className="empty">{t('caseNoFiles')}</p>}
      {photos.length > 0 && (
        <ul className="case-photos" data-testid="case-photos">
          {photos.map((f) => (
            <li key={f.id}>
              <Photo file={f} />
              {author && (
                <button type="button" className="button secondary small" onClick={() => void remove(f)} aria-label={t('caseRemoveFile', { name: f.fileName })}>
                  {t('hbRemove')}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {documents.length > 0 && (
        <ul className="case-documents" data-testid="case-documents">
          {documents.map((f) => (
            <li key={f.id}>
              <button type="button" className="link-button" onClick={() => void save(f)}>
                {t('caseDownload', { name: f.fileName })}
              </button>{' '}
              <span className="muted">{sizeText(f.size)}</span>
              {author && (
                <button type="button" className="button secondary small" onClick={() => void remove(f)} aria-label={t('caseRemoveFile', { name: f.fileName })}>
                  {t('hbRemove')}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {author && (
        <div className="actions">
          <label className="button secondary file-button">
            {t('caseTakePhoto')}
            <input type="file" accept="image/*" capture="environment" className="visually-hidden" disabled={busy} onChange={(e) => void add(e.target.files).then(() => (e.target.value = ''))} />
          </label>
          <label className="button secondary file-button">
            {t('caseAddFiles')}
            <input type="file" multiple accept={CASE_FILE_ACCEPT} className="visually-hidden" disabled={busy} onChange={(e) => void add(e.target.files).then(() => (e.target.value = ''))} />
          </label>
          {busy && <Spinner label={t('hbUploading')} />}
        </div>
      )}
      {author && <p className="muted">{t('caseFilesHint')}</p>}
      <FormError messages={error ? [error] : undefined} />
    </section>
  );
}

/** 有用: once per person, with the count. */
function UsefulButton({ c }: { c: CaseDetail }) {
  const { t } = useI18n();
  const invalidate = useInvalidate();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  async function mark() {
    setBusy(true);
    setError(undefined);
    try {
      await api(`/cases/${c.id}/useful`, { method: 'POST' });
      await invalidate('/cases');
    } catch (e) {
      setError(errorText(toApiError(e), t));
    } finally {
      setBusy(false);
    }
  }
  return (
    <div className="actions">
      <button type="button" className={`button ${c.markedUseful ? 'secondary' : 'primary'}`} disabled={busy || c.markedUseful} aria-pressed={c.markedUseful} onClick={() => void mark()} data-testid="useful">
        {c.markedUseful ? t('caseMarkedUseful', { n: c.usefulCount }) : t('caseMarkUseful', { n: c.usefulCount })}
      </button>
      <FormError messages={error ? [error] : undefined} />
    </div>
  );
}

/** The recommend / feature / hide / lock buttons the caller may use. */
function Moderation({ c }: { c: CaseDetail }) {
  const { t } = useI18n();
  const { me } = useAuth();
  const invalidate = useInvalidate();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const can = powers(me, c);
  if (!can.recommend && !can.feature && !can.moderate) return null;

  async function act(action: string, body: Record<string, boolean> = {}) {
    setBusy(true);
    setError(undefined);
    try {
      await api(`/cases/${c.id}/${action}`, { method: 'POST', body });
      await invalidate('/cases');
    } catch (e) {
      setError(errorText(toApiError(e), t));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="panel" aria-labelledby="case-moderation">
      <h2 id="case-moderation">{t('caseManage')}</h2>
      <div className="actions">
        {can.recommend &&
          (c.recommended ? (
            <span className="badge case-recommended">{t('caseRecommendedToDepartment')}</span>
          ) : (
            <button type="button" className="button primary" disabled={busy} onClick={() => void act('recommend')}>
              {t('caseRecommend')}
            </button>
          ))}
        {can.feature && (
          <button type="button" className={`button ${c.featured ? 'secondary' : 'primary'}`} disabled={busy} onClick={() => void act('feature', { featured: !c.featured })}>
            {c.featured ? t('caseUnfeature') : t('caseFeature')}
          </button>
        )}
        {can.moderate && (
          <>
            <button type="button" className="button secondary" disabled={busy} onClick={() => void act('hide', { hidden: !c.hidden })}>
              {c.hidden ? t('caseUnhide') : t('caseHide')}
            </button>
            <button type="button" className="button secondary" disabled={busy} onClick={() => void act('lock', { locked: !c.locked })}>
              {c.locked ? t('caseUnlock') : t('caseLock')}
            </button>
          </>
        )}
      </div>
      {can.moderate && <p className="muted">{t('caseModerationHint')}</p>}
      <FormError messages={error ? [error] : undefined} />
    </section>
  );
}

function Comments({ c }: { c: CaseDetail }) {
  const { t, lang } = useI18n();
  const invalidate = useInvalidate();
  const [page, setPage] = useState(1);
  const [body, setBody] = useState('');
  const comments = useApi<Page<CaseComment>>(`/cases/${c.id}/comments`, { page, pageSize: COMMENTS_PAGE_SIZE });
  const { busy, fields, other, run } = useFormSubmit(['body']);

  async function submit(event: FormEvent) {
    event.preventDefault();
    await run(async () => {
      await api(`/cases/${c.id}/comments`, { method: 'POST', body: { body } });
      setBody('');
      await invalidate(`/cases/${c.id}/comments`);
    });
  }

  return (
    <section aria-labelledby="case-comments">
      <h2 id="case-comments">{t('caseComments')}</h2>
      <Loaded state={comments}>
        {(data) => (
          <PagedList data={data} empty={t('caseNoComments')} page={page} pageSize={COMMENTS_PAGE_SIZE} onPage={setPage} className="post-list" testId="case-comments">
            {(comment) => (
              <li key={comment.id} className="post-item">
                <article className="post" aria-label={t('caseCommentBy', { name: comment.author.name })}>
                  <p className="post-head">
                    <strong>{comment.author.name}</strong> <span className="muted">{formatDateTime(comment.createdAt, lang)}</span>
                  </p>
                  <div className="post-body reading-body" dangerouslySetInnerHTML={{ __html: comment.bodyHtml }} />
                </article>
              </li>
            )}
          </PagedList>
        )}
      </Loaded>
      {c.locked ? (
        <p className="alert" role="status">
          {t('caseLockedNoComments')}
        </p>
      ) : (
        <form className="panel" onSubmit={submit} noValidate aria-label={t('caseWriteComment')}>
          <Field label={t('caseWriteComment')} errors={fields.body} hint={t('hbMarkdown')}>
            {(p) => <textarea {...p} name="body" rows={3} maxLength={5000} value={body} onChange={(e) => setBody(e.target.value)} />}
          </Field>
          <FormError messages={other} />
          <button type="submit" className="button primary" disabled={busy}>
            {busy ? <Spinner label={t('saving')} /> : t('caseSendComment')}
          </button>
        </form>
      )}
    </section>
  );
}

/** One case: its text, photos and files, 有用, comments, and the moderators' buttons. */
export function CasePage() {
  const { id = '' } = useParams();
  const { t, lang } = useI18n();
  const location = useLocation();
  const c = useApi<CaseDetail>(`/cases/${id}`);
  // Files the share form could not send (the case itself was saved).
  const unsent = (location.state as { unsent?: string[] } | null)?.unsent;
  return (
    <section>
      <p>
        <Link to="/cases">← {t('casesTitle')}</Link>
      </p>
      <Loaded state={c}>
        {(data) => (
          <>
            <article aria-labelledby="case-title" className="case-detail">
              <h1 id="case-title">{data.title}</h1>
              <p className="meta">
                <CaseBadges c={data} />
              </p>
              <p className="meta">
                {data.branchName ?? ''} · {data.author.name} · {formatDateTime(data.createdAt, lang)}
                {data.recordId ? ` · ${t('caseFromRecord')}` : ''}
              </p>
              {data.tags.length > 0 && (
                <p className="case-tags">
                  {data.tags.map((tag) => (
                    <Link key={tag} className="chip chip-small" to={`/cases?tag=${encodeURIComponent(tag)}`}>
                      # {tag}
                    </Link>
                  ))}
                </p>
              )}
              {unsent?.length ? <FormError messages={unsent} /> : null}
              <div className="reading-body panel" data-testid="case-body" dangerouslySetInnerHTML={{ __html: data.bodyHtml }} />
            </article>
            <CaseFiles c={data} />
            <UsefulButton c={data} />
            <Moderation c={data} />
            <Comments c={data} />
          </>
        )}
      </Loaded>
    </section>
  );
}

/** A secretary shares a practice of their branch: from scratch or from one of its accepted handbook records. */
export function NewCasePage() {
  const { t, lang } = useI18n();
  const { me } = useAuth();
  const navigate = useNavigate();
  const invalidate = useInvalidate();
  const branchId = me?.branchId ?? '';
  const records = useApi<Page<RecordSummary>>(`/branches/${branchId}/records`, { status: 'accepted', pageSize: 100 }, { enabled: Boolean(branchId) });
  const [recordId, setRecordId] = useState('');
  const [title, setTitle] = useState('');
  const [kind, setKind] = useState('');
  const [tags, setTags] = useState('');
  const [body, setBody] = useState('');
  const [files, setFiles] = useState<File[]>([]);
  const [sending, setSending] = useState<string>();
  const { busy, fields, other, run } = useFormSubmit(['title', 'kind', 'tags', 'body', 'recordId']);

  /** Starting from a record fills the title and the text from it; the kind follows the record unless chosen. */
  async function startFrom(id: string) {
    setRecordId(id);
    if (!id) return;
    const record = await api<{ title: string; minutes: string }>(`/records/${id}`);
    setTitle(record.title);
    setBody(record.minutes);
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    await run(async () => {
      const created = await api<CaseDetail>('/cases', {
        method: 'POST',
        body: { title, body, tags: parseTags(tags), ...(kind ? { kind } : {}), ...(recordId ? { recordId } : {}) },
      });
      const unsent: string[] = [];
      for (const [index, file] of files.entries()) {
        setSending(t('caseSendingFile', { n: index + 1, total: files.length }));
        try {
          await uploadCaseFile(created.id, file);
        } catch (e) {
          unsent.push(`${file.name}：${errorText(toApiError(e), t)}`);
        }
      }
      setSending(undefined);
      await invalidate('/cases');
      navigate(`/cases/${created.id}`, { state: unsent.length ? { unsent } : undefined });
    });
  }

  if (!branchId) return <p className="empty">{t('hbNoBranch')}</p>;
  const accepted = records.data?.items ?? [];
  return (
    <section>
      <p>
        <Link to="/cases">← {t('casesTitle')}</Link>
      </p>
      <h1>{t('caseShare')}</h1>
      <p className="muted">{t('caseShareIntro')}</p>
      <form className="panel" onSubmit={submit} noValidate aria-label={t('caseShareForm')}>
        {accepted.length > 0 && (
          <SelectField
            label={t('caseFromRecordLabel')}
            errors={fields.recordId}
            value={recordId}
            empty={t('caseFromScratch')}
            options={accepted.map((r): [string, string] => [r.id, `${formatDate(r.heldAt, lang)} ${r.title}`])}
            onChange={(v) => void startFrom(v)}
          />
        )}
        <Field label={t('caseTitle')} errors={fields.title}>
          {(p) => <input {...p} name="title" type="text" maxLength={200} value={title} onChange={(e) => setTitle(e.target.value)} />}
        </Field>
        <SelectField
          label={t('caseKind')}
          errors={fields.kind}
          value={kind}
          empty={recordId ? t('caseKindFromRecord') : t('caseKindChoose')}
          options={CASE_KINDS.map((k): [string, string] => [k, t(CASE_KIND_KEYS[k])])}
          onChange={setKind}
        />
        <Field label={t('caseTags')} errors={fields.tags} hint={t('caseTagsHint')}>
          {(p) => <input {...p} name="tags" type="text" value={tags} onChange={(e) => setTags(e.target.value)} />}
        </Field>
        <Field label={t('caseBody')} errors={fields.body} hint={t('hbMarkdown')}>
          {(p) => <textarea {...p} name="body" rows={10} value={body} onChange={(e) => setBody(e.target.value)} />}
        </Field>
        <fieldset className="case-file-picker">
          <legend>{t('casePhotosAndFiles')}</legend>
          <p className="muted">{t('caseFilesHint')}</p>
          <div className="actions">
            <label className="button secondary file-button">
              {t('caseTakePhoto')}
              <input type="file" accept="image/*" capture="environment" className="visually-hidden" onChange={(e) => (setFiles([...files, ...Array.from(e.target.files ?? [])]), (e.target.value = ''))} />
            </label>
            <label className="button secondary file-button">
              {t('caseAddFiles')}
              <input type="file" multiple accept={CASE_FILE_ACCEPT} className="visually-hidden" onChange={(e) => (setFiles([...files, ...Array.from(e.target.files ?? [])]), (e.target.value = ''))} />
            </label>
          </div>
          {files.length > 0 && (
            <ul className="case-chosen" data-testid="chosen-files">
              {files.map((file, index) => (
                <li key={`${file.name}-${index}`}>
                  <span className="record-file">{file.name}</span> <span className="muted">{sizeText(file.size)}</span>{' '}
                  <button type="button" className="button secondary small" aria-label={t('caseRemoveFile', { name: file.name })} onClick={() => setFiles(files.filter((_, i) => i !== index))}>
                    {t('hbRemove')}
                  </button>
                </li>
              ))}
            </ul>
          )}
        </fieldset>
        <FormError messages={other} />
        {sending && <Notice>{sending}</Notice>}
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? <Spinner label={sending ?? t('saving')} /> : t('caseShareSubmit')}
        </button>
      </form>
    </section>
  );
}
