import { useRef, useState, type FormEvent } from 'react';
import { api, download, saveBlob } from '../../../api/client';
import { useI18n } from '../../../i18n';
import { DataTable } from '../../../shared/PagedTable';
import { Spinner } from '../../../shared/components';
import { errorText, toApiError } from '../../../shared/errors';
import { formatDateTime } from '../../../shared/format';
import { Field, FormError, Notice } from '../../../shared/forms';
import type { Schema } from '../../../api/types';

type ImportResult = Schema<'RosterImportResponse'>;

function csvCell(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function ImportPage() {
  const { t, lang } = useI18n();
  const input = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<ImportResult>();
  const [applied, setApplied] = useState<ImportResult>();
  const [busy, setBusy] = useState<'check' | 'apply' | null>(null);
  const [fileError, setFileError] = useState<string[]>();

  async function send(dryRun: boolean): Promise<ImportResult | undefined> {
    if (!file) {
      setFileError([t('importFile')]);
      return undefined;
    }
    const form = new FormData();
    form.append('file', file, file.name);
    setFileError(undefined);
    try {
      return await api<ImportResult>('/users/import', { method: 'POST', body: form, query: dryRun ? { dryRun: 'true' } : undefined });
    } catch (e) {
      setFileError([errorText(toApiError(e), t)]);
      return undefined;
    }
  }

  async function check(event: FormEvent) {
    event.preventDefault();
    setBusy('check');
    setApplied(undefined);
    setPreview(await send(true));
    setBusy(null);
  }

  async function apply() {
    setBusy('apply');
    const result = await send(false);
    if (result?.applied) {
      setApplied(result);
      setPreview(undefined);
      setFile(null);
      if (input.current) input.current.value = '';
    } else if (result) setPreview(result);
    setBusy(null);
  }

  function downloadCredentials() {
    if (!applied) return;
    const lines = [['工号', '姓名', '初始密码'].join(','), ...applied.credentials.map((c) => [c.username, c.name, c.initialPassword].map(csvCell).join(','))];
    saveBlob(new Blob(['\uFEFF' + lines.join('\r\n') + '\r\n'], { type: 'text/csv;charset=utf-8' }), '初始密码.csv');
  }

  const result = applied ?? preview;
  const actionLabel = (a: string) => (a === 'create' ? t('actionCreate') : a === 'update' ? t('actionUpdate') : t('actionUnchanged'));

  return (
    <section>
      <h1>{t('importTitle')}</h1>
      <p className="muted">{t('importIntro')}</p>
      <TemplateLinks />
      <form onSubmit={check} className="panel" noValidate>
        <Field label={t('importFile')} errors={fileError}>
          {(p) => (
            <input
              {...p}
              ref={input}
              name="file"
              type="file"
              accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
              onChange={(e) => {
                setFile(e.target.files?.[0] ?? null);
                setPreview(undefined);
                setFileError(undefined);
              }}
            />
          )}
        </Field>
        <div className="actions">
          <button type="submit" className="button secondary" disabled={!file || busy !== null}>
            {busy === 'check' ? <Spinner label={t('checking')} /> : t('dryRun')}
          </button>
          <button type="button" className="button primary" disabled={!preview || preview.errors.length > 0 || busy !== null} onClick={apply}>
            {busy === 'apply' ? <Spinner label={t('importing')} /> : t('confirmImport')}
          </button>
        </div>
      </form>

      {result && (
        <div className="import-result" data-testid="import-result">
          {applied ? <Notice>{t('importApplied')}</Notice> : null}
          <p className="summary">{t('importSummary', { rows: result.rows, created: result.created, updated: result.updated, unchanged: result.unchanged })}</p>
          {!applied &&
            (result.errors.length ? (
              <div className="alert alert-error" role="alert">
                {t('importBadRows', { n: result.errors.length })}
              </div>
            ) : (
              <Notice>{t('importNoErrors')}</Notice>
            ))}

          {result.errors.length > 0 && (
            <section aria-labelledby="errors-title">
              <h2 id="errors-title">{t('errorsTitle')}</h2>
              <DataTable testId="import-errors" className="errors-table" rows={result.errors} rowKey={(e) => e.row} rowClassName={() => 'row-error'}
                columns={[
                  { header: t('colRow'), rowHeader: true, cell: (e) => e.row },
                  { header: t('colMessage'), cell: (e) => e.message },
                ]}
              />
            </section>
          )}

          {(result.unitsCreated.length > 0 || result.branchesCreated.length > 0) && (
            <div className="two-col">
              {result.unitsCreated.length > 0 && (
                <section>
                  <h2>{t('unitsCreated')}</h2>
                  <ul>
                    {result.unitsCreated.map((u) => (
                      <li key={u}>{u}</li>
                    ))}
                  </ul>
                </section>
              )}
              {result.branchesCreated.length > 0 && (
                <section>
                  <h2>{t('branchesCreated')}</h2>
                  <ul>
                    {result.branchesCreated.map((b) => (
                      <li key={`${b.unit}/${b.name}`}>
                        {b.unit} / {b.name}
                      </li>
                    ))}
                  </ul>
                </section>
              )}
            </div>
          )}

          {result.changes.length > 0 && (
            <section aria-labelledby="changes-title">
              <h2 id="changes-title">{t('changesTitle')}</h2>
              <DataTable testId="import-changes" rows={result.changes} rowKey={(c) => c.row}
                columns={[
                  { header: t('colRow'), cell: (c) => c.row },
                  { header: t('colUsername'), cell: (c) => c.username },
                  { header: t('colPersonName'), rowHeader: true, cell: (c) => c.name },
                  { header: t('colAction'), cell: (c) => <span className={`badge action-${c.action}`}>{actionLabel(c.action)}</span> },
                  { header: t('colFields'), cell: (c) => c.fields.join('、') || '—' },
                ]}
              />
            </section>
          )}

          {applied && applied.credentials.length > 0 && (
            <section aria-labelledby="credentials-title" className="panel credentials">
              <h2 id="credentials-title">{t('credentialsTitle')}</h2>
              {applied.initialPasswordExpiresAt && <p className="muted">{t('credentialsExpire', { date: formatDateTime(applied.initialPasswordExpiresAt, lang) })}</p>}
              <button type="button" className="button primary" onClick={downloadCredentials}>
                {t('downloadCredentials')}
              </button>
              <DataTable testId="credentials" rows={applied.credentials} rowKey={(c) => c.username}
                columns={[
                  { header: t('colUsername'), cell: (c) => c.username },
                  { header: t('colPersonName'), rowHeader: true, cell: (c) => c.name },
                  { header: t('colInitialPassword'), cell: (c) => <code className="password">{c.initialPassword}</code> },
                ]}
              />
            </section>
          )}
        </div>
      )}
    </section>
  );
}

/** The roster template beside the import: the Chinese headers the import reads and an example row. */
function TemplateLinks() {
  const { t } = useI18n();
  const [busy, setBusy] = useState<'csv' | 'xlsx' | null>(null);
  const [error, setError] = useState<string>();
  async function get(format: 'csv' | 'xlsx') {
    setBusy(format);
    setError(undefined);
    try {
      await download('/users/import/template', `名册模板.${format}`, { format });
    } catch (e) {
      setError(errorText(toApiError(e), t));
    } finally {
      setBusy(null);
    }
  }
  return (
    <div className="actions" data-testid="roster-template">
      <span>{t('importTemplate')}</span>
      <button type="button" className="button secondary small" disabled={busy !== null} onClick={() => get('csv')}>
        {busy === 'csv' ? <Spinner label={t('certDownloading')} /> : t('importTemplateCsv')}
      </button>
      <button type="button" className="button secondary small" disabled={busy !== null} onClick={() => get('xlsx')}>
        {busy === 'xlsx' ? <Spinner label={t('certDownloading')} /> : t('importTemplateXlsx')}
      </button>
      {error && <FormError messages={[error]} />}
    </div>
  );
}
