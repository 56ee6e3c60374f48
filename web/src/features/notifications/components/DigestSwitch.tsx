import { useState } from 'react';
import { useI18n } from '../../../i18n';
import { Loaded, Spinner } from '../../../shared/components';
import { errorText, toApiError } from '../../../shared/errors';
import { Notice } from '../../../shared/forms';
import { usePreferences, useSetDigest } from '../api';

/** The weekly digest (secretaries) or summary (admins) by mail, on or off; deadline reminders are not affected. */
export function DigestSwitch() {
  const { t } = useI18n();
  const prefs = usePreferences();
  const setDigest = useSetDigest();
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  const [error, setError] = useState<string[]>();
  // The switch moves at once; a refused change puts it back.
  const [value, setValue] = useState<boolean>();

  async function change(on: boolean) {
    setBusy(true);
    setSaved(false);
    setError(undefined);
    setValue(on);
    try {
      const answer = await setDigest.mutateAsync(on);
      setValue(answer?.weeklyDigest ?? on);
      setSaved(true);
    } catch (e) {
      setValue(!on);
      setError([errorText(toApiError(e), t)]);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="panel" aria-labelledby="prefs-title">
      <h2 id="prefs-title">{t('prefsTitle')}</h2>
      <Loaded state={prefs}>
        {(p) => (
          <div className={`field field-check${error ? ' field-invalid' : ''}`}>
            <input id="weekly-digest" type="checkbox" role="switch" checked={value ?? p.weeklyDigest} aria-describedby={error ? 'weekly-digest-error' : undefined} onChange={(e) => change(e.target.checked)} />
            <label htmlFor="weekly-digest">{t('prefsWeeklyDigest')}</label>
            {error && (
              <p className="field-error" id="weekly-digest-error" role="alert">
                {error.join('；')}
              </p>
            )}
          </div>
        )}
      </Loaded>
      {busy && <Spinner label={t('saving')} />}
      {saved && <Notice>{t('prefsSaved')}</Notice>}
    </section>
  );
}

/**
 * Admins: the deliveries at a glance (sent, failed, waiting), the failures listed with the learner, the kind and
 * the reason in words (raw text on expand), then every delivery by status. Unit admins: their unit's people.
 */
