import { useState, type FormEvent, type ReactNode } from 'react';
import { useI18n } from '../../../i18n';
import { Spinner } from '../../../shared/components';
import { Field, FormError, type useFormSubmit } from '../../../shared/forms';

export interface NameAndCode {
  name: string;
  code: string;
}

interface NameAndCodeFormProps<T> {
  /** The record being edited; without one the form creates, and is emptied after each creation. */
  existing?: NameAndCode;
  titles: { create: string; edit: string };
  form: ReturnType<typeof useFormSubmit>;
  /** Writes the record; the form's own fields, plus whatever the caller keeps of its own. */
  save: (values: NameAndCode) => Promise<T>;
  onSaved: (saved: T) => void;
  /** Checked before saving: false when the caller has marked a field of its own as missing. */
  ready?: () => boolean;
  /** The caller's own fields, before the name and after the code. */
  before?: ReactNode;
  after?: ReactNode;
}

/** The create/edit form of an organisation record (unit, branch): its name and code, and the caller's own fields. */
export function NameAndCodeForm<T>({ existing, titles, form, save, onSaved, ready, before, after }: NameAndCodeFormProps<T>) {
  const { t } = useI18n();
  const [name, setName] = useState(existing?.name ?? '');
  const [code, setCode] = useState(existing?.code ?? '');
  function submit(event: FormEvent) {
    event.preventDefault();
    if (ready && !ready()) return;
    void form.run(async () => {
      const saved = await save({ name, code });
      if (!existing) {
        setName('');
        setCode('');
      }
      onSaved(saved);
    });
  }
  return (
    <form className={existing ? undefined : 'panel'} onSubmit={submit} noValidate aria-label={existing ? titles.edit : titles.create}>
      {!existing && <h2>{titles.create}</h2>}
      <div className="inline-form">
        {before}
        <Field label={t('orgUnitName')} errors={form.fields.name}>
          {(p) => <input {...p} value={name} maxLength={100} required onChange={(e) => setName(e.target.value)} />}
        </Field>
        <Field label={t('orgCode')} errors={form.fields.code} hint={t('orgCodeHint')}>
          {(p) => <input {...p} value={code} maxLength={50} required autoCapitalize="off" onChange={(e) => setCode(e.target.value)} />}
        </Field>
        {after}
        <button type="submit" className="button primary" disabled={form.busy}>
          {form.busy ? <Spinner label={t('saving')} /> : existing ? t('save') : t('orgCreate')}
        </button>
      </div>
      <FormError messages={form.other} />
    </form>
  );
}
