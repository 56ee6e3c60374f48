import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { api, type PlanProblem } from '../../../api/client';
import type { Activity, ActivitySummary, ActivityType, Course, CourseDetail, MakeUpPolicy, Section } from '../../../api/types';
import { type MessageKey, type Translate, useI18n } from '../../../i18n';
import { Loaded, Spinner } from '../../../shared/components';
import { errorText, toApiError } from '../../../shared/errors';
import { Errors, num, str } from '../../../shared/form-values';
import { formatDateTime, formatHours, fromBeijingInput, toBeijingInput } from '../../../shared/format';
import { Checkbox, Field, FormError, Notice } from '../../../shared/forms';
import { COURSE_STATUS_KEYS, TYPE_KEYS } from '../../../shared/labels';
import { useApi } from '../../../shared/queries';
import { emptyQuestion, questionBody, QuestionEditor, QuestionValues, questionValues, splitTags } from '../../question-bank/components/QuestionEditor';
import { VideoUpload } from '../../video-upload/components/VideoUpload';
import { useCourse } from '../api';

/** The label of a field named by the API (validation messages and publish problems). */
const FIELD_KEYS: Record<string, MessageKey> = {
  title: 'activityTitle',
  description: 'courseDescription',
  startsAt: 'startsAt',
  endsAt: 'endsAt',
  requiredCreditHours: 'requiredCreditHours',
  requiredSessions: 'requiredSessions',
  graceDays: 'graceDays',
  makeUpPolicy: 'makeUpPolicy',
  makeUpUntil: 'makeUpUntil',
  sectionId: 'activitySection',
  creditHours: 'creditHours',
  opensAt: 'opensAt',
  dueAt: 'dueAt',
  durationSeconds: 'durationSeconds',
  completionPercent: 'completionPercent',
  body: 'readingBody',
  minReflectionLength: 'minReflectionLength',
  passPercent: 'passPercent',
  maxAttempts: 'maxAttempts',
  timeLimitMinutes: 'timeLimitMinutes',
  questions: 'questions',
  prompt: 'discussionPrompt',
  minPosts: 'minPosts',
  minReplies: 'minReplies',
  minPostLength: 'minPostLength',
  location: 'location',
  speaker: 'speakerLabel',
};

function fieldLabel(field: string, t: Translate): string {
  const draw = /^bank\.draws\.(\d+)/.exec(field);
  if (draw) return t('drawCountField', { n: Number(draw[1]) + 1 });
  if (field.startsWith('bank')) return t('quizBankTitle');
  const question = /^questions\.(\d+)/.exec(field);
  if (question) return t('question', { n: Number(question[1]) + 1 });
  const key = FIELD_KEYS[field];
  return key ? t(key) : field;
}

/** Splits an API error into per-field messages and the rest; publish problems count as field messages. */
function splitError(e: unknown, t: Translate): { fields: Errors; other: string[]; problems?: PlanProblem[] } {
  const error = toApiError(e);
  if (error.code === 'PLAN_INVALID' && error.body.problems) return { fields: {}, other: [], problems: error.body.problems };
  if (error.status !== 400) return { fields: {}, other: [errorText(error, t)] };
  return error.fieldErrors();
}

// ------------------------------------------------------------------------------------------------ course form

interface CourseFormValues {
  title: string;
  description: string;
  startsAt: string;
  endsAt: string;
  requiredCreditHours: string;
  requiredSessions: string;
  graceDays: string;
  makeUpPolicy: MakeUpPolicy;
  makeUpUntil: string;
}

function courseValues(course?: Course): CourseFormValues {
  return {
    title: course?.title ?? '',
    description: course?.description ?? '',
    startsAt: toBeijingInput(course?.startsAt),
    endsAt: toBeijingInput(course?.endsAt),
    requiredCreditHours: course ? String(course.requiredCreditHours) : '',
    requiredSessions: course ? String(course.requiredSessions) : '',
    graceDays: course ? String(course.graceDays) : '',
    makeUpPolicy: course?.makeUpPolicy ?? 'until_end',
    makeUpUntil: toBeijingInput(course?.makeUpUntil),
  };
}

