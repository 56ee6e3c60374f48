import { useEffect, useRef, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { api } from '../../../api/client';
import type { Activity } from '../../../api/types';
import { useI18n } from '../../../i18n';
import { ActivityFrame } from '../../../shared/ActivityFrame';
import { useAuth } from '../../../shared/auth';
import { Spinner } from '../../../shared/components';
import { errorText, toApiError } from '../../../shared/errors';
import { formatDateTime, formatTime } from '../../../shared/format';
import { FormError } from '../../../shared/forms';
import { useApi } from '../../../shared/queries';
import { AttendanceRow, CheckInForm, CurrentCode, SessionSettings } from '../components/SessionLesson';

/** Where the projected QR code leads: the session, with the code filled in and sent. */
export function CheckInLinkPage() {
  const { activityId = '' } = useParams();
  const [params] = useSearchParams();
  const { t } = useI18n();
  const { me } = useAuth();
  return (
    <ActivityFrame id={activityId}>
      {(a) => (
        <>
          <h1>{a.title}</h1>
          {me?.role === 'secretary' ? <CheckInForm activityId={a.id} initialCode={params.get('code') ?? undefined} /> : <p className="muted">{t('checkinForLearners')}</p>}
        </>
      )}
    </ActivityFrame>
  );
}

export function CheckInScreenPage() {
  const { id = '' } = useParams();
  const { t, lang } = useI18n();
  const activity = useApi<Activity>(`/activities/${id}`);
  const [current, setCurrent] = useState<CurrentCode & { receivedAt: number }>();
  const [closed, setClosed] = useState(false);
  const [error, setError] = useState<string>();
  const [opening, setOpening] = useState(false);
  const [now, setNow] = useState(Date.now());
  const [counts, setCounts] = useState<{ present: number; total: number }>();
  const [tick, setTick] = useState(0);
  const screen = useRef<HTMLDivElement>(null);

  // Fetch the code, then again just after its slot ends (the server says when).
  useEffect(() => {
    let live = true;
    let timer: number | undefined;
    api<CurrentCode>(`/activities/${id}/checkin/code`)
      .then((code) => {
        if (!live) return;
        setCurrent({ ...code, receivedAt: Date.now() });
        setClosed(false);
        setError(undefined);
        timer = window.setTimeout(() => setTick((n) => n + 1), code.expiresInSeconds * 1000 + 250);
      })
      .catch((e: unknown) => {
        if (!live) return;
        const apiError = toApiError(e);
        if (apiError.code === 'CHECKIN_CLOSED') {
          setClosed(true);
          setCurrent(undefined);
        } else {
          setError(errorText(apiError, t));
          timer = window.setTimeout(() => setTick((n) => n + 1), 5000);
        }
      });
    api<AttendanceRow[]>(`/activities/${id}/attendance`)
      .then((rows) => live && setCounts({ present: rows.filter((r) => r.status === 'present').length, total: rows.length }))
      .catch(() => undefined);
    return () => {
      live = false;
      window.clearTimeout(timer);
    };
  }, [id, tick, t]);

  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, []);

  const fullScreen = () => void screen.current?.requestFullscreen?.().catch(() => undefined);
  useEffect(() => {
    const key = (e: KeyboardEvent) => {
      if ((e.key === 'f' || e.key === 'F') && !(e.target instanceof HTMLInputElement)) fullScreen();
    };
    window.addEventListener('keydown', key);
    return () => window.removeEventListener('keydown', key);
  }, []);

  async function open() {
    setOpening(true);
    setError(undefined);
    try {
      await api(`/activities/${id}/checkin/open`, { method: 'POST', body: { open: true } });
      setTick((n) => n + 1);
    } catch (e) {
      setError(errorText(toApiError(e), t));
    } finally {
      setOpening(false);
    }
  }

  const left = current ? Math.max(0, Math.ceil(current.expiresInSeconds - (now - current.receivedAt) / 1000)) : 0;
  const s = activity.data?.settings as unknown as SessionSettings | undefined;
  return (
    <div className="projector" ref={screen} data-testid="projector">
      <div className="projector-bar">
        <Link to={`/activities/${id}`}>← {t('checkinBack')}</Link>
        <button type="button" className="button secondary small" onClick={fullScreen}>
          {t('fullScreen')}
        </button>
      </div>
      <h1>{activity.data?.title ?? ''}</h1>
      {s && (
        <p className="projector-meta">
          {formatDateTime(s.startsAt, lang)}–{formatTime(s.endsAt, lang)} · {s.location}
        </p>
      )}
      {current ? (
        <div className="projector-code">
          <img src={current.qr} alt={t('checkinQrAlt')} width={320} height={320} />
          <div>
            <p className="projector-label">{t('checkinCode')}</p>
            <p className="code-digits" data-testid="checkin-code" aria-live="polite">
              {current.code}
            </p>
            <p className="muted">{t('checkinRefreshIn', { n: left })}</p>
            {counts && (
              <p className="projector-count" data-testid="checkin-count">
                {t('checkinCount', { present: counts.present, total: counts.total })}
              </p>
            )}
          </div>
        </div>
      ) : closed ? (
        <div className="panel narrow">
          <p>{t('checkinNotOpen')}</p>
          <button type="button" className="button primary" onClick={open} disabled={opening}>
            {opening ? <Spinner /> : t('checkinOpen')}
          </button>
        </div>
      ) : (
        !error && <Spinner />
      )}
      <FormError messages={error ? [error] : undefined} />
    </div>
  );
}
