import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import { api } from '../../../api/client';
import { useI18n } from '../../../i18n';
import { Dialog, Loaded, ProgressBar, Spinner } from '../../../shared/components';
import { errorText, toApiError } from '../../../shared/errors';
import { FormError, Notice } from '../../../shared/forms';
import { useApi } from '../../../shared/queries';
import type { Schema } from '../../../api/types';

type ClosePreview = Schema<'ClosePreviewResponse'>;

export type CompileProgress = Schema<'CompileProgressResponse'>;

/** Polls a compile run (kept in MySQL by the worker) every half second until it is done or failed. */
export function useCompileProgress(courseId: string, onFinished?: () => void) {
  const { t } = useI18n();
  const [progress, setProgress] = useState<CompileProgress>();
  const [error, setError] = useState<string>();
  const timer = useRef<number | undefined>(undefined);
  const finished = useRef(onFinished);
  finished.current = onFinished;
  useEffect(() => () => window.clearTimeout(timer.current), []);
  function follow(jobId: string) {
    setError(undefined);
    api<CompileProgress>(`/courses/${courseId}/certificates/compile/${jobId}`)
      .then((p) => {
        setProgress(p);
        if (p.state === 'done' || p.state === 'failed') finished.current?.();
        else timer.current = window.setTimeout(() => follow(jobId), 500);
      })
      .catch((e: unknown) => setError(errorText(toApiError(e), t)));
  }
  return { progress, error, follow };
}

/** The compile's progress in words and a bar. */
export function CompileProgressView({ progress, waitingText }: { progress: CompileProgress; waitingText?: string }) {
  const { t } = useI18n();
  return (
    <div className="compile-progress" data-testid="compile-progress">
      {progress.state === 'queued' ? (
        <Spinner label={waitingText ?? t('closeCompileWaiting')} />
      ) : (
        <>
          <ProgressBar label={t('certProgress')} value={progress.done} max={progress.total} />
          <p aria-live="polite">{t('certProgressText', { done: progress.done, total: progress.total })}</p>
        </>
      )}
      {progress.state === 'done' && <Notice>{progress.issued > 0 ? t('certCompileDone', { issued: progress.issued }) : t('certCompileNothingNew')}</Notice>}
      {progress.state === 'failed' && <FormError messages={[t('certCompileFailed', { error: progress.error ?? '' })]} />}
    </div>
  );
}

/**
 * 结业 for the department: a confirmation that says what closing does and for how many learners, then the
 * certificate compile that closing starts, followed until it is done.
 */
export function CloseCourseButton({ courseId, title, onClosed }: { courseId: string; title: string; onClosed: () => void }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className="button danger" onClick={() => setOpen(true)}>
        {t('closeCourse')}
      </button>
      {open && <CloseDialog courseId={courseId} title={title} onClose={() => setOpen(false)} onClosed={onClosed} />}
    </>
  );
}

function CloseDialog({ courseId, title, onClose, onClosed }: { courseId: string; title: string; onClose: () => void; onClosed: () => void }) {
  const { t } = useI18n();
  const preview = useApi<ClosePreview>(`/courses/${courseId}/close-preview`);
  const [busy, setBusy] = useState(false);
  const [closed, setClosed] = useState(false);
  const [error, setError] = useState<string>();
  const compile = useCompileProgress(courseId);

  async function confirm() {
    setBusy(true);
    setError(undefined);
    try {
      const answer = await api<{ certificatesJobId: string }>(`/courses/${courseId}/close`, { method: 'POST' });
      setClosed(true);
      compile.follow(answer.certificatesJobId);
    } catch (e) {
      setError(errorText(toApiError(e), t));
    } finally {
      setBusy(false);
    }
  }

  function close() {
    if (closed) onClosed();
    onClose();
  }

  return (
    <Dialog title={t('closeTitle', { title })} onClose={close}>
      {closed ? (
        <>
          <Notice>{t('closeDone')}</Notice>
          {compile.progress ? <CompileProgressView progress={compile.progress} /> : <Spinner label={t('closeCompiling')} />}
          <FormError messages={compile.error ? [compile.error] : undefined} />
          <div className="actions">
            <Link className="button primary" to={`/courses/${courseId}/certificates`}>
              {t('closeOpenCertificates')}
            </Link>
            <button type="button" className="button secondary" onClick={close}>
              {t('close')}
            </button>
          </div>
        </>
      ) : (
        <Loaded state={preview}>
          {(p) => (
            <>
              <p>{t('closeWhatHappens')}</p>
              <ul className="consequences" data-testid="close-consequences">
                <li>{t('closeFreeze', { learners: p.learners })}</li>
                {p.completed > 0 ? (
                  <li>
                    {t('closeCertify', { n: p.completed })}
                    {p.alreadyCertified > 0 && t('closeAlready', { m: p.alreadyCertified })}
                  </li>
                ) : (
                  <li>{t('closeNobody')}</li>
                )}
              </ul>
              <p>
                <strong>{t('closeIrreversible')}</strong>
              </p>
              <FormError messages={error ? [error] : undefined} />
              <div className="actions">
                <button type="button" className="button primary" disabled={busy} onClick={confirm}>
                  {busy ? <Spinner label={t('closeClosing')} /> : t('closeConfirm')}
                </button>
                <button type="button" className="button secondary" onClick={close}>
                  {t('cancel')}
                </button>
              </div>
            </>
          )}
        </Loaded>
      )}
    </Dialog>
  );
}
