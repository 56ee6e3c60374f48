import type { UseQueryResult } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { useI18n } from '../i18n';
import { errorText } from './errors';
import { STATE_KEYS } from './labels';

export function Spinner({ label }: { label?: string }) {
  const { t } = useI18n();
  return (
    <span className="spinner-wrap" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      <span>{label ?? t('loading')}</span>
    </span>
  );
}

/** Shows the spinner, the error (with retry) or the content. */
export function Loaded<T>({ state, children }: { state: UseQueryResult<T>; children: (data: T) => ReactNode }) {
  const { t } = useI18n();
  if (state.error && !state.data) {
    return (
      <div className="alert alert-error" role="alert">
        <p>{errorText(state.error, t)}</p>
        <button type="button" className="button secondary" onClick={() => state.refetch()}>
          {t('retry')}
        </button>
      </div>
    );
  }
  if (state.data === undefined) return <Spinner />;
  return <>{children(state.data)}</>;
}

export function StateBadge({ state, overdue }: { state: string; overdue?: boolean }) {
  const { t } = useI18n();
  return (
    <span className="badges">
      <span className={`badge state-${state}`}>{t(STATE_KEYS[state] ?? 'stateNotStarted')}</span>
      {overdue && state !== 'completed' ? <span className="badge badge-overdue">{t('overdue')}</span> : null}
    </span>
  );
}

export function ProgressBar({ label, value, max }: { label: string; value: number; max: number }) {
  // Full only when reached: rounding down, so 19.9 of 20 学时 never looks done.
  const percent = max <= 0 || value >= max ? 100 : Math.min(99, Math.floor((value / max) * 100));
  return (
    <div className="progress" role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={max} aria-valuenow={value}>
      <div className="progress-fill" style={{ width: `${percent}%` }} />
    </div>
  );
}

/**
 * An API error split for a form: input problems go beside the field they name (in the page's language), older
 * "field: …" messages likewise, and the rest above the button.
 */
export function Dialog({ title, onClose, children, wide }: { title: string; onClose: () => void; children: ReactNode; wide?: boolean }) {
  const { t } = useI18n();
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);
  return (
    <dialog
      ref={ref}
      className={`dialog${wide ? ' dialog-wide' : ''}`}
      aria-labelledby={titleId}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      <div className="dialog-head">
        <h2 id={titleId}>{title}</h2>
        <button type="button" className="button link" aria-label={t('dialogClose')} onClick={onClose}>
          ✕
        </button>
      </div>
      {children}
    </dialog>
  );
}

/** Copies `text` to the clipboard and says so. */
export function CopyButton({ text, label }: { text: string; label?: string }) {
  const { t } = useI18n();
  const [copied, setCopied] = useState(false);
  async function copy() {
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      // No clipboard permission (an insecure origin): select-and-copy the old way.
      const area = document.createElement('textarea');
      area.value = text;
      document.body.appendChild(area);
      area.select();
      document.execCommand('copy');
      area.remove();
    }
    setCopied(true);
  }
  return (
    <button type="button" className="button secondary small" onClick={copy} aria-live="polite">
      {copied ? t('copied') : (label ?? t('copy'))}
    </button>
  );
}
