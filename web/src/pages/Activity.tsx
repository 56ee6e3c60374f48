import { type ReactNode, useCallback, useEffect, useRef, useState } from 'react';
import { Link, useParams } from 'react-router';
import { api } from '../api';
import { useAuth } from '../auth';
import { formatDateTime, formatHours, formatMonthDayTime } from '../format';
import { useI18n } from '../i18n';
import type { Activity } from '../types';
import { DiscussionLesson } from './Discussion';
import { QuizLesson } from './Quiz';
import { ReadingLesson } from './Reading';
import { SessionLesson } from './Sessions';
import { errorText, FormError, Loaded, ProgressBar, Spinner, toApiError, TYPE_KEYS, useLoad, useMyProgress } from '../ui';

/** The server counts watched seconds at most this fast (VIDEO_MAX_PLAYBACK_RATE, 2 by default). */
const MAX_RATE = 2;
/** How often the player reports the span just watched. */
const REPORT_EVERY_MS = 15_000;

interface WatchState {
  accepted?: boolean;
  reason?: string | null;
  watchedSeconds: number;
  percent: number;
  completed: boolean;
  position: number;
  durationSeconds: number;
}

export function ActivityPage() {
  const { id = '' } = useParams();
  const { t, lang } = useI18n();
  const activity = useLoad(() => api<Activity>(`/activities/${id}`), [id]);
  return (
    <Loaded state={activity}>
      {(a) => (
        <section>
          <p>
            <Link to={`/courses/${a.courseId}`}>← {t('scheduleTitle')}</Link>
          </p>
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
        </section>
      )}
    </Loaded>
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
  const source = useLoad(() => api<{ url: string; expiresAt: string }>(`/activities/${activityId}/video-url`), [activityId]);
  const initial = useLoad(() => (learner ? api<WatchState>(`/activities/${activityId}/watch`) : Promise.resolve(null)), [activityId, learner]);
  const [watch, setWatch] = useState<WatchState | null>(null);
  const [notice, setNotice] = useState<string>();
  const [error, setError] = useState<string>();
  const video = useRef<HTMLVideoElement>(null);
  const spanStart = useRef<number | null>(null);
  const lastTime = useRef(0);
  const deviceId = useRef(`w-${Math.random().toString(36).slice(2, 12)}`);
  const sending = useRef<Promise<void>>(Promise.resolve());

  useEffect(() => {
    if (initial.data) setWatch(initial.data);
  }, [initial.data]);

  /** Reports [spanStart, now] (in video seconds) and starts a new span from here. Reports go out one at a time. */
  const report = useCallback(
    (restart: boolean) => {
      const element = video.current;
      const from = spanStart.current;
      const to = lastTime.current;
      spanStart.current = restart && element ? element.currentTime : null;
      if (!learner || from === null || to - from < 0.25) return;
      sending.current = sending.current.then(async () => {
        try {
          const answer = await api<WatchState>(`/activities/${activityId}/progress`, { method: 'POST', body: { from, to, deviceId: deviceId.current } });
          setWatch(answer);
          setError(undefined);
          setNotice(answer.accepted ? undefined : answer.reason === 'too_fast' ? t('videoTooFast') : answer.reason === 'other_device' ? t('videoOtherDevice') : undefined);
        } catch (e) {
          setError(errorText(toApiError(e), t));
        }
      });
    },
    [activityId, learner, t],
  );

  // Every 15 s while playing; and when the page is hidden or left.
  useEffect(() => {
    const timer = window.setInterval(() => {
      if (video.current && !video.current.paused) report(true);
    }, REPORT_EVERY_MS);
    const hide = () => document.visibilityState === 'hidden' && report(false);
    document.addEventListener('visibilitychange', hide);
    return () => {
      window.clearInterval(timer);
      document.removeEventListener('visibilitychange', hide);
      report(false);
    };
  }, [report]);

  if (source.error) {
    return <FormError messages={[errorText(source.error, t)]} />;
  }
  if (!source.data || (learner && !initial.data && !initial.error)) return <Spinner />;

  const state = watch;
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
      {learner && state && (
        <div className="panel" aria-live="polite" data-testid="watch-progress">
          <p>
            {state.completed ? <span className="badge state-completed">{t('stateCompleted')}</span> : <span className="badge state-in_progress">{t('stateInProgress')}</span>}{' '}
            {t('videoWatched', { percent: state.percent, seconds: Math.round(state.watchedSeconds), total: Math.round(state.durationSeconds) })}
          </p>
          <ProgressBar label={t('videoWatchedLabel')} value={state.percent} max={100} />
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