function CourseForm({ course, problems, onSaved }: { course?: Course; problems?: PlanProblem[]; onSaved: (course: Course) => void }) {
  const { t } = useI18n();
  const [values, setValues] = useState(() => courseValues(course));
  const [errors, setErrors] = useState<Errors>({});
  const [other, setOther] = useState<string[]>();
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  const set = (key: keyof CourseFormValues) => (e: { target: { value: string } }) => {
    setValues((v) => ({ ...v, [key]: e.target.value }));
    setSaved(false);
  };

  // Publish problems about the course itself appear beside its fields.
  const shown: Errors = { ...errors };
  for (const p of problems ?? []) if (p.activityId === null && p.field !== 'activities') (shown[p.field] ??= []).push(p.message);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setErrors({});
    setOther(undefined);
    setSaved(false);
    const body = {
      title: values.title.trim(),
      description: values.description.trim() || (course ? null : undefined),
      startsAt: fromBeijingInput(values.startsAt) ?? '',
      endsAt: fromBeijingInput(values.endsAt) ?? '',
      requiredCreditHours: num(values.requiredCreditHours),
      requiredSessions: num(values.requiredSessions),
      graceDays: num(values.graceDays),
      makeUpPolicy: values.makeUpPolicy,
      makeUpUntil: values.makeUpPolicy === 'until' ? (fromBeijingInput(values.makeUpUntil) ?? null) : null,
    };
    try {
      const answer = course
        ? await api<Course>(`/courses/${course.id}`, { method: 'PATCH', body })
        : await api<Course>('/courses', { method: 'POST', body });
      setSaved(true);
      onSaved(answer);
    } catch (e) {
      const { fields, other: rest, problems: plan } = splitError(e, t);
      setErrors(fields);
      setOther(plan ? plan.map((p) => p.message) : rest.length ? rest : undefined);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="panel form-grid" onSubmit={submit} noValidate aria-label={course ? t('editorTitle') : t('createCourseTitle')}>
      <Field label={t('courseTitle')} errors={shown.title} className="span-2">
        {(p) => <input {...p} name="title" required value={values.title} onChange={set('title')} />}
      </Field>
      <Field label={t('courseDescription')} errors={shown.description} className="span-2">
        {(p) => <textarea {...p} name="description" rows={3} value={values.description} onChange={set('description')} />}
      </Field>
      <Field label={t('startsAt')} errors={shown.startsAt}>
        {(p) => <input {...p} name="startsAt" type="datetime-local" required value={values.startsAt} onChange={set('startsAt')} />}
      </Field>
      <Field label={t('endsAt')} errors={shown.endsAt}>
        {(p) => <input {...p} name="endsAt" type="datetime-local" required value={values.endsAt} onChange={set('endsAt')} />}
      </Field>
      <Field label={t('requiredCreditHours')} errors={shown.requiredCreditHours}>
        {(p) => <input {...p} name="requiredCreditHours" type="number" min={0} step="0.5" inputMode="decimal" value={values.requiredCreditHours} onChange={set('requiredCreditHours')} />}
      </Field>
      <Field label={t('requiredSessions')} errors={shown.requiredSessions}>
        {(p) => <input {...p} name="requiredSessions" type="number" min={0} step="1" inputMode="numeric" value={values.requiredSessions} onChange={set('requiredSessions')} />}
      </Field>
      <Field label={t('graceDays')} errors={shown.graceDays}>
        {(p) => <input {...p} name="graceDays" type="number" min={0} step="1" inputMode="numeric" value={values.graceDays} onChange={set('graceDays')} />}
      </Field>
      <Field label={t('makeUpPolicy')} errors={shown.makeUpPolicy}>
        {(p) => (
          <select {...p} name="makeUpPolicy" value={values.makeUpPolicy} onChange={set('makeUpPolicy')}>
            <option value="none">{t('makeUpNone')}</option>
            <option value="until_end">{t('makeUpUntilEnd')}</option>
            <option value="until">{t('makeUpUntilSet')}</option>
          </select>
        )}
      </Field>
      {values.makeUpPolicy === 'until' && (
        <Field label={t('makeUpUntil')} errors={shown.makeUpUntil}>
          {(p) => <input {...p} name="makeUpUntil" type="datetime-local" required value={values.makeUpUntil} onChange={set('makeUpUntil')} />}
        </Field>
      )}
      <div className="span-2">
        <FormError messages={other} />
        {saved && course && <Notice>{t('courseSaved')}</Notice>}
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? <Spinner label={t('saving')} /> : course ? t('save') : t('createCourse')}
        </button>
      </div>
    </form>
  );
}

export function NewCoursePage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  return (
    <section>
      <h1>{t('createCourseTitle')}</h1>
      <CourseForm onSaved={(course) => navigate(`/courses/${course.id}/edit`)} />
    </section>
  );
}

// ------------------------------------------------------------------------------------------------ editor page

