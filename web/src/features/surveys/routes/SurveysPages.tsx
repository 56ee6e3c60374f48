import { useRef, useState, type FormEvent, type ReactNode } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { answer, client, type ApiError } from '../../../api/client';
import { type Translate, useI18n } from '../../../i18n';
import { Loaded, Spinner } from '../../../shared/components';
import { errorText, toApiError } from '../../../shared/errors';
import { formatDateTime, fromBeijingInput, toBeijingInput } from '../../../shared/format';
import { Checkbox, Field, FormError, Notice, SelectField } from '../../../shared/forms';
import { useApi, useApiAll, useInvalidate } from '../../../shared/queries';
import { useAudienceLabel, useAuthorRole, WhenLine } from '../components/SurveyFacts';
import { useCourses } from '../../courses/api';
import { type AnswerValue, beforeCertificate, KIND_KEYS, type NewSurvey, type QuestionKind, SCALE_MAX, STATE_KEYS, type Survey, type SurveyDetail, type SurveyState, surveyState } from '../api';

const STATE_ORDER: Record<SurveyState, number> = { open: 0, upcoming: 1, answered: 2, closed: 3 };

/** 问卷调查: the surveys aimed at me (to answer), and for their authors the surveys they run. */
export function SurveysPage() {
  const { t } = useI18n();
  const { me, department, author } = useAuthorRole();
  const list = useApi<{ items: Survey[] }>('/surveys');
  const audienceOf = useAudienceLabel();
  return (
    <section>
      <div className="page-head">
        <h1>{t('svTitle')}</h1>
        {author && (
          <Link className="button primary" to="/surveys/new">
            {t('svNew')}
          </Link>
        )}
      </div>
      <p className="muted">{department ? t('svIntroAuthor') : author ? t('svIntroInstructor') : t('svIntro')}</p>
      <Loaded state={list}>
        {({ items }) => {
          const runs = (s: Survey) => department || s.authorId === me?.id;
          const toAnswer = items.filter((s) => !runs(s)).sort((a, b) => STATE_ORDER[surveyState(a)] - STATE_ORDER[surveyState(b)]);
          const mine = items.filter(runs);
          return (
            <>
              {(!author || toAnswer.length > 0) && (
                <>
                  <h2>{t('svToAnswer')}</h2>
                  {toAnswer.length ? (
                    <ul className="cards survey-list" data-testid="surveys-to-answer">
                      {toAnswer.map((s) => (
                        <li key={s.id}>
                          <SurveyCard survey={s} audience={audienceOf(s)} />
                        </li>
                      ))}
                    </ul>
                  ) : (
                    <p className="empty">{t('svNoneToAnswer')}</p>
                  )}
                </>
              )}
              {author && (
                <>
                  <h2>{department ? t('svAll') : t('svMine')}</h2>
                  {mine.length ? (
                    <ul className="cards survey-list" data-testid="surveys-mine">
                      {mine.map((s) => (
                        <li key={s.id}>
                          <SurveyCard survey={s} audience={audienceOf(s)} manage />
                        </li>
                      ))}
                    </ul>
                  ) : (
                    <p className="empty">{t('svNoneMine')}</p>
                  )}
                </>
              )}
            </>
          );
        }}
      </Loaded>
    </section>
  );
}

function SurveyCard({ survey: s, audience, manage }: { survey: Survey; audience: string; manage?: boolean }) {
  const { t } = useI18n();
  const state = surveyState(s);
  // Its author sees whether it runs, not whether they answered it themselves.
  const shown: SurveyState = manage && state === 'answered' ? 'open' : state;
  const action = manage ? null : state === 'open' ? 'svAnswer' : state === 'answered' && !s.anonymous ? 'svEditAnswer' : 'svView';
  return (
    <article className={`card survey-card survey-${shown}`} aria-label={s.title} data-testid="survey">
      <h3>
        <Link to={manage ? `/surveys/${s.id}/results` : `/surveys/${s.id}`}>{s.title}</Link>{' '}
        <span className={`badge survey-state-${shown}`}>{t(manage && shown === 'open' ? 'svStateRunning' : STATE_KEYS[shown])}</span>
      </h3>
      <p className="meta">
        {s.anonymous ? t('svAnonymous') : t('svNamed')} · {audience} · {t('svQuestionCount', { n: s.questions.length })}
        {beforeCertificate(s) && <span className="tag tag-required">{t('svBeforeCertificate')}</span>}
      </p>
      <p className="survey-when">
        <WhenLine survey={s} state={shown} />
      </p>
      <div className="actions">
        {manage ? (
          <>
            <Link className="button primary" to={`/surveys/${s.id}/results`}>
              {t('svResults')}
            </Link>
            <Link className="button secondary" to={`/surveys/${s.id}`}>
              {t('svPreview')}
            </Link>
          </>
        ) : (
          <Link className={`button ${state === 'open' ? 'primary' : 'secondary'}`} to={`/surveys/${s.id}`}>
            {t(action!)}
          </Link>
        )}
      </div>
    </article>
  );
}

