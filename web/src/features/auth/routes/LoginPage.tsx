import { useState, type FormEvent } from 'react';
import { useI18n } from '../../../i18n';
import { LanguageSwitch } from '../../../shared/LanguageSwitch';
import { useAuth } from '../../../shared/auth';
import { Spinner } from '../../../shared/components';
import { errorText, toApiError } from '../../../shared/errors';
import { Field, FormError } from '../../../shared/forms';

export function LoginPage() {
  const { t } = useI18n();
  const { login, interrupted } = useAuth();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [fieldErrors, setFieldErrors] = useState<Record<string, string[]>>({});

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    setFieldErrors({});
    try {
      // The app then leaves the login page: to the forced password change, or back to ?next=.
      await login(username.trim(), password);
    } catch (e) {
      const apiError = toApiError(e);
      const { fields, other } = apiError.fieldErrors();
      setFieldErrors(fields);
      setError(other.length ? other.join('；') : Object.keys(fields).length ? undefined : errorText(apiError, t));
      setBusy(false);
    }
  }

  return (
    <main className="login-page" id="main">
      <div className="login-card">
        <div className="login-top">
          <h1>{t('appName')}</h1>
          <LanguageSwitch />
        </div>
        <h2>{t('loginTitle')}</h2>
        <p className="muted">{t('loginIntro')}</p>
        {interrupted === 'expired' && (
          <div className="alert alert-warn" role="status">
            {t('sessionExpired')}
          </div>
        )}
        <form onSubmit={submit} noValidate>
          <Field label={t('username')} errors={fieldErrors.username}>
            {(p) => <input {...p} name="username" autoComplete="username" required value={username} onChange={(e) => setUsername(e.target.value)} autoFocus />}
          </Field>
          <Field label={t('password')} errors={fieldErrors.password}>
            {(p) => <input {...p} name="password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />}
          </Field>
          <FormError messages={error ? [error] : undefined} />
          <button type="submit" className="button primary wide" disabled={busy}>
            {busy ? <Spinner label={t('loggingIn')} /> : t('loginButton')}
          </button>
        </form>
      </div>
    </main>
  );
}