export function CourseEditorPage() {
  const { id = '' } = useParams();
  const { t } = useI18n();
  const course = useCourse(id);
  const [problems, setProblems] = useState<PlanProblem[]>();
  const [publishing, setPublishing] = useState(false);
  const [publishError, setPublishError] = useState<string[]>();
  const [published, setPublished] = useState(false);

  async function publish() {
    setPublishing(true);
    setPublishError(undefined);
    setProblems(undefined);
    setPublished(false);
    try {
      await api(`/courses/${id}/publish`, { method: 'POST' });
      setPublished(true);
      course.refetch();
    } catch (e) {
      const error = toApiError(e);
      if (error.code === 'PLAN_INVALID' && error.body.problems) setProblems(error.body.problems);
      else setPublishError([errorText(error, t)]);
    } finally {
      setPublishing(false);
    }
  }

  /** An edit of a published course can answer PLAN_INVALID too: show its problems the same way. */
  const onPlanProblems = (list: PlanProblem[]) => setProblems(list);

  return (
    <Loaded state={course}>
      {(c) => {
        const courseProblems = problems?.filter((p) => p.activityId === null) ?? [];
        return (
          <section>
            <div className="page-head">
              <h1>
                {c.title}
                <span className="subtitle">
                  {t('editorTitle')} · <span className={`badge status-${c.status}`}>{t(COURSE_STATUS_KEYS[c.status] ?? 'statusDraft')}</span>
                </span>
              </h1>
              <div className="actions">
                <Link className="button secondary" to={`/courses/${c.id}`}>
                  {t('openSchedule')}
                </Link>
                <Link className="button secondary" to={`/courses/${c.id}/enrollments`}>
                  {t('openEnrollments')}
                </Link>
                <Link className="button secondary" to={`/courses/${c.id}/questions`}>
                  {t('openBank')}
                </Link>
                <Link className="button secondary" to={`/courses/${c.id}/forum`}>
                  {t('openForum')}
                </Link>
                {c.status === 'draft' && (
                  <button type="button" className="button primary" onClick={publish} disabled={publishing}>
                    {publishing ? <Spinner label={t('publishing')} /> : t('publish')}
                  </button>
                )}
              </div>
            </div>
            {published && <Notice>{t('published')}</Notice>}
            <FormError messages={publishError} />
            {problems && problems.length > 0 && (
              <div className="alert alert-error" role="alert" data-testid="publish-problems">
                <p>{t('publishProblems', { n: problems.length })}</p>
                <ul>
                  {problems.map((p, i) => (
                    <li key={i}>
                      {p.activityId ? (
                        <a href={`#activity-${p.activityId}`}>{p.message}</a>
                      ) : (
                        <>
                          {fieldLabel(p.field, t)}：{p.message}
                        </>
                      )}
                    </li>
                  ))}
                </ul>
              </div>
            )}
            <CourseForm key={c.id} course={c} problems={courseProblems} onSaved={() => course.refetch()} />
            <Sections course={c} problems={problems ?? []} reload={course.refetch} onPlanProblems={onPlanProblems} />
          </section>
        );
      }}
    </Loaded>
  );
}

// ------------------------------------------------------------------------------------------------ sections

