import { useCallback, useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { api, ApiError } from './api';
import type { MyActivityProgress, Schedule, ScheduleItem } from './types';
import { useI18n, type MessageKey, type Translate } from './i18n';

/** Loads data for a page; `reload` runs it again. Errors are kept as ApiError. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): { data: T | undefined; error: ApiError | undefined; loading: boolean; reload: () => void } {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<ApiError>();
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    setLoading(true);
    load()
      .then((value) => {
        if (!live) return;
        setData(value);
        setError(undefined);
      })
      .catch((e: unknown) => live && setError(toApiError(e)))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { data, error, loading, reload };
}

export function toApiError(e: unknown): ApiError {
  return e instanceof ApiError ? e : new ApiError(0, { statusCode: 0, message: (e as Error)?.message ?? String(e) });
}

/** The words for a status when its code has none of its own. */
const STATUS_CODES: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'TOO_MANY_REQUESTS',
  503: 'SERVICE_UNAVAILABLE',
};

/** The server's own sentence can be shown as it is: Chinese, with no English words in it. */
function isChineseSentence(text: string): boolean {
  return /\p{Script=Han}/u.test(text) && !/[A-Za-z]{3,}/.test(text.replace(/PDF|MP4|MOV|WebM|CSV|Excel|ZIP|HEIC|JPEG|PNG/g, ''));
}

/**
 * An API error in the page's language. Input problems are said field by field; otherwise, in Chinese, the
 * server's own sentence says the most (dates, counts, what to do), and English — or a server sentence that is
 * not plain Chinese — takes the web's words for the error's `code` (web/src/i18n/errors.*.ts), then for its status.
 */
export function errorText(error: ApiError, t: Translate): string {
  if (error.code === 'NETWORK') return t('networkError');
  if (error.problems.length) return error.problems.map((p) => t.problem(p)).join('；');
  const own = error.messages.join('；');
  if (t.lang === 'zh-CN' && isChineseSentence(own)) return own;
  return (error.code ? t.error(error.code) : undefined) ?? t.error(STATUS_CODES[error.status] ?? 'INTERNAL_ERROR') ?? t('networkError');
}

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
export function Loaded<T>({ state, children }: { state: ReturnType<typeof useLoad<T>>; children: (data: T) => ReactNode }) {
  const { t } = useI18n();
  if (state.error && !state.data) {
    return (
      <div className="alert alert-error" role="alert">
        <p>{errorText(state.error, t)}</p>
        <button type="button" className="button secondary" onClick={state.reload}>
          {t('retry')}
        </button>
      </div>
    );
  }
  if (state.data === undefined) return <Spinner />;
  return <>{children(state.data)}</>;
}

export function FormError({ messages }: { messages?: string[] }) {
  if (!messages?.length) return null;
  return (
    <div className="alert alert-error" role="alert">
      {messages.length === 1 ? <p>{messages[0]}</p> : <ul>{messages.map((m, i) => <li key={i}>{m}</li>)}</ul>}
    </div>
  );
}

export function Notice({ children }: { children: ReactNode }) {
  return (
    <div className="alert alert-ok" role="status">
      {children}
    </div>
  );
}

interface FieldProps {
  label: string;
  errors?: string[];
  hint?: string;
  children: (props: { id: string; 'aria-invalid'?: boolean; 'aria-describedby'?: string }) => ReactNode;
  className?: string;
}