type Sent = 'sent' | 'replaced';

/** One survey: the questions to answer, or (for its author) how they read. */
export function SurveyPage() {
  const { id = '' } = useParams();
  const { t } = useI18n();
  const location = useLocation();
  const survey = useApi<SurveyDetail>(`/surveys/${id}`);
  const [sent, setSent] = useState<Sent | null>(null);
  const created = (location.state as { created?: boolean } | null)?.created;
  return (
    <section className="survey-page">
      <p>
        <Link to="/surveys">← {t('svTitle')}</Link>
      </p>
      <Loaded state={survey}>
        {(s) => (
          <>
            {created && <Notice>{t('svCreated')}</Notice>}
            <AnswerForm key={s.id} survey={s} sent={sent} onSent={(how) => { setSent(how); void survey.refetch(); }} onStale={() => void survey.refetch()} />
          </>
        )}
      </Loaded>
    </section>
  );
}

const isEmpty = (v: AnswerValue) => v === null || (typeof v === 'string' && !v.trim()) || (Array.isArray(v) && v.length === 0);

/** The server's refusals said for this page: what happened to the answer and what to do. */
function refusal(error: ApiError, s: Survey, t: Translate): string {
  const time = (value: string) => formatDateTime(value, t.lang);
  switch (error.code) {
    case 'SURVEY_CLOSED':
      return t('svErrClosed', { time: time(s.closesAt) });
    case 'SURVEY_NOT_OPEN':
      return t('svErrNotOpen', { time: time(s.opensAt) });
    case 'SURVEY_ALREADY_ANSWERED':
      return t('svErrAlreadyAnswered');
    case 'SURVEY_NOT_ADDRESSED':
      return t('svErrNotAddressed');
    case 'SURVEY_NOT_FOUND':
      return t('svErrNotFound');
    default:
      return errorText(error, t);
  }
}

