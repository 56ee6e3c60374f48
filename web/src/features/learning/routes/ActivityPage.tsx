import { type ReactNode, useCallback, useEffect, useRef, useState } from 'react';
import { useParams } from 'react-router';
import { api } from '../../../api/client';
import type { Activity } from '../../../api/types';
import { useI18n } from '../../../i18n';
import { ActivityFrame } from '../../../shared/ActivityFrame';
import { useAuth } from '../../../shared/auth';
import { ProgressBar, Spinner } from '../../../shared/components';
import { errorText } from '../../../shared/errors';
import { formatDateTime, formatHours, formatMonthDayTime, watchFigures } from '../../../shared/format';
import { FormError } from '../../../shared/forms';
import { TYPE_KEYS } from '../../../shared/labels';
import { useApi } from '../../../shared/queries';
import { DiscussionLesson } from '../../discussions/components/DiscussionLesson';
import { SessionLesson } from '../../sessions/components/SessionLesson';
import { useMyProgress } from '../api';
import { QuizLesson } from '../components/QuizLesson';
import { ReadingLesson } from '../components/ReadingLesson';
import { WatchReporter } from '../watch-reports';
import type { Schema } from '../../../api/types';

/** The server counts watched seconds at most this fast (VIDEO_MAX_PLAYBACK_RATE, 2 by default). */
const MAX_RATE = 2;
/** How often the player reports the span just watched. */
const REPORT_EVERY_MS = 15_000;
const DEVICE_KEY = 'bst.watch.device';

/**
 * This tab's player, kept across reloads (sessionStorage), so spans left unsent by a reload go out from the
 * same device and are not refused as another device's.
 */
function playerDeviceId(): string {
  try {
    const kept = sessionStorage.getItem(DEVICE_KEY);
    if (kept) return kept;
    const made = `w-${Math.random().toString(36).slice(2, 12)}`;
    sessionStorage.setItem(DEVICE_KEY, made);
    return made;
  } catch {
    return `w-${Math.random().toString(36).slice(2, 12)}`;
  }
}

type WatchState = Schema<'WatchStateResponse'>;

export function ActivityPage() {
  const { id = '' } = useParams();
  const { t, lang } = useI18n();
  return (
    <ActivityFrame id={id}>
      {(a) => (
        <>
          <h1>
            {a.title}
            <span className="subtitle">
              {t(TYPE_KEYS[a.type])} · {a.required ? t('required') : t('elective')} · {t('hours', { n: formatHours(a.creditHours) })}
              {a.dueAt ? ` · ${t('due', { date: formatDateTime(a.dueAt, lang) })}` : ''}
            </span>
          </h1>
          <WorkGate activity={a} whenClosed={a.type === 'discussion' ? <DiscussionLesson activity={a} readOnly /> : null}>
          {a.type === 'video' ? (
            <VideoLesson activityId={a.id} />
          ) : a.type === 'reading' ? (
            <ReadingLesson activityId={a.id} />
          ) : a.type === 'quiz' ? (
            <QuizLesson activityId={a.id} />
          ) : a.type === 'discussion' ? (
            <DiscussionLesson activity={a} />
          ) : a.type === 'session' ? (
            <SessionLesson activity={a} />
          ) : (
            <p className="muted">{t('activityComingSoon')}</p>
          )}
          </WorkGate>
        </>
      )}
    </ActivityFrame>
  );
}

/**
 * For a learner: the activity's honest state before its work. Done by make-up: 补学完成. Overdue but open
 * for make-up: says until when, and the work follows. Closed or not yet open: says so, with the date, and
 * shows no work to do (its buttons would only be refused; a closed discussion stays readable, `whenClosed`).
 * Sessions speak for themselves (SessionLesson).
 */
function WorkGate({ activity, whenClosed, children }: { activity: Activity; whenClosed: ReactNode; children: ReactNode }) {
  const { t, lang } = useI18n();
  const { me } = useAuth();
  const learner = me?.role === 'secretary' && activity.type !== 'session';
  const mine = useMyProgress(activity.courseId, activity.id, learner);
  if (!learner) return <>{children}</>;
  if (mine.data === undefined && !mine.error) return <Spinner />;
  const standing = mine.data?.standing;
  if (standing === 'closed' || standing === 'notYetOpen') {
    const date = standing === 'closed' ? mine.data!.closesAt : activity.opensAt;
    return (
      <>
        <div className="alert alert-warn" role="status" data-testid="work-closed">
          <p>{t(standing === 'closed' ? 'activityClosedNotice' : 'activityNotYetOpen', { date: date ? formatMonthDayTime(date, lang) : '—' })}</p>
        </div>
        {standing === 'closed' && whenClosed}
      </>
    );
  }
  return (
    <>
      {standing === 'madeUp' && (
        <p>
          <span className="badge badge-made-up" data-testid="made-up">
            {t('madeUpTag')}
          </span>
        </p>
      )}
      {standing === 'makeUp' && mine.data?.makeUpUntil && (
        <div className="alert alert-warn" role="status" data-testid="make-up-open">
          <p>{t('makeUpOpen', { date: formatMonthDayTime(mine.data.makeUpUntil, lang) })}</p>
          <p className="hint">{t('makeUpOpenHint')}</p>
        </div>
      )}
      {children}
    </>
  );
}