/** A labelled form control with its hint and its errors beside it. */
export function Field({ label, errors, hint, children, className }: FieldProps) {
  const id = useId();
  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;
  const describedBy = [hint ? hintId : '', errors?.length ? errorId : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field${errors?.length ? ' field-invalid' : ''}${className ? ` ${className}` : ''}`}>
      <label htmlFor={id}>{label}</label>
      {children({ id, 'aria-invalid': errors?.length ? true : undefined, 'aria-describedby': describedBy })}
      {hint && (
        <p className="hint" id={hintId}>
          {hint}
        </p>
      )}
      {errors?.length ? (
        <p className="field-error" id={errorId} role="alert">
          {errors.join('；')}
        </p>
      ) : null}
    </div>
  );
}

export function Checkbox({ label, checked, onChange, errors }: { label: string; checked: boolean; onChange: (v: boolean) => void; errors?: string[] }) {
  const id = useId();
  return (
    <div className={`field field-check${errors?.length ? ' field-invalid' : ''}`}>
      <input id={id} type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} aria-describedby={errors?.length ? `${id}-error` : undefined} />
      <label htmlFor={id}>{label}</label>
      {errors?.length ? (
        <p className="field-error" id={`${id}-error`} role="alert">
          {errors.join('；')}
        </p>
      ) : null}
    </div>
  );
}

export function Pager({ page, pageSize, total, onPage }: { page: number; pageSize: number; total: number; onPage: (page: number) => void }) {
  const { t } = useI18n();
  const pages = Math.max(1, Math.ceil(total / pageSize));
  return (
    <nav className="pager" aria-label={t('pageOf', { page, pages, total })}>
      <button type="button" className="button secondary" disabled={page <= 1} onClick={() => onPage(page - 1)}>
        {t('prev')}
      </button>
      <span aria-live="polite">{t('pageOf', { page, pages, total })}</span>
      <button type="button" className="button secondary" disabled={page >= pages} onClick={() => onPage(page + 1)}>
        {t('next')}
      </button>
    </nav>
  );
}

/** A search box that reports after the user stops typing (or presses Enter). */
export function SearchBox({ value, onSearch, label, placeholder }: { value: string; onSearch: (q: string) => void; label?: string; placeholder?: string }) {
  const { t } = useI18n();
  const [text, setText] = useState(value);
  const timer = useRef<number | undefined>(undefined);
  useEffect(() => () => window.clearTimeout(timer.current), []);
  return (
    <form
      role="search"
      className="search"
      onSubmit={(e) => {
        e.preventDefault();
        window.clearTimeout(timer.current);
        onSearch(text.trim());
      }}
    >
      <Field label={label ?? t('search')}>
        {(props) => (
          <input
            {...props}
            type="search"
            value={text}
            placeholder={placeholder ?? t('searchPlaceholder')}
            onChange={(e) => {
              const next = e.target.value;
              setText(next);
              window.clearTimeout(timer.current);
              timer.current = window.setTimeout(() => onSearch(next.trim()), 350);
            }}
          />
        )}
      </Field>
      <button type="submit" className="button secondary">
        {t('search')}
      </button>
    </form>
  );
}

export const TYPE_KEYS: Record<string, MessageKey> = {
  video: 'typeVideo',
  reading: 'typeReading',
  quiz: 'typeQuiz',
  discussion: 'typeDiscussion',
  session: 'typeSession',
};

export const STATE_KEYS: Record<string, MessageKey> = {
  not_started: 'stateNotStarted',
  in_progress: 'stateInProgress',
  completed: 'stateCompleted',
};

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
export function formErrors(e: unknown, t: Translate, fields: string[] = [], words: FormWords = {}): { fields: Record<string, string[]>; other?: string[] } {
  const error = toApiError(e);
  const codeField = error.code ? words.codeFields?.[error.code] : undefined;
  if (codeField) return { fields: { [codeField]: [errorText(error, t)] } };
  if (error.code === 'NETWORK' || error.status !== 400) return { fields: {}, other: [errorText(error, t)] };
  const split = error.fieldErrors((problem) => t.problem(problem));
  const other: string[] = [];
  for (const message of split.other) {
    const field = fields.find((f) => message.startsWith(`${f} `));
    if (field) (split.fields[field] ??= []).push(message.slice(field.length + 1));
    else other.push(message);
  }
  for (const [field, messages] of Object.entries(split.fields)) {
    const word = words.fields?.[field];
    split.fields[field] = word ? [word] : messages.map((m) => (/^(should|must) not be empty$/.test(m) ? t('fieldRequired') : m));
  }
  // A form that words its fields shows no raw validator text: anything left is said in general.
  const rest = words.fields && other.length ? [t('errInvalidInput')] : other;
  return { fields: split.fields, other: rest.length ? rest : undefined };
}

/**
 * How a form words the server's refusals: `fields` replaces any validation message about a field with the
 * form's own sentence; `codeFields` puts an error code (USERNAME_TAKEN) beside the field it concerns.
 */
export interface FormWords {
  fields?: Record<string, string>;
  codeFields?: Record<string, string>;
}

/**
 * A form's submission: `busy` while `run` works, and an API error split beside the named fields (formErrors),
 * the rest in `other`. Each run starts clean.
 */
export function useFormSubmit(fieldNames: string[], words: FormWords = {}) {
  const { t } = useI18n();
  const wordsRef = useRef(words);
  wordsRef.current = words;
  const [busy, setBusy] = useState(false);
  const [fields, setFields] = useState<Record<string, string[]>>({});
  const [other, setOther] = useState<string[]>();
  const names = fieldNames.join(',');
  const run = useCallback(
    async (work: () => Promise<void>) => {
      setBusy(true);
      setFields({});
      setOther(undefined);
      try {
        await work();
      } catch (e) {
        const split = formErrors(e, t, names.split(','), wordsRef.current);
        setFields(split.fields);
        setOther(split.other);
      } finally {
        setBusy(false);
      }
    },
    [t, names],
  );
  return { busy, fields, other, setFields, run };
}

/**
 * A modal dialog (the browser's own <dialog>: focus kept inside, Esc closes, the page behind inert), titled
 * for assistive technology; closing it by any means calls `onClose`.
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

/** A paginated table's frame: the table (children), "none" when empty, and the pager. */
export function PagedTable({ total, empty, page, pageSize, onPage, children, busy }: { total: number; empty: string; page: number; pageSize: number; onPage: (page: number) => void; children: ReactNode; busy?: boolean }) {
  return (
    <>
      {children}
      {total === 0 && <p className="empty">{empty}</p>}
      {busy && <Spinner />}
      {total > pageSize && <Pager page={page} pageSize={pageSize} total={total} onPage={onPage} />}
    </>
  );
}

/** The learner's own state in one activity, as the schedule has it (the server's progress engine decides). */
/** The learner's own progress and standing in one activity (补学, closed, missed…), from GET /courses/:id/progress. */
export function useMyProgress(courseId: string, activityId: string, enabled: boolean) {
  return useLoad<MyActivityProgress | null>(
    () =>
      enabled
        ? api<{ activities: MyActivityProgress[] }>(`/courses/${courseId}/progress`).then((p) => p.activities.find((a) => a.id === activityId) ?? null)
        : Promise.resolve(null),
    [courseId, activityId, enabled],
  );
}

export function useMyActivityState(courseId: string, activityId: string, enabled: boolean) {
  return useLoad<ScheduleItem | null>(
    () =>
      enabled
        ? api<Schedule>(`/courses/${courseId}/schedule`).then((s) => s.sections.flatMap((section) => section.items).find((item) => item.id === activityId) ?? null)
        : Promise.resolve(null),
    [courseId, activityId, enabled],
  );
}
