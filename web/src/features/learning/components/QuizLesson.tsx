import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../../../api/client';
import { useI18n } from '../../../i18n';
import { DataTable } from '../../../shared/PagedTable';
import { useAuth } from '../../../shared/auth';
import { Loaded, ProgressBar, Spinner } from '../../../shared/components';
import { errorText, toApiError } from '../../../shared/errors';
import { formatDateTime } from '../../../shared/format';
import { Checkbox, FormError, Notice } from '../../../shared/forms';
import { useApi } from '../../../shared/queries';
import type { Schema } from '../../../api/types';

type AnswerValue = number | number[] | boolean | string;

type Attempt = Schema<'AttemptResponse'>;

export function QuizLesson({ activityId }: { activityId: string }) {
  const { t } = useI18n();
  const { me } = useAuth();
  const history = useApi<Attempt[]>(`/activities/${activityId}/attempts`, undefined, { enabled: me?.role === 'secretary' });
  const [current, setCurrent] = useState<Attempt>();
  const [starting, setStarting] = useState(false);
  const [error, setError] = useState<string>();

  useEffect(() => {
    const open = history.data?.find((a) => a.status === 'open');
    if (open && !current) setCurrent(open);
  }, [history.data, current]);

  if (me?.role !== 'secretary') return <QuizStats activityId={activityId} />;

  async function start() {
    setStarting(true);
    setError(undefined);
    try {
      setCurrent(await api<Attempt>(`/activities/${activityId}/attempts`, { method: 'POST' }));
    } catch (e) {
      setError(errorText(toApiError(e), t));
    } finally {
      setStarting(false);
    }
  }

  return (
    <Loaded state={history}>
      {(attempts) => {
        const last = attempts[attempts.length - 1];
        const left = current?.attemptsLeft ?? last?.attemptsLeft;
        const passed = attempts.some((a) => a.result?.passed);
        return (
          <>
            {current && current.status === 'open' ? (
              <AttemptForm
                key={current.id}
                attempt={current}
                onDone={(graded) => {
                  setCurrent(graded);
                  history.refetch();
                }}
              />
            ) : (
              <section className="panel">
                {current?.result && <Result attempt={current} />}
                {passed && !current && <Notice>{t('quizPassedBefore')}</Notice>}
                <p className="muted">{left === undefined ? t('quizIntro') : t('quizAttemptsLeft', { n: left })}</p>
                <FormError messages={error ? [error] : undefined} />
                {(left === undefined || left > 0) && (
                  <button type="button" className="button primary" onClick={() => { setCurrent(undefined); void start(); }} disabled={starting}>
                    {starting ? <Spinner /> : attempts.length ? t('quizRetake') : t('quizStart')}
                  </button>
                )}
              </section>
            )}
            {attempts.some((a) => a.status !== 'open') && <History attempts={attempts.filter((a) => a.status !== 'open')} />}
          </>
        );
      }}
    </Loaded>
  );
}

