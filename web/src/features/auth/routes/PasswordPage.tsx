import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { api } from '../../../api/client';
import { useI18n } from '../../../i18n';
import { useAuth } from '../../../shared/auth';
import { Spinner } from '../../../shared/components';
import { errorText, toApiError } from '../../../shared/errors';
import { Field, FormError, Notice } from '../../../shared/forms';

export function PasswordPage() {
  const { t } = useI18n();
  const { mustChangePassword, replaceToken } = useAuth();
  const navigate = useNavigate();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [formError, setFormError] = useState<string[]>();
  const forced = mustChangePassword;

  async function submit(event: FormEvent) {
    event.preventDefault();
    const local: Record<string, string[]> = {};
    if (next.length < 8) local.newPassword = [t('passwordTooShort')];
    if (next !== confirm) local.confirm = [t('passwordMismatch')];
    setErrors(local);
    setFormError(undefined);
    if (Object.keys(local).length) return;
    setBusy(true);
    try {
      const answer = await api<{ accessToken: string }>('/me/password', { method: 'POST', body: { currentPassword: current, newPassword: next } });
      await replaceToken(answer.accessToken);
      setDone(true);
      if (forced) navigate('/', { replace: true });
    } catch (e) {
      const error = toApiError(e);
      if (error.code === 'BAD_CURRENT_PASSWORD') setErrors({ currentPassword: error.messages });
      else if (error.code === 'PASSWORD_UNCHANGED') setErrors({ newPassword: error.messages });
      else {
        const { fields, other } = error.fieldErrors();
        setErrors(fields);
        setFormError(other.length ? other : Object.keys(fields).length ? undefined : [errorText(error, t)]);
      }
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="narrow">
      <h1>{t('passwordTitle')}</h1>
      {forced && (
        <div className="alert alert-warn" role="status">
          {t('passwordForced')}
        </div>
      )}
      {done && <Notice>{t('passwordChanged')}</Notice>}
      <form onSubmit={submit} noValidate>
        <Field label={t('currentPassword')} errors={errors.currentPassword}>
          {(p) => <input {...p} name="currentPassword" type="password" autoComplete="current-password" required value={current} onChange={(e) => setCurrent(e.target.value)} />}
        </Field>
        <Field label={t('newPassword')} errors={errors.newPassword}>
          {(p) => <input {...p} name="newPassword" type="password" autoComplete="new-password" minLength={8} required value={next} onChange={(e) => setNext(e.target.value)} />}
        </Field>
        <Field label={t('confirmPassword')} errors={errors.confirm}>
          {(p) => <input {...p} name="confirmPassword" type="password" autoComplete="new-password" required value={confirm} onChange={(e) => setConfirm(e.target.value)} />}
        </Field>
        <FormError messages={formError} />
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? <Spinner label={t('saving')} /> : t('changePassword')}
        </button>
      </form>
    </section>
  );
}