function VideoLesson({ activityId }: { activityId: string }) {
  const { t } = useI18n();
  const { me } = useAuth();
  const learner = me?.role === 'secretary';
  const userId = me?.id;
  const source = useApi<{ url: string; expiresAt: string }>(`/activities/${activityId}/video-url`);
  const initial = useApi<WatchState>(`/activities/${activityId}/watch`, undefined, { enabled: learner });
  const [watch, setWatch] = useState<WatchState | null>(null);
  const [notice, setNotice] = useState<string>();
  const [error, setError] = useState<string>();
  const [retrying, setRetrying] = useState(false);
  const video = useRef<HTMLVideoElement>(null);
  const spanStart = useRef<number | null>(null);
  const lastTime = useRef(0);
  const reporter = useRef<WatchReporter<WatchState> | null>(null);
  const translate = useRef(t);
  translate.current = t;

  useEffect(() => {
    // Answers to spans left from before a reload may arrive first: they are newer.
    if (initial.data) setWatch((current) => current ?? initial.data ?? null);
  }, [initial.data]);

  /**
   * Queues [spanStart, now] (in video seconds) for the server and starts a new span from here; `leaving` when
   * the page is being hidden or left (everything waiting is sent at once).
   */
  const report = useCallback((restart: boolean, leaving = false) => {
    const element = video.current;
    const from = spanStart.current;
    const to = lastTime.current;
    spanStart.current = restart && element ? element.currentTime : null;
    if (from !== null && to - from >= 0.25) reporter.current?.add({ from, to }, leaving);
    else if (leaving) reporter.current?.sendAllNow();
  }, []);

  // Reports go through a queue that loses nothing: every 15 s while playing, on pause/seek/end, and when the
  // page is hidden or left (then sent at once, with keepalive).
  useEffect(() => {
    if (!learner || !userId) return;
    const deviceId = playerDeviceId();
    const current = new WatchReporter<WatchState>({
      storageKey: `bst.watch.${userId}.${activityId}`,
      send: (span, keepalive) => api<WatchState>(`/activities/${activityId}/progress`, { method: 'POST', body: { ...span, deviceId }, keepalive }),
      play: () => api(`/activities/${activityId}/play`, { method: 'POST' }),
      onAnswer: (answer) => {
        const tr = translate.current;
        setWatch(answer);
        setError(undefined);
        setNotice(answer.reason === 'too_fast' ? tr('videoTooFast') : undefined);
      },
      onRefused: (refusal) => {
        if (refusal.code === 'OTHER_DEVICE_PLAYING') setNotice(translate.current('videoOtherDevice'));
        else setError(errorText(refusal, translate.current));
      },
      onRetrying: setRetrying,
    });
    reporter.current = current;
    current.start();
    const timer = window.setInterval(() => {
      if (video.current && !video.current.paused) report(true);
    }, REPORT_EVERY_MS);
    const hide = () => {
      if (document.visibilityState === 'hidden') report(Boolean(video.current && !video.current.paused), true);
    };
    const leave = () => report(false, true);
    document.addEventListener('visibilitychange', hide);
    window.addEventListener('pagehide', leave);
    return () => {
      window.clearInterval(timer);
      document.removeEventListener('visibilitychange', hide);
      window.removeEventListener('pagehide', leave);
      leave();
      current.stop();
      reporter.current = null;
    };
  }, [activityId, learner, userId, report]);

  if (source.error) {
    return <FormError messages={[errorText(source.error, t)]} />;
  }
  if (!source.data || (learner && !initial.data && !initial.error)) return <Spinner />;

  const state = watch;
  // Seconds and percent that agree with each other (the server's percent is rounded down from unrounded seconds).
  const figures = state ? watchFigures(state.watchedSeconds, state.durationSeconds) : null;
  return (
    <div className="video-lesson">
      <video
        ref={video}
        controls
        preload="metadata"
        playsInline
        src={source.data.url}
        aria-label={t('videoPlayer')}
        data-testid="video"
        onLoadedMetadata={(e) => {
          // Resume where I stopped (unless that was the very end).
          const element = e.currentTarget;
          const position = state?.position ?? 0;
          if (position > 0 && position < element.duration - 1) element.currentTime = position;
          lastTime.current = element.currentTime;
        }}
        onPlay={(e) => {
          spanStart.current = e.currentTarget.currentTime;
          lastTime.current = e.currentTarget.currentTime;
          reporter.current?.played();
        }}
        onTimeUpdate={(e) => {
          if (!e.currentTarget.seeking) lastTime.current = e.currentTarget.currentTime;
        }}
        onSeeking={() => report(false)}
        onSeeked={(e) => {
          lastTime.current = e.currentTarget.currentTime;
          if (!e.currentTarget.paused) spanStart.current = e.currentTarget.currentTime;
        }}
        onPause={() => report(false)}
        onEnded={(e) => {
          lastTime.current = e.currentTarget.duration;
          report(false);
        }}
        onRateChange={(e) => {
          if (e.currentTarget.playbackRate > MAX_RATE) {
            e.currentTarget.playbackRate = MAX_RATE;
            setNotice(t('videoRateCapped', { rate: MAX_RATE }));
          }
        }}
      />
      {learner && state && figures && (
        <div className="panel" aria-live="polite" data-testid="watch-progress">
          <p>
            {state.completed ? <span className="badge state-completed">{t('stateCompleted')}</span> : <span className="badge state-in_progress">{t('stateInProgress')}</span>}{' '}
            {t('videoWatched', figures)}
          </p>
          <ProgressBar label={t('videoWatchedLabel')} value={figures.percent} max={100} />
          {retrying && (
            <p className="hint" data-testid="watch-retrying">
              {t('videoRetrying')}
            </p>
          )}
          <p className="hint">{t('videoHint', { rate: MAX_RATE })}</p>
        </div>
      )}
      {notice && (
        <div className="alert alert-warn" role="status">
          {notice}
        </div>
      )}
      <FormError messages={error ? [error] : undefined} />
    </div>
  );
}
