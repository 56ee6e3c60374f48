import { useEffect, useState, type FormEvent } from 'react';
import { useI18n } from '../../../i18n';
import { useAuth } from '../../../shared/auth';
import { Loaded, Spinner } from '../../../shared/components';
import { errorText, toApiError } from '../../../shared/errors';
import { formatDateTime } from '../../../shared/format';
import { Checkbox, Field, FormError, Notice } from '../../../shared/forms';
import { useApi } from '../../../shared/queries';
import { countCharacters } from '../../../shared/text';
import { ReviewQueue } from '../../review/components/ReviewQueue';
import { useSaveReflection } from '../api';
import type { Schema } from '../../../api/types';
import { REFLECTION_STATUS_KEYS } from '../../../shared/labels';

type Reflection = Schema<'ReflectionResponse'>;

type Reading = Schema<'ReadingResponse'>;

export function ReadingLesson({ activityId }: { activityId: string }) {
  const { t } = useI18n();
  const { me } = useAuth();
  const reading = useApi<Reading>(`/activities/${activityId}/reading`);
  return (
    <Loaded state={reading}>
      {(r) => (
        <>
          <article className="panel reading-body" aria-label={t('readingText')} dangerouslySetInnerHTML={{ __html: r.html }} />
          {me?.role === 'secretary' ? <ReflectionEditor activityId={activityId} reading={r} /> : <ReviewQueue activityId={activityId} />}
        </>
      )}
    </Loaded>
  );
}

function ReflectionEditor({ activityId, reading }: { activityId: string; reading: Reading }) {
  const { t, lang } = useI18n();
  const [mine, setMine] = useState<Reflection | null>(reading.myReflection);
  const [body, setBody] = useState(reading.myReflection?.body ?? '');
  const [share, setShare] = useState(reading.myReflection?.shareConsent ?? false);
  const [busy, setBusy] = useState<'draft' | 'submit' | null>(null);
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [other, setOther] = useState<string[]>();
  const [saved, setSaved] = useState<'draft' | 'submit' | null>(null);
  const saveReflection = useSaveReflection(activityId);
  useEffect(() => setSaved(null), [body]);

  const count = countCharacters(body);
  const min = reading.minReflectionLength;
  const final = mine?.status === 'approved';

  async function send(draft: boolean, event?: FormEvent) {
    event?.preventDefault();
    setBusy(draft ? 'draft' : 'submit');
    // A saved mark from before never stands beside this attempt's error.
    setSaved(null);
    setErrors({});
    setOther(undefined);
    try {
      const answer = await saveReflection.mutateAsync({ body, draft, shareConsent: share });
      setMine(answer);
      setSaved(draft ? 'draft' : 'submit');
    } catch (e) {
      const { fields, other: rest } = toApiError(e).fieldErrors();
      setErrors(fields);
      setOther(rest.length ? rest : Object.keys(fields).length ? undefined : [errorText(toApiError(e), t)]);
    } finally {
      setBusy(null);
    }
  }

  return (
    <section className="panel" aria-labelledby="reflection-title">
      <h2 id="reflection-title">{t('reflectionTitle')}</h2>
      {mine && (
        <p data-testid="reflection-status">
          <span className={`badge reflection-${mine.status}`}>{t(REFLECTION_STATUS_KEYS[mine.status])}</span>
          {mine.excellent && <span className="badge state-completed"> {t('reflectionExcellent')}</span>}
          {mine.submittedAt && <span className="muted"> · {t('reflectionSubmittedAt', { date: formatDateTime(mine.submittedAt, lang) })}</span>}
        </p>
      )}
      {mine?.feedback && (
        <div className={`alert ${mine.status === 'returned' ? 'alert-warn' : 'alert-ok'}`} role="status">
          <strong>{t('reflectionFeedback')}</strong> {mine.feedback}
        </div>
      )}
      {final ? (
        <article className="reading-body" dangerouslySetInnerHTML={{ __html: mine.html }} />
      ) : (
        <form onSubmit={(e) => send(false, e)} noValidate>
          <Field label={t('reflectionBody')} errors={errors.body} hint={t('reflectionHint', { min })}>
            {(p) => <textarea {...p} name="body" rows={10} value={body} onChange={(e) => setBody(e.target.value)} />}
          </Field>
          <p className={`counter${count < min ? ' counter-short' : ''}`} aria-live="polite" data-testid="reflection-count">
            {t('reflectionCount', { count, min })}
          </p>
          <Checkbox label={t('reflectionShare')} checked={share} onChange={setShare} />
          <FormError messages={other} />
          {saved === 'draft' && <Notice>{t('reflectionDraftSaved')}</Notice>}
          {saved === 'submit' && <Notice>{reading.reflectionNeedsApproval ? t('reflectionSentForReview') : t('reflectionSent')}</Notice>}
          <div className="actions">
            <button type="submit" className="button primary" disabled={busy !== null}>
              {busy === 'submit' ? <Spinner label={t('saving')} /> : mine?.status === 'returned' || mine?.status === 'submitted' ? t('reflectionResubmit') : t('reflectionSubmit')}
            </button>
            <button type="button" className="button secondary" disabled={busy !== null || !body.trim()} onClick={() => send(true)}>
              {busy === 'draft' ? <Spinner label={t('saving')} /> : t('reflectionSaveDraft')}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