function AnswerForm({ survey: s, sent, onSent, onStale }: { survey: SurveyDetail; sent: Sent | null; onSent: (how: Sent) => void; onStale: () => void }) {
  const { t, lang } = useI18n();
  const { me, department } = useAuthorRole();
  const [answers, setAnswers] = useState<AnswerValue[]>(() =>
    s.questions.map((q, i) => (s.myAnswers?.[i] ?? (q.kind === 'multiple' ? [] : q.kind === 'text' ? '' : null)) as AnswerValue),
  );
  const [errors, setErrors] = useState<Record<number, string>>({});
  const [other, setOther] = useState<string[]>();
  const [busy, setBusy] = useState(false);
  const top = useRef<HTMLDivElement>(null);
  const state = surveyState(s);
  // Its author (or the department) sees the questions as those asked will, with nothing to send.
  const preview = department || s.authorId === me?.id;
  const locked = s.anonymous && s.answered;
  const editable = !preview && !locked && (state === 'open' || state === 'answered');

  function set(i: number, value: AnswerValue) {
    setAnswers((all) => all.map((a, k) => (k === i ? value : a)));
    setErrors(({ [i]: _, ...rest }) => rest);
    setOther(undefined);
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    setOther(undefined);
    const missing = s.questions.flatMap((q, i) => (q.required && isEmpty(answers[i]) ? [i] : []));
    if (missing.length) {
      setErrors(Object.fromEntries(missing.map((i) => [i, t('svAnswerRequired')])));
      setOther([t('svMissing', { list: missing.map((i) => i + 1).join('、') })]);
      document.getElementById(`sv-q-${missing[0] + 1}`)?.scrollIntoView({ block: 'center' });
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      const body = { answers: answers.map((a) => (isEmpty(a) ? null : typeof a === 'string' ? a.trim() : a)) };
      const done = await answer(client.POST('/api/surveys/{id}/responses', { params: { path: { id: s.id } }, body }));
      onSent(done.replaced ? 'replaced' : 'sent');
      top.current?.scrollIntoView({ block: 'start' });
    } catch (e) {
      const error = toApiError(e);
      const byQuestion: Record<number, string> = {};
      const rest: string[] = [];
      for (const p of error.problems) {
        const match = /^answers\.(\d+)/.exec(p.field);
        if (match) byQuestion[Number(match[1])] = t.problem(p);
        else rest.push(t.problem(p));
      }
      setErrors(byQuestion);
      setOther(error.problems.length ? (rest.length ? rest : [t('svFixMarked')]) : [refusal(error, s, t)]);
      if (['SURVEY_CLOSED', 'SURVEY_ALREADY_ANSWERED', 'SURVEY_NOT_OPEN'].includes(error.code ?? '')) onStale();
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <div ref={top} className="survey-head">
        <h1>{s.title}</h1>
        <p className="meta">
          <span className={`badge survey-state-${state}`}>{t(STATE_KEYS[state])}</span> <WhenLine survey={s} state={state} /> · {t('svQuestionCount', { n: s.questions.length })}
          {beforeCertificate(s) && <span className="tag tag-required">{t('svBeforeCertificate')}</span>}
        </p>
      </div>
      {sent && <Notice>{sent === 'replaced' ? t('svSentReplaced') : s.anonymous ? t('svSentAnonymous') : t('svSentNamed', { time: formatDateTime(s.closesAt, lang) })}</Notice>}
      <div className={`alert ${s.anonymous ? 'alert-info' : 'alert-warn'} survey-privacy`} data-testid="survey-privacy">
        <p>
          <strong>{s.anonymous ? t('svAnonymousTitle') : t('svNamedTitle')}</strong>
        </p>
        <p>{s.anonymous ? t('svAnonymousNote') : t('svNamedNote', { time: formatDateTime(s.closesAt, lang) })}</p>
      </div>
      {preview && (
        <p className="muted" data-testid="survey-preview">
          {t('svPreviewNote')} <Link to={`/surveys/${s.id}/results`}>{t('svResults')}</Link>
        </p>
      )}
      {!preview && state === 'upcoming' && <p className="alert alert-warn">{t('svNotOpenYet', { time: formatDateTime(s.opensAt, lang) })}</p>}
      {!preview && state === 'closed' && <p className="alert alert-warn">{t('svClosedNote', { time: formatDateTime(s.closesAt, lang) })}</p>}
      {!preview && locked ? (
        !sent && <Notice>{t('svAnsweredAnonymous')}</Notice>
      ) : (
        <form onSubmit={submit} noValidate aria-label={s.title} className="survey-form">
          {!preview && !s.anonymous && s.answered && state === 'answered' && !sent && <p className="hint">{t('svEditHint')}</p>}
          <p className="hint">{t('svRequiredHint')}</p>
          <fieldset disabled={!editable} className="survey-questions">
            {s.questions.map((q, i) => (
              <QuestionInput key={i} index={i} question={q} value={answers[i]} error={errors[i]} onChange={(v) => set(i, v)} />
            ))}
          </fieldset>
          <FormError messages={other} />
          {editable && (
            <div className="actions sticky-actions">
              <button type="submit" className="button primary wide" disabled={busy}>
                {busy ? <Spinner label={t('saving')} /> : s.answered ? t('svSubmitEdit') : t('svSubmit')}
              </button>
            </div>
          )}
        </form>
      )}
    </>
  );
}

function QuestionInput({ index: i, question: q, value, error, onChange }: { index: number; question: Survey['questions'][number]; value: AnswerValue; error?: string; onChange: (v: AnswerValue) => void }) {
  const { t } = useI18n();
  const id = `sv-q-${i + 1}`;
  const hint = q.kind === 'single' ? t('svHintSingle') : q.kind === 'multiple' ? t('svHintMultiple') : q.kind === 'scale' ? t('svHintScale', { max: SCALE_MAX }) : t('svHintText');
  const picked = Array.isArray(value) ? value : [];
  return (
    <fieldset id={id} className={`survey-question${error ? ' field-invalid' : ''}`} data-testid={`question-${i + 1}`} aria-describedby={error ? `${id}-error` : undefined}>
      <legend>
        <span className="question-number">{i + 1}.</span> {q.prompt} {q.required ? <span className="tag tag-required">{t('svRequired')}</span> : <span className="tag">{t('svOptional')}</span>}
      </legend>
      <p className="hint">{hint}</p>
      {(q.kind === 'single' || q.kind === 'multiple') && (
        <div className="survey-options">
          {q.options.map((option, k) => (
            <label key={k} className="survey-option">
              <input
                type={q.kind === 'single' ? 'radio' : 'checkbox'}
                name={id}
                checked={q.kind === 'single' ? value === k : picked.includes(k)}
                onChange={() => onChange(q.kind === 'single' ? k : picked.includes(k) ? picked.filter((x) => x !== k) : [...picked, k].sort((a, b) => a - b))}
              />
              <span>{option}</span>
            </label>
          ))}
        </div>
      )}
      {q.kind === 'scale' && (
        <div className="scale-points">
          {Array.from({ length: SCALE_MAX }, (_, k) => k + 1).map((point) => (
            <label key={point} className="scale-point">
              <input type="radio" name={id} checked={value === point} onChange={() => onChange(point)} aria-label={t('svScalePoint', { n: point })} />
              <span aria-hidden="true">{point}</span>
            </label>
          ))}
        </div>
      )}
      {q.kind === 'scale' && (
        <p className="scale-ends" aria-hidden="true">
          <span>{t('svScaleLow')}</span>
          <span>{t('svScaleHigh', { max: SCALE_MAX })}</span>
        </p>
      )}
      {q.kind === 'text' && (
        <textarea className="survey-text" rows={4} maxLength={5000} aria-label={q.prompt} value={typeof value === 'string' ? value : ''} onChange={(e) => onChange(e.target.value)} />
      )}
      {!q.required && (q.kind === 'single' || q.kind === 'scale') && value !== null && (
        <button type="button" className="button link small" onClick={() => onChange(null)}>
          {t('svClear')}
        </button>
      )}
      {error && (
        <p className="field-error" id={`${id}-error`} role="alert">
          {error}
        </p>
      )}
    </fieldset>
  );
}

interface DraftQuestion {
  key: number;
  kind: QuestionKind;
  prompt: string;
  options: string[];
  required: boolean;
}

type AudienceKind = 'course' | 'unit' | 'all';

let nextKey = 1;
const draft = (kind: QuestionKind): DraftQuestion => ({ key: nextKey++, kind, prompt: '', options: kind === 'single' || kind === 'multiple' ? ['', ''] : [], required: true });
const isChoice = (kind: QuestionKind) => kind === 'single' || kind === 'multiple';

/** 发起问卷: the department, for any audience, or an instructor, for a course of theirs, builds a questionnaire; a unit admin may not. */
export function NewSurveyPage() {
  const { t } = useI18n();
  const { author } = useAuthorRole();
  if (!author) {
    return (
      <div className="alert alert-error" role="alert">
        {t('forbidden')}
      </div>
    );
  }
  return <SurveyBuilder />;
}

function SurveyBuilder() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const invalidate = useInvalidate();
  const { department } = useAuthorRole();
  const courses = useCourses();
  const units = useApiAll<{ id: string; name: string }>('/units', {}, { enabled: department });
  const [title, setTitle] = useState('');
  const [anonymous, setAnonymous] = useState(true);
  const [audience, setAudience] = useState<AudienceKind>(department ? 'all' : 'course');
  const [courseId, setCourseId] = useState('');
  const [unitId, setUnitId] = useState('');
  const [beforeCertificate, setBeforeCertificate] = useState(false);
  const [opens, setOpens] = useState(() => toBeijingInput(new Date().toISOString()));
  const [closes, setCloses] = useState(() => toBeijingInput(new Date(Date.now() + 14 * 86_400_000).toISOString()));
  const [questions, setQuestions] = useState<DraftQuestion[]>(() => [draft('single')]);
  const [fields, setFields] = useState<Record<string, string[]>>({});
  const [questionErrors, setQuestionErrors] = useState<Record<number, string[]>>({});
  const [other, setOther] = useState<string[]>();
  const [busy, setBusy] = useState(false);

  // A field's problem is cleared as soon as it is changed; the rest stay until the next try.
  const change = (index: number, patch: Partial<DraftQuestion>) => {
    setQuestions((all) => all.map((q, i) => (i === index ? { ...q, ...patch } : q)));
    setQuestionErrors(({ [index]: _, ...rest }) => rest);
    setOther(undefined);
  };
  const edit = (field: string) => {
    setFields(({ [field]: _, ...rest }) => rest);
    setOther(undefined);
  };
  const move = (index: number, by: number) =>
    setQuestions((all) => {
      const next = [...all];
      [next[index], next[index + by]] = [next[index + by], next[index]];
      return next;
    });

  async function submit(event: FormEvent) {
    event.preventDefault();
    const own: Record<string, string[]> = {};
    if (!title.trim()) own.title = [t('fieldRequired')];
    if (audience === 'course' && !courseId) own.audience = [t('svPickCourse')];
    if (audience === 'unit' && !unitId) own.audience = [t('svPickUnit')];
    if (!opens) own.opensAt = [t('fieldRequired')];
    if (!closes) own.closesAt = [t('fieldRequired')];
    else if (opens && closes <= opens) own.closesAt = [t('svClosesAfterOpens')];
    const perQuestion: Record<number, string[]> = {};
    questions.forEach((q, i) => {
      const problems = [...(q.prompt.trim() ? [] : [t('svPromptRequired')]), ...(isChoice(q.kind) && q.options.filter((o) => o.trim()).length < 2 ? [t('svTwoOptions')] : [])];
      if (problems.length) perQuestion[i] = problems;
    });
    setFields(own);
    setQuestionErrors(perQuestion);
    setOther(Object.keys(own).length || Object.keys(perQuestion).length ? [t('svFixMarked')] : undefined);
    if (Object.keys(own).length || Object.keys(perQuestion).length) return;

    const body: NewSurvey = {
      title: title.trim(),
      anonymous,
      audience: audience === 'course' ? { courseId } : audience === 'unit' ? { unitId } : { all: true },
      opensAt: fromBeijingInput(opens)!,
      closesAt: fromBeijingInput(closes)!,
      questions: questions.map((q) => ({
        kind: q.kind,
        prompt: q.prompt.trim(),
        required: q.required,
        ...(isChoice(q.kind) ? { options: q.options.map((o) => o.trim()).filter(Boolean) } : {}),
      })),
      ...(audience === 'course' && beforeCertificate ? { requiredForCertificate: true } : {}),
    };
    setBusy(true);
    try {
      const created = await answer(client.POST('/api/surveys', { body }));
      await invalidate('/surveys');
      navigate(`/surveys/${created.id}`, { state: { created: true } });
    } catch (e) {
      const error = toApiError(e);
      const top: Record<string, string[]> = {};
      const byQuestion: Record<number, string[]> = {};
      for (const p of error.problems) {
        const match = /^questions\.(\d+)/.exec(p.field);
        if (match) (byQuestion[Number(match[1])] ??= []).push(t.problem(p));
        else (top[p.field.split('.')[0]] ??= []).push(t.problem(p));
      }
      if (error.code === 'COURSE_NOT_FOUND' || error.code === 'UNIT_NOT_FOUND') top.audience = [errorText(error, t)];
      setFields(top);
      setQuestionErrors(byQuestion);
      setOther(error.problems.length ? [t('svFixMarked')] : top.audience ? undefined : [errorText(error, t)]);
    } finally {
      setBusy(false);
    }
  }

  const audienceChoices: Array<[AudienceKind, string]> = department
    ? [['all', t('svAudienceAll')], ['unit', t('svAudienceAUnit')], ['course', t('svAudienceACourse')]]
    : [['course', t('svAudienceACourse')]];

  return (
    <section>
      <p>
        <Link to="/surveys">← {t('svTitle')}</Link>
      </p>
      <h1>{t('svNew')}</h1>
      <form className="survey-builder" onSubmit={submit} noValidate aria-label={t('svNew')}>
        <div className="panel">
          <Field label={t('svFieldTitle')} errors={fields.title}>
            {(p) => <input {...p} type="text" maxLength={200} value={title} onChange={(e) => {
                  setTitle(e.target.value);
                  edit('title');
                }} />}
          </Field>
          <fieldset>
            <legend>{t('svFieldAnonymity')}</legend>
            <label className="survey-option">
              <input type="radio" name="anonymity" checked={anonymous} onChange={() => setAnonymous(true)} />
              <span>
                <strong>{t('svAnonymous')}</strong> — {t('svAnonymousChoice')}
              </span>
            </label>
            <label className="survey-option">
              <input type="radio" name="anonymity" checked={!anonymous} onChange={() => setAnonymous(false)} />
              <span>
                <strong>{t('svNamed')}</strong> — {t('svNamedChoice')}
              </span>
            </label>
          </fieldset>
          <fieldset className={fields.audience ? 'field-invalid' : undefined}>
            <legend>{t('svFieldAudience')}</legend>
            {audienceChoices.length > 1 && (
              <div className="chips" role="radiogroup" aria-label={t('svFieldAudience')}>
                {audienceChoices.map(([kind, words]) => (
                  <label key={kind} className="survey-option inline">
                    <input type="radio" name="audience" checked={audience === kind} onChange={() => { setAudience(kind); edit('audience'); }} />
                    <span>{words}</span>
                  </label>
                ))}
              </div>
            )}
            {audience === 'course' && (
              <>
                <SelectField label={t('svFieldCourse')} value={courseId} empty={t('svChooseCourse')} options={(courses.data?.items ?? []).map((c) => [c.id, c.title])} onChange={(v) => { setCourseId(v); edit('audience'); }} />
                {!department && <p className="hint">{t('svInstructorCourses')}</p>}
                <Checkbox label={t('svBeforeCertificate')} checked={beforeCertificate} onChange={setBeforeCertificate} errors={fields.requiredForCertificate} />
                <p className="hint">{t('svBeforeCertificateHint')}</p>
              </>
            )}
            {audience === 'unit' && (
              <SelectField label={t('svFieldUnit')} value={unitId} empty={t('svChooseUnit')} options={(units.data?.items ?? []).map((u) => [u.id, u.name])} onChange={(v) => { setUnitId(v); edit('audience'); }} />
            )}
            {audience === 'all' && <p className="hint">{t('svAudienceAllHint')}</p>}
            {fields.audience && (
              <p className="field-error" role="alert">
                {fields.audience.join('；')}
              </p>
            )}
          </fieldset>
          <div className="form-grid">
            <Field label={t('svFieldOpens')} errors={fields.opensAt} hint={t('svBeijingHint')}>
              {(p) => <input {...p} type="datetime-local" value={opens} onChange={(e) => {
                  setOpens(e.target.value);
                  edit('opensAt');
                }} />}
            </Field>
            <Field label={t('svFieldCloses')} errors={fields.closesAt} hint={t('svBeijingHint')}>
              {(p) => <input {...p} type="datetime-local" value={closes} onChange={(e) => {
                  setCloses(e.target.value);
                  edit('closesAt');
                }} />}
            </Field>
          </div>
        </div>

        <h2>{t('svQuestions')}</h2>
        {fields.questions && <FormError messages={fields.questions} />}
        <ol className="builder-list" data-testid="builder-questions">
          {questions.map((q, i) => (
            <li key={q.key} className="panel builder-question" data-testid={`builder-question-${i + 1}`}>
              <BuilderQuestion
                index={i}
                question={q}
                count={questions.length}
                errors={questionErrors[i]}
                onChange={(patch) => change(i, patch)}
                onMove={(by) => {
                  move(i, by);
                  setQuestionErrors({});
                }}
                onRemove={() => {
                  setQuestions((all) => all.filter((x) => x.key !== q.key));
                  setQuestionErrors({});
                }}
              />
            </li>
          ))}
        </ol>
        <div className="actions add-question" role="group" aria-label={t('svAddQuestion')}>
          <span className="muted">{t('svAddQuestion')}</span>
          {(['single', 'multiple', 'scale', 'text'] as const).map((kind) => (
            <button key={kind} type="button" className="button secondary small" onClick={() => setQuestions((all) => [...all, draft(kind)])}>
              + {t(KIND_KEYS[kind])}
            </button>
          ))}
        </div>
        <FormError messages={other} />
        <div className="actions sticky-actions">
          <button type="submit" className="button primary" disabled={busy}>
            {busy ? <Spinner label={t('saving')} /> : t('svPublish')}
          </button>
          <Link className="button secondary" to="/surveys">
            {t('cancel')}
          </Link>
        </div>
      </form>
    </section>
  );
}