function Result({ attempt }: { attempt: Attempt }) {
  const { t } = useI18n();
  const r = attempt.result!;
  return (
    <div className={`alert ${r.passed ? 'alert-ok' : 'alert-warn'}`} role="status" data-testid="quiz-result">
      <p>
        <strong>{r.passed ? t('quizPassed') : t('quizFailed')}</strong> {t('quizScore', { score: r.score, max: r.maxScore, percent: r.percent })}
        {attempt.status === 'expired' ? ` ${t('quizExpired')}` : ''}
      </p>
      {r.review && (
        <ol className="quiz-review">
          {r.review.map((item) => (
            <li key={item.index}>
              {item.correct ? '✓' : '✗'} {item.explanation ?? ''}
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}

function History({ attempts }: { attempts: Attempt[] }) {
  const { t, lang } = useI18n();
  return (
    <section aria-labelledby="quiz-history">
      <h2 id="quiz-history">{t('quizHistory')}</h2>
      <DataTable rows={attempts} rowKey={(a) => a.id}
        columns={[
          { header: t('quizAttemptNo'), rowHeader: true, cell: (a) => a.number },
          { header: t('colStarted'), cell: (a) => formatDateTime(a.startedAt, lang) },
          { header: t('quizScoreCol'), cell: (a) => (a.result ? `${a.result.percent}% · ${a.result.passed ? t('quizPassed') : t('quizFailed')}` : '—') },
        ]}
      />
    </section>
  );
}

/** One attempt: answers saved as the learner goes, a countdown that follows the server's deadline, auto-submit at zero. */
function AttemptForm({ attempt, onDone }: { attempt: Attempt; onDone: (graded: Attempt) => void }) {
  const { t } = useI18n();
  const [answers, setAnswers] = useState(() => (attempt.answers ?? {}) as Record<string, AnswerValue>);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string[]>();
  const skew = useRef(new Date(attempt.serverNow).getTime() - Date.now());
  const deadline = attempt.deadlineAt ? new Date(attempt.deadlineAt).getTime() : null;
  const [left, setLeft] = useState(() => (deadline ? deadline - (Date.now() + skew.current) : null));
  const saveTimer = useRef<number | undefined>(undefined);
  const submitted = useRef(false);

  const submit = useCallback(async () => {
    if (submitted.current) return;
    submitted.current = true;
    window.clearTimeout(saveTimer.current);
    setBusy(true);
    setError(undefined);
    try {
      onDone(await api<Attempt>(`/attempts/${attempt.id}/submit`, { method: 'POST', body: { answers } }));
    } catch (e) {
      const apiError = toApiError(e);
      if (apiError.status === 409) {
        // Past the deadline: the server graded what was saved.
        onDone(await api<Attempt>(`/attempts/${attempt.id}`));
        return;
      }
      submitted.current = false;
      setError(apiError.messages);
      setBusy(false);
    }
  }, [answers, attempt.id, onDone]);

  useEffect(() => {
    if (deadline === null) return;
    const timer = window.setInterval(() => {
      const remaining = deadline - (Date.now() + skew.current);
      setLeft(remaining);
      if (remaining <= 0) {
        window.clearInterval(timer);
        void submit();
      }
    }, 1000);
    return () => window.clearInterval(timer);
  }, [deadline, submit]);

  function answer(index: number, value: AnswerValue) {
    const next = { ...answers, [String(index)]: value };
    setAnswers(next);
    window.clearTimeout(saveTimer.current);
    saveTimer.current = window.setTimeout(() => {
      void api(`/attempts/${attempt.id}/answers`, { method: 'PUT', body: { answers: { [String(index)]: value } } }).catch(() => undefined);
    }, 800);
  }

  const minutes = left === null ? null : Math.max(0, Math.floor(left / 60000));
  const seconds = left === null ? null : Math.max(0, Math.floor((left % 60000) / 1000));
  return (
    <form
      className="panel quiz"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
      noValidate
      aria-label={t('quizAttempt', { n: attempt.number })}
    >
      <div className="quiz-head">
        <h2>{t('quizAttempt', { n: attempt.number })}</h2>
        {left !== null && (
          <p className={`countdown${left < 60_000 ? ' countdown-low' : ''}`} role="timer" aria-label={t('quizTimeLeft')}>
            {t('quizTimeLeft')} {String(minutes).padStart(2, '0')}:{String(seconds).padStart(2, '0')}
          </p>
        )}
      </div>
      {attempt.questions.map((q, i) => {
        const value = answers[String(q.index)];
        return (
          <fieldset key={q.index} className="question">
            <legend>
              {i + 1}. {q.prompt} <span className="muted">（{t('quizPoints', { n: q.points })}）</span>
            </legend>
            {q.kind === 'single' &&
              q.options?.map((o) => (
                <label key={o.id} className="choice">
                  <input type="radio" name={`q${q.index}`} checked={value === o.id} onChange={() => answer(q.index, o.id)} /> {o.text}
                </label>
              ))}
            {q.kind === 'multiple' &&
              q.options?.map((o) => {
                const list = Array.isArray(value) ? (value as number[]) : [];
                return (
                  <Checkbox
                    key={o.id}
                    label={o.text}
                    checked={list.includes(o.id)}
                    onChange={(on) => answer(q.index, on ? [...list, o.id] : list.filter((x) => x !== o.id))}
                  />
                );
              })}
            {q.kind === 'truefalse' &&
              ([true, false] as const).map((b) => (
                <label key={String(b)} className="choice">
                  <input type="radio" name={`q${q.index}`} checked={value === b} onChange={() => answer(q.index, b)} /> {b ? t('trueLabel') : t('falseLabel')}
                </label>
              ))}
            {q.kind === 'text' && (
              <label className="choice">
                <span className="visually-hidden">{t('quizYourAnswer')}</span>
                <input type="text" value={typeof value === 'string' ? value : ''} onChange={(e) => answer(q.index, e.target.value)} />
              </label>
            )}
          </fieldset>
        );
      })}
      <FormError messages={error} />
      <button type="submit" className="button primary" disabled={busy}>
        {busy ? <Spinner label={t('saving')} /> : t('quizSubmit')}
      </button>
    </form>
  );
}

type QuizStatistics = Schema<'QuizStatsResponse'>;

const KIND_KEYS = { single: 'kindSingle', multiple: 'kindMultiple', truefalse: 'kindTruefalse', text: 'kindText' } as const;

/** For the course's instructors and admins: how many got each question right (hardest questions stand out). */
function QuizStats({ activityId }: { activityId: string }) {
  const { t } = useI18n();
  const stats = useApi<QuizStatistics>(`/activities/${activityId}/quiz-stats`);
  return (
    <section className="panel" aria-labelledby="quiz-stats-title">
      <h2 id="quiz-stats-title">{t('quizStatsTitle')}</h2>
      <p className="muted">{t('quizForLearners')}</p>
      <Loaded state={stats}>
        {(s) => (
          <>
            <p className="summary" data-testid="quiz-stats-summary">
              {t('quizStatsSummary', { attempts: s.attempts, passed: s.passed, rate: s.attempts ? Math.round((s.passed / s.attempts) * 100) : 0 })}
            </p>
            <DataTable testId="quiz-stats" rows={s.questions} rowKey={(q) => q.index} rowClassName={(q) => s.attempts > 0 && q.rate < 60 ? 'row-overdue' : undefined}
              columns={[
                {
                  header: t('quizStatsQuestion'),
                  rowHeader: true,
                  cell: (q) => (
                    <>
                      {q.index + 1}. {q.prompt}
                    </>
                  ),
                },
                { header: t('questionKind'), cell: (q) => t(KIND_KEYS[q.kind]) },
                { header: t('quizStatsCorrect'), cell: (q) => t('progressOf', { done: q.correct, total: s.attempts }) },
                {
                  header: t('quizStatsRate'),
                  cell: (q) => (
                    <>
                      {q.rate}%
                      <ProgressBar label={t('quizStatsRateOf', { n: q.index + 1 })} value={q.rate} max={100} />
                    </>
                  ),
                },
              ]}
            />
            {s.attempts > 0 && <p className="hint">{t('quizStatsHint')}</p>}
          </>
        )}
      </Loaded>
    </section>
  );
}