function Sections({ course, problems, reload, onPlanProblems }: { course: CourseDetail; problems: PlanProblem[]; reload: () => void; onPlanProblems: (p: PlanProblem[]) => void }) {
  const { t } = useI18n();
  const [title, setTitle] = useState('');
  const [errors, setErrors] = useState<Errors>({});
  const [busy, setBusy] = useState(false);
  const noActivities = problems.filter((p) => p.activityId === null && p.field === 'activities');

  async function addSection(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setErrors({});
    try {
      await api<Section>(`/courses/${course.id}/sections`, { method: 'POST', body: { title: title.trim() } });
      setTitle('');
      reload();
    } catch (e) {
      const { fields, other } = splitError(e, t);
      setErrors({ ...fields, ...(other.length ? { title: [...(fields.title ?? []), ...other] } : {}) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="sections-title">
      <h2 id="sections-title">{t('sectionsTitle')}</h2>
      {noActivities.map((p, i) => (
        <p key={i} className="field-error" role="alert">
          {p.message}
        </p>
      ))}
      {course.sections.length === 0 && <p className="empty">{t('noSections')}</p>}
      {course.sections.map((section) => (
        <SectionBlock key={section.id} course={course} section={section} problems={problems} reload={reload} onPlanProblems={onPlanProblems} />
      ))}
      <form className="panel inline-form" onSubmit={addSection} noValidate>
        <Field label={t('sectionTitle')} errors={errors.title}>
          {(p) => <input {...p} name="sectionTitle" value={title} onChange={(e) => setTitle(e.target.value)} placeholder="九月：理论学习" />}
        </Field>
        <button type="submit" className="button secondary" disabled={busy}>
          {busy ? <Spinner label={t('saving')} /> : t('addSection')}
        </button>
      </form>
    </section>
  );
}

function SectionBlock({ course, section, problems, reload, onPlanProblems }: { course: CourseDetail; section: Section; problems: PlanProblem[]; reload: () => void; onPlanProblems: (p: PlanProblem[]) => void }) {
  const { t, lang } = useI18n();
  const [renaming, setRenaming] = useState(false);
  const [title, setTitle] = useState(section.title);
  const [errors, setErrors] = useState<string[]>();
  const [editing, setEditing] = useState<string | 'new' | null>(null);
  const [busyId, setBusyId] = useState<string>();
  const [rowError, setRowError] = useState<Record<string, string>>({});

  async function rename(event: FormEvent) {
    event.preventDefault();
    try {
      await api(`/sections/${section.id}`, { method: 'PATCH', body: { title: title.trim() } });
      setRenaming(false);
      setErrors(undefined);
      reload();
    } catch (e) {
      const { fields, other } = splitError(e, t);
      setErrors([...(fields.title ?? []), ...other]);
    }
  }

  async function archive(activity: ActivitySummary) {
    setBusyId(activity.id);
    try {
      await api(`/activities/${activity.id}/${activity.archivedAt ? 'unarchive' : 'archive'}`, { method: 'POST' });
      setRowError((r) => ({ ...r, [activity.id]: '' }));
      reload();
    } catch (e) {
      const { problems: plan, other } = splitError(e, t);
      if (plan) onPlanProblems(plan);
      else setRowError((r) => ({ ...r, [activity.id]: other.join('；') }));
    } finally {
      setBusyId(undefined);
    }
  }

  return (
    <article className="panel section-block" aria-labelledby={`section-${section.id}`}>
      {renaming ? (
        <form className="inline-form" onSubmit={rename} noValidate>
          <Field label={t('sectionTitle')} errors={errors}>
            {(p) => <input {...p} value={title} onChange={(e) => setTitle(e.target.value)} autoFocus />}
          </Field>
          <button type="submit" className="button primary">
            {t('save')}
          </button>
          <button type="button" className="button secondary" onClick={() => setRenaming(false)}>
            {t('cancel')}
          </button>
        </form>
      ) : (
        <div className="section-head">
          <h3 id={`section-${section.id}`}>{section.title}</h3>
          <button type="button" className="button link" onClick={() => setRenaming(true)} aria-label={`${t('edit')}：${section.title}`}>
            {t('edit')}
          </button>
        </div>
      )}
      {section.activities.length === 0 && <p className="empty">{t('activitiesEmpty')}</p>}
      <ul className="activity-list">
        {section.activities.map((activity) => {
          const own = problems.filter((p) => p.activityId === activity.id);
          return (
            <li key={activity.id} id={`activity-${activity.id}`} className={`activity${activity.archivedAt ? ' archived' : ''}${own.length ? ' has-problems' : ''}`} tabIndex={-1}>
              {editing === activity.id ? (
                <ActivityForm
                  course={course}
                  sectionId={section.id}
                  activityId={activity.id}
                  problems={own}
                  onDone={(saved) => {
                    setEditing(null);
                    if (saved) reload();
                  }}
                  onPlanProblems={onPlanProblems}
                />
              ) : (
                <>
                  <div className="activity-row">
                    <div>
                      <span className="tag">{t(TYPE_KEYS[activity.type])}</span>{' '}
                      <strong>
                        <Link to={`/activities/${activity.id}`}>{activity.title}</Link>
                      </strong>{' '}
                      {activity.archivedAt && <span className="badge">{t('archived')}</span>}
                      <span className="block muted">
                        {activity.required ? t('required') : t('elective')} · {t('hours', { n: formatHours(activity.creditHours) })}
                        {activity.dueAt ? ` · ${t('due', { date: formatDateTime(activity.dueAt, lang) })}` : ''}
                      </span>
                    </div>
                    <div className="actions">
                      <button type="button" className="button secondary small" onClick={() => setEditing(activity.id)} aria-label={`${t('edit')}：${activity.title}`}>
                        {t('edit')}
                      </button>
                      <button type="button" className="button secondary small" disabled={busyId === activity.id} onClick={() => archive(activity)} aria-label={`${activity.archivedAt ? t('unarchive') : t('archive')}：${activity.title}`}>
                        {activity.archivedAt ? t('unarchive') : t('archive')}
                      </button>
                    </div>
                  </div>
                  {activity.type === 'video' && !activity.archivedAt && <VideoUpload activityId={activity.id} title={activity.title} onUploaded={reload} />}
                  {rowError[activity.id] && <p className="field-error" role="alert">{rowError[activity.id]}</p>}
                  {own.length > 0 && (
                    <ul className="problem-list" aria-label={t('problemsOfActivity')}>
                      {own.map((p, i) => (
                        <li key={i} className="field-error" data-field={p.field}>
                          {fieldLabel(p.field, t)}：{p.message}
                        </li>
                      ))}
                    </ul>
                  )}
                </>
              )}
            </li>
          );
        })}
      </ul>
      {editing === 'new' ? (
        <ActivityForm
          course={course}
          sectionId={section.id}
          problems={[]}
          onDone={(saved) => {
            setEditing(null);
            if (saved) reload();
          }}
          onPlanProblems={onPlanProblems}
        />
      ) : (
        <button type="button" className="button secondary" onClick={() => setEditing('new')}>
          {t('addActivity')}
        </button>
      )}
    </article>
  );
}

interface ActivityValues {
  type: ActivityType;
  sectionId: string;
  title: string;
  required: boolean;
  creditHours: string;
  opensAt: string;
  dueAt: string;
  durationSeconds: string;
  completionPercent: string;
  body: string;
  minReflectionLength: string;
  reflectionNeedsApproval: boolean;
  passPercent: string;
  maxAttempts: string;
  timeLimitMinutes: string;
  shuffleOptions: boolean;
  showAnswersAfterSubmit: boolean;
  questions: QuestionValues[];
  bankKeys: string[];
  draws: DrawValues[];
  prompt: string;
  minPosts: string;
  minReplies: string;
  minPostLength: string;
  startsAt: string;
  endsAt: string;
  location: string;
  speaker: string;
}

interface DrawValues {
  tags: string;
  count: string;
}

function activityValues(sectionId: string, activity?: Activity): ActivityValues {
  // The form holds every type's fields at once: each one reads what the activity's own settings have.
  const s: Record<string, unknown> = activity?.settings ?? {};
  return {
    type: activity?.type ?? 'video',
    sectionId: activity?.sectionId ?? sectionId,
    title: activity?.title ?? '',
    required: activity?.required ?? true,
    creditHours: activity ? String(activity.creditHours) : '1',
    opensAt: toBeijingInput(activity?.opensAt),
    dueAt: toBeijingInput(activity?.dueAt),
    durationSeconds: str(s.durationSeconds),
    completionPercent: str(s.completionPercent),
    body: str(s.body),
    minReflectionLength: str(s.minReflectionLength),
    reflectionNeedsApproval: Boolean(s.reflectionNeedsApproval),
    passPercent: str(s.passPercent ?? (activity ? '' : '60')),
    maxAttempts: str(s.maxAttempts ?? (activity ? '' : '3')),
    timeLimitMinutes: str(s.timeLimitMinutes),
    shuffleOptions: Boolean(s.shuffleOptions),
    showAnswersAfterSubmit: Boolean(s.showAnswersAfterSubmit),
    questions: Array.isArray(s.questions) ? (s.questions as Record<string, unknown>[]).map(questionValues) : [emptyQuestion()],
    bankKeys: Array.isArray((s.bank as { keys?: unknown })?.keys) ? ((s.bank as { keys: string[] }).keys) : [],
    draws: Array.isArray((s.bank as { draws?: unknown })?.draws)
      ? (s.bank as { draws: Array<{ tags?: string[]; count: number }> }).draws.map((d) => ({ tags: (d.tags ?? []).join('，'), count: String(d.count) }))
      : [],
    prompt: str(s.prompt),
    minPosts: str(s.minPosts),
    minReplies: str(s.minReplies),
    minPostLength: str(s.minPostLength),
    startsAt: toBeijingInput(s.startsAt as string | undefined),
    endsAt: toBeijingInput(s.endsAt as string | undefined),
    location: str(s.location),
    speaker: str(s.speaker),
  };
}

function activityBody(v: ActivityValues, creating: boolean): Record<string, unknown> {
  const clear = creating ? undefined : null;
  const common = {
    ...(creating ? { type: v.type } : {}),
    sectionId: v.sectionId,
    title: v.title.trim(),
    required: v.required,
    creditHours: num(v.creditHours) ?? 0,
    opensAt: fromBeijingInput(v.opensAt) ?? clear,
    dueAt: fromBeijingInput(v.dueAt) ?? clear,
  };
  switch (v.type) {
    case 'video':
      return { ...common, durationSeconds: num(v.durationSeconds), completionPercent: num(v.completionPercent) };
    case 'reading':
      return { ...common, body: v.body, minReflectionLength: num(v.minReflectionLength), reflectionNeedsApproval: v.reflectionNeedsApproval };
    case 'quiz':
      return {
        ...common,
        passPercent: num(v.passPercent),
        maxAttempts: num(v.maxAttempts),
        timeLimitMinutes: num(v.timeLimitMinutes) ?? clear,
        shuffleOptions: v.shuffleOptions,
        showAnswersAfterSubmit: v.showAnswersAfterSubmit,
        questions: v.questions.map(questionBody),
        // Sent on every edit so that clearing the choices clears them; a new quiz without bank questions sends none.
        ...(creating && !v.bankKeys.length && !v.draws.length
          ? {}
          : { bank: { keys: v.bankKeys, draws: v.draws.map((d) => ({ tags: splitTags(d.tags), count: num(d.count) })) } }),
      };
    case 'discussion':
      return { ...common, prompt: v.prompt, minPosts: num(v.minPosts), minReplies: num(v.minReplies), minPostLength: num(v.minPostLength) };
    case 'session':
      return { ...common, startsAt: fromBeijingInput(v.startsAt) ?? '', endsAt: fromBeijingInput(v.endsAt) ?? '', location: v.location.trim(), speaker: v.speaker.trim() || clear };
  }
}

function ActivityForm(props: { course: CourseDetail; sectionId: string; activityId?: string; problems: PlanProblem[]; onDone: (saved: boolean) => void; onPlanProblems: (p: PlanProblem[]) => void }) {
  const { activityId } = props;
  const loaded = useApi<Activity>(`/activities/${activityId}`, undefined, { enabled: Boolean(activityId) });
  if (activityId) {
    return <Loaded state={loaded}>{(activity) => <ActivityFormBody {...props} activity={activity} />}</Loaded>;
  }
  return <ActivityFormBody {...props} />;
}

function ActivityFormBody({ course, sectionId, activity, problems, onDone, onPlanProblems }: { course: CourseDetail; sectionId: string; activity?: Activity; problems: PlanProblem[]; onDone: (saved: boolean) => void; onPlanProblems: (p: PlanProblem[]) => void }) {
  const { t } = useI18n();
  const creating = !activity;
  const [v, setV] = useState<ActivityValues>(() => activityValues(sectionId, activity));
  const [errors, setErrors] = useState<Errors>({});
  const [other, setOther] = useState<string[]>();
  const [busy, setBusy] = useState(false);
  const set = <K extends keyof ActivityValues>(key: K, value: ActivityValues[K]) => setV((old) => ({ ...old, [key]: value }));
  const text = (key: keyof ActivityValues) => (e: { target: { value: string } }) => set(key, e.target.value as never);

  // Validation errors from the last save, plus this activity's publish problems.
  const shown: Errors = { ...errors };
  for (const p of problems) (shown[p.field] ??= []).push(p.message);
  const questionErrors = (i: number) => {
    const prefix = `questions.${i}`;
    const out: Errors = {};
    for (const [field, messages] of Object.entries(shown)) {
      if (field === prefix) (out.prompt ??= []).push(...messages);
      else if (field.startsWith(`${prefix}.`)) (out[field.slice(prefix.length + 1)] ??= []).push(...messages);
    }
    return out;
  };
  const listedFields = new Set(['type', 'sectionId', 'title', 'required', 'creditHours', 'opensAt', 'dueAt', 'durationSeconds', 'completionPercent', 'body', 'minReflectionLength', 'reflectionNeedsApproval', 'passPercent', 'maxAttempts', 'timeLimitMinutes', 'shuffleOptions', 'showAnswersAfterSubmit', 'questions', 'prompt', 'minPosts', 'minReplies', 'minPostLength', 'startsAt', 'endsAt', 'location', 'speaker']);
  const unplaced = Object.entries(shown)
    .filter(([field]) => !listedFields.has(field) && !field.startsWith('questions.') && !field.startsWith('bank'))
    .flatMap(([field, messages]) => messages.map((m) => `${field}: ${m}`));

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setErrors({});
    setOther(undefined);
    try {
      const body = activityBody(v, creating);
      if (creating) await api(`/courses/${course.id}/activities`, { method: 'POST', body });
      else await api(`/activities/${activity.id}`, { method: 'PATCH', body });
      onDone(true);
    } catch (e) {
      const { fields, other: rest, problems: plan } = splitError(e, t);
      if (plan) {
        onPlanProblems(plan);
        const mine: Errors = {};
        const elsewhere: string[] = [];
        for (const p of plan) {
          if (p.activityId === activity?.id) (mine[p.field] ??= []).push(p.message);
          else elsewhere.push(p.message);
        }
        setErrors(mine);
        setOther(elsewhere.length ? elsewhere : undefined);
      } else {
        setErrors(fields);
        setOther(rest.length ? rest : undefined);
      }
    } finally {
      setBusy(false);
    }
  }

  const type = v.type;
  return (
    <form className="activity-form form-grid" onSubmit={submit} noValidate aria-label={creating ? t('addActivity') : `${t('edit')}：${activity.title}`}>
      <Field label={t('activityType')} errors={shown.type}>
        {(p) => (
          <select {...p} name="type" value={type} disabled={!creating} onChange={(e) => set('type', e.target.value as ActivityType)}>
            {(['video', 'reading', 'quiz', 'discussion', 'session'] as const).map((k) => (
              <option key={k} value={k}>
                {t(TYPE_KEYS[k])}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label={t('activitySection')} errors={shown.sectionId}>
        {(p) => (
          <select {...p} name="sectionId" value={v.sectionId} onChange={text('sectionId')}>
            {course.sections.map((s) => (
              <option key={s.id} value={s.id}>
                {s.title}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label={t('activityTitle')} errors={shown.title} className="span-2">
        {(p) => <input {...p} name="title" value={v.title} onChange={text('title')} required />}
      </Field>
      <Field label={t('creditHours')} errors={shown.creditHours}>
        {(p) => <input {...p} name="creditHours" type="number" min={0} step="0.5" inputMode="decimal" value={v.creditHours} onChange={text('creditHours')} />}
      </Field>
      <Checkbox label={t('activityRequired')} checked={v.required} onChange={(on) => set('required', on)} errors={shown.required} />
      {type !== 'session' && (
        <>
          <Field label={t('opensAt')} errors={shown.opensAt}>
            {(p) => <input {...p} name="opensAt" type="datetime-local" value={v.opensAt} onChange={text('opensAt')} />}
          </Field>
          <Field label={t('dueAt')} errors={shown.dueAt}>
            {(p) => <input {...p} name="dueAt" type="datetime-local" value={v.dueAt} onChange={text('dueAt')} />}
          </Field>
        </>
      )}

      {type === 'video' && (
        <>
          <Field label={t('durationSeconds')} errors={shown.durationSeconds}>
            {(p) => <input {...p} name="durationSeconds" type="number" min={1} step="1" inputMode="numeric" value={v.durationSeconds} onChange={text('durationSeconds')} />}
          </Field>
          <Field label={t('completionPercent')} errors={shown.completionPercent} hint="90">
            {(p) => <input {...p} name="completionPercent" type="number" min={1} max={100} step="1" inputMode="numeric" value={v.completionPercent} onChange={text('completionPercent')} />}
          </Field>
        </>
      )}

      {type === 'reading' && (
        <>
          <Field label={t('readingBody')} errors={shown.body} className="span-2">
            {(p) => <textarea {...p} name="body" rows={8} value={v.body} onChange={text('body')} />}
          </Field>
          <Field label={t('minReflectionLength')} errors={shown.minReflectionLength} hint="300">
            {(p) => <input {...p} name="minReflectionLength" type="number" min={0} step="1" inputMode="numeric" value={v.minReflectionLength} onChange={text('minReflectionLength')} />}
          </Field>
          <Checkbox label={t('reflectionNeedsApproval')} checked={v.reflectionNeedsApproval} onChange={(on) => set('reflectionNeedsApproval', on)} errors={shown.reflectionNeedsApproval} />
        </>
      )}

      {type === 'quiz' && (
        <>
          <Field label={t('passPercent')} errors={shown.passPercent}>
            {(p) => <input {...p} name="passPercent" type="number" min={0} max={100} inputMode="numeric" value={v.passPercent} onChange={text('passPercent')} />}
          </Field>
          <Field label={t('maxAttempts')} errors={shown.maxAttempts}>
            {(p) => <input {...p} name="maxAttempts" type="number" min={1} step="1" inputMode="numeric" value={v.maxAttempts} onChange={text('maxAttempts')} />}
          </Field>
          <Field label={t('timeLimitMinutes')} errors={shown.timeLimitMinutes}>
            {(p) => <input {...p} name="timeLimitMinutes" type="number" min={1} step="1" inputMode="numeric" value={v.timeLimitMinutes} onChange={text('timeLimitMinutes')} />}
          </Field>
          <div>
            <Checkbox label={t('shuffleOptions')} checked={v.shuffleOptions} onChange={(on) => set('shuffleOptions', on)} />
            <Checkbox label={t('showAnswersAfterSubmit')} checked={v.showAnswersAfterSubmit} onChange={(on) => set('showAnswersAfterSubmit', on)} />
          </div>
          <fieldset className="span-2 questions">
            <legend>{t('questions')}</legend>
            {shown.questions && (
              <p className="field-error" role="alert">
                {shown.questions.join('；')}
              </p>
            )}
            {v.questions.map((q, i) => (
              <QuestionEditor
                key={i}
                index={i}
                value={q}
                errors={questionErrors(i)}
                onChange={(next) => set('questions', v.questions.map((old, j) => (j === i ? next : old)))}
                onRemove={v.questions.length > 1 || v.bankKeys.length || v.draws.length ? () => set('questions', v.questions.filter((_, j) => j !== i)) : undefined}
              />
            ))}
            <button type="button" className="button secondary" onClick={() => set('questions', [...v.questions, emptyQuestion()])}>
              {t('addQuestion')}
            </button>
          </fieldset>
          <QuizBankFields courseId={course.id} keys={v.bankKeys} draws={v.draws} errors={shown} onKeys={(keys) => set('bankKeys', keys)} onDraws={(draws) => set('draws', draws)} />
        </>
      )}

      {type === 'discussion' && (
        <>
          <Field label={t('discussionPrompt')} errors={shown.prompt} className="span-2">
            {(p) => <textarea {...p} name="prompt" rows={4} value={v.prompt} onChange={text('prompt')} />}
          </Field>
          <Field label={t('minPosts')} errors={shown.minPosts} hint="1">
            {(p) => <input {...p} name="minPosts" type="number" min={0} step="1" inputMode="numeric" value={v.minPosts} onChange={text('minPosts')} />}
          </Field>
          <Field label={t('minReplies')} errors={shown.minReplies} hint="0">
            {(p) => <input {...p} name="minReplies" type="number" min={0} step="1" inputMode="numeric" value={v.minReplies} onChange={text('minReplies')} />}
          </Field>
          <Field label={t('minPostLength')} errors={shown.minPostLength} hint="0">
            {(p) => <input {...p} name="minPostLength" type="number" min={0} step="1" inputMode="numeric" value={v.minPostLength} onChange={text('minPostLength')} />}
          </Field>
        </>
      )}

      {type === 'session' && (
        <>
          <Field label={t('sessionStartsAt')} errors={shown.startsAt}>
            {(p) => <input {...p} name="startsAt" type="datetime-local" value={v.startsAt} onChange={text('startsAt')} />}
          </Field>
          <Field label={t('sessionEndsAt')} errors={shown.endsAt}>
            {(p) => <input {...p} name="endsAt" type="datetime-local" value={v.endsAt} onChange={text('endsAt')} />}
          </Field>
          <Field label={t('location')} errors={shown.location}>
            {(p) => <input {...p} name="location" value={v.location} onChange={text('location')} />}
          </Field>
          <Field label={t('speakerLabel')} errors={shown.speaker}>
            {(p) => <input {...p} name="speaker" value={v.speaker} onChange={text('speaker')} />}
          </Field>
        </>
      )}

      <div className="span-2">
        <FormError messages={[...(other ?? []), ...unplaced].length ? [...(other ?? []), ...unplaced] : undefined} />
        <div className="actions">
          <button type="submit" className="button primary" disabled={busy}>
            {busy ? <Spinner label={t('saving')} /> : t('save')}
          </button>
          <button type="button" className="button secondary" onClick={() => onDone(false)}>
            {t('cancel')}
          </button>
        </div>
      </div>
    </form>
  );
}

interface BankOption {
  key: string;
  prompt: string;
  tags: string[];
}

/** A quiz's questions from the course bank: some chosen by key, and random draws `{tags, count}`. */
function QuizBankFields({ courseId, keys, draws, errors, onKeys, onDraws }: { courseId: string; keys: string[]; draws: DrawValues[]; errors: Errors; onKeys: (keys: string[]) => void; onDraws: (draws: DrawValues[]) => void }) {
  const { t } = useI18n();
  // A bank holds hundreds of questions at most: the first page of 100 covers the choice; keys chosen beyond it still show.
  const bank = useApi<{ items: BankOption[]; tags: Array<{ tag: string; count: number }> }>(`/courses/${courseId}/questions`, { pageSize: 100 });
  const items = bank.data?.items ?? [];
  const known = new Set(items.map((q) => q.key));
  const choices: Array<BankOption & { missing?: boolean }> = [...items, ...keys.filter((k) => !known.has(k)).map((key) => ({ key, prompt: '', tags: [], missing: true }))];
  const keyErrors = (key: string) => {
    const i = keys.indexOf(key);
    return i < 0 ? undefined : errors[`bank.keys.${i}`];
  };
  const drawErrors = (i: number, part: 'tags' | 'count') =>
    Object.entries(errors)
      .filter(([field]) => (part === 'count' ? field === `bank.draws.${i}.count` || field === `bank.draws.${i}` : field.startsWith(`bank.draws.${i}.tags`)))
      .flatMap(([, messages]) => messages);
  const general = Object.entries(errors)
    .filter(([field]) => field === 'bank' || field === 'bank.keys' || field === 'bank.draws')
    .flatMap(([, messages]) => messages);
  const listId = `draw-tags-${courseId}`;
  const setDraw = (i: number, next: Partial<DrawValues>) => onDraws(draws.map((d, j) => (j === i ? { ...d, ...next } : d)));

  return (
    <fieldset className="span-2 questions quiz-bank">
      <legend>{t('quizBankTitle')}</legend>
      <p className="hint">
        {t('quizBankHint')} <Link to={`/courses/${courseId}/questions`}>{t('openBank')}</Link>
      </p>
      {general.length > 0 && (
        <p className="field-error" role="alert">
          {general.join('；')}
        </p>
      )}
      <fieldset className="choice-list bank-keys">
        <legend>{t('quizBankKeys')}</legend>
        {bank.isFetching && !bank.data && <Spinner />}
        {bank.error && <FormError messages={[errorText(bank.error, t)]} />}
        {bank.data && choices.length === 0 && <p className="empty">{t('quizBankEmpty')}</p>}
        {choices.map((q) => (
          <Checkbox
            key={q.key}
            label={q.missing ? `${q.key} ${t('quizBankMissing')}` : `${q.key} · ${q.prompt}`}
            checked={keys.includes(q.key)}
            errors={keyErrors(q.key)}
            onChange={(on) => onKeys(on ? [...keys, q.key] : keys.filter((k) => k !== q.key))}
          />
        ))}
      </fieldset>
      <datalist id={listId}>
        {bank.data?.tags.map((x) => (
          <option key={x.tag} value={x.tag}>
            {x.tag}（{x.count}）
          </option>
        ))}
      </datalist>
      {draws.map((draw, i) => (
        <fieldset key={i} className="question draw" data-testid={`draw-${i}`}>
          <legend>{t('drawTitle', { n: i + 1 })}</legend>
          <div className="form-grid">
            <Field label={t('drawTags')} errors={drawErrors(i, 'tags')} hint={bank.data?.tags.length ? bank.data.tags.map((x) => `${x.tag}（${x.count}）`).join('、') : undefined}>
              {(p) => <input {...p} name={`draw-${i}-tags`} list={listId} value={draw.tags} onChange={(e) => setDraw(i, { tags: e.target.value })} autoComplete="off" />}
            </Field>
            <Field label={t('drawCount')} errors={drawErrors(i, 'count')}>
              {(p) => <input {...p} name={`draw-${i}-count`} type="number" min={1} step="1" inputMode="numeric" value={draw.count} onChange={(e) => setDraw(i, { count: e.target.value })} />}
            </Field>
          </div>
          <button type="button" className="button link danger-text" onClick={() => onDraws(draws.filter((_, j) => j !== i))}>
            {t('removeDraw')}
          </button>
        </fieldset>
      ))}
      <button type="button" className="button secondary" onClick={() => onDraws([...draws, { tags: '', count: '1' }])}>
        {t('addDraw')}
      </button>
    </fieldset>
  );
}