function BuilderQuestion({ index: i, question: q, count, errors, onChange, onMove, onRemove }: {
  index: number;
  question: DraftQuestion;
  count: number;
  errors?: string[];
  onChange: (patch: Partial<DraftQuestion>) => void;
  onMove: (by: number) => void;
  onRemove: () => void;
}): ReactNode {
  const { t } = useI18n();
  const n = i + 1;
  return (
    <>
      <div className="builder-head">
        <h3>{t('svQuestionN', { n })}</h3>
        <div className="row-actions">
          <button type="button" className="button secondary small" disabled={i === 0} onClick={() => onMove(-1)} aria-label={t('svMoveUp', { n })}>
            ↑
          </button>
          <button type="button" className="button secondary small" disabled={i === count - 1} onClick={() => onMove(1)} aria-label={t('svMoveDown', { n })}>
            ↓
          </button>
          <button type="button" className="button danger small" disabled={count === 1} onClick={onRemove} aria-label={t('svRemoveQuestion', { n })}>
            {t('svRemove')}
          </button>
        </div>
      </div>
      <SelectField
        label={t('svFieldKind')}
        className="narrow-field"
        value={q.kind}
        options={(['single', 'multiple', 'scale', 'text'] as const).map((k) => [k, t(KIND_KEYS[k])])}
        onChange={(v) => {
          const kind = v as QuestionKind;
          onChange({ kind, options: isChoice(kind) ? (q.options.length >= 2 ? q.options : ['', '']) : [] });
        }}
      />
      <Field label={t('svFieldPrompt', { n })}>{(p) => <input {...p} type="text" maxLength={500} value={q.prompt} onChange={(e) => onChange({ prompt: e.target.value })} />}</Field>
      {isChoice(q.kind) && (
        <fieldset className="builder-options">
          <legend>{t('svFieldOptions')}</legend>
          {q.options.map((option, k) => (
            <div key={k} className="input-row">
              <input
                type="text"
                maxLength={200}
                aria-label={t('svOptionN', { q: n, n: k + 1 })}
                value={option}
                onChange={(e) => onChange({ options: q.options.map((o, x) => (x === k ? e.target.value : o)) })}
              />
              <button type="button" className="button secondary small" disabled={q.options.length <= 2} onClick={() => onChange({ options: q.options.filter((_, x) => x !== k) })} aria-label={t('svRemoveOption', { q: n, n: k + 1 })}>
                ×
              </button>
            </div>
          ))}
          <button type="button" className="button link small" disabled={q.options.length >= 20} onClick={() => onChange({ options: [...q.options, ''] })}>
            + {t('svAddOption')}
          </button>
        </fieldset>
      )}
      {q.kind === 'scale' && <p className="hint">{t('svScaleRange', { max: SCALE_MAX })}</p>}
      {q.kind === 'text' && <p className="hint">{t('svTextHint')}</p>}
      <Checkbox label={t('svFieldRequired')} checked={q.required} onChange={(required) => onChange({ required })} />
      {errors?.length ? (
        <p className="field-error" role="alert">
          {errors.join('；')}
        </p>
      ) : null}
    </>
  );
}
