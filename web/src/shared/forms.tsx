import { useCallback, useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { type Translate, useI18n } from '../i18n';
import { Spinner } from './components';
import { errorText, toApiError } from './errors';

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

/** A labelled choice among `options` (value and words), with an optional empty first choice (all, none). */
export function SelectField({ label, value, options, onChange, empty, errors, className, required }: { label: string; value: string; options: Array<[string, string]>; onChange: (value: string) => void; empty?: string; errors?: string[]; className?: string; required?: boolean }) {
  return (
    <Field label={label} errors={errors} className={className}>
      {(p) => (
        <select {...p} value={value} required={required} onChange={(e) => onChange(e.target.value)}>
          {empty !== undefined && <option value="">{empty}</option>}
          {options.map(([option, words]) => (
            <option key={option} value={option}>
              {words}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

/** A form's save button (a spinner while it saves) and its cancel button. */
export function SaveOrCancel({ busy, onCancel }: { busy: boolean; onCancel: () => void }) {
  const { t } = useI18n();
  return (
    <div className="actions">
      <button type="submit" className="button primary" disabled={busy}>
        {busy ? <Spinner label={t('saving')} /> : t('save')}
      </button>
      <button type="button" className="button secondary" onClick={onCancel}>
        {t('cancel')}
      </button>
    </div>
  );
}
