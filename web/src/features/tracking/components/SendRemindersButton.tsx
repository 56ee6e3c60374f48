import { useEffect, useRef, useState } from 'react';
import { api } from '../../../api/client';
import { useI18n } from '../../../i18n';
import { Spinner } from '../../../shared/components';
import { errorText, toApiError } from '../../../shared/errors';
import { formatTime } from '../../../shared/format';
import { FormError, Notice } from '../../../shared/forms';
import { KIND_KEYS, type ReminderRun } from '../api';

export function SendRemindersButton({ courseId }: { courseId: string }) {
  const { t, lang } = useI18n();
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<ReminderRun>();
  const [error, setError] = useState<string[]>();
  const timer = useRef<number | undefined>(undefined);
  useEffect(() => () => window.clearTimeout(timer.current), []);

  function follow(jobId: string) {
    api<ReminderRun>(`/courses/${courseId}/reminders/run/${jobId}`)
      .then((run) => {
        if (run.state === 'done' || run.state === 'failed') {
          setOutcome(run);
          setBusy(false);
        } else timer.current = window.setTimeout(() => follow(jobId), 500);
      })
      .catch((e: unknown) => {
        setError([errorText(toApiError(e), t)]);
        setBusy(false);
      });
  }

  async function send() {
    setBusy(true);
    setOutcome(undefined);
    setError(undefined);
    try {
      const { jobId } = await api<{ jobId: string }>(`/courses/${courseId}/reminders/run`, { method: 'POST' });
      follow(jobId);
    } catch (e) {
      setError([errorText(toApiError(e), t)]);
      setBusy(false);
    }
  }

  const people: Record<string, number> = outcome?.peopleByKind ?? {};
  const parts = Object.entries(KIND_KEYS)
    .filter(([kind]) => (people[kind] ?? 0) > 0)
    .map(([kind, key]) => t('remQueuedPart', { kind: t(key), n: people[kind] }))
    .join('，');

  return (
    <div className="send-reminders">
      <button type="button" className="button secondary" disabled={busy} onClick={send}>
        {busy ? <Spinner label={t('remChecking')} /> : t('remSend')}
      </button>
      {outcome?.state === 'done' && (
        <Notice>
          {outcome.queued > 0 ? t('remQueued', { n: outcome.queued, people: outcome.people, parts }) : t('remNothingToSend')}
          {outcome.queued > 0 && outcome.delayMs > 0 && <span className="block">{t('remQuietHours', { time: formatTime(new Date(Date.now() + outcome.delayMs).toISOString(), lang) })}</span>}
        </Notice>
      )}
      {outcome?.state === 'failed' && <FormError messages={[t('remRunFailed')]} />}
      <FormError messages={error} />
    </div>
  );
}
