import { Link } from 'react-router';
import { type Translate, useI18n } from '../../../i18n';
import { Loaded, ProgressBar, StateBadge } from '../../../shared/components';
import { beijingDay, formatDate, formatDateTime, formatHours } from '../../../shared/format';
import { COURSE_STATUS_KEYS, TYPE_KEYS } from '../../../shared/labels';
import { useApi } from '../../../shared/queries';
import type { Schema } from '../../../api/types';
import { FeaturedCases } from '../../cases/components/FeaturedCases';

type TodoItem = Schema<'TodoItemResponse'>;

type TodoCourse = Schema<'TodoCourseResponse'>;

type Todo = Schema<'LearnerTodoResponse'>;

/** A secretary's first page: what to do next (待办) and how far each course has come. */
export function HomePage() {
  const { t } = useI18n();
  const todo = useApi<Todo>('/me/todo');
  return (
    <section>
      <h1>{t('homeTitle')}</h1>
      <Loaded state={todo}>
        {(data) => (
          <>
            <section aria-labelledby="todo-title" data-testid="todo">
              <h2 id="todo-title">{t('todoTitle')}</h2>
              {data.items.length === 0 ? (
                <div className="empty">
                  <p>{t('todoEmpty')}</p>
                  <p>{t('todoEmptyWhy')}</p>
                </div>
              ) : (
                <ul className="todo-list">
                  {data.items.map((item) => (
                    <TodoEntry key={item.activityId} item={item} />
                  ))}
                </ul>
              )}
            </section>
            <FeaturedCases />
            <section aria-labelledby="my-courses-title">
              <h2 id="my-courses-title">{t('myCoursesTitle')}</h2>
              {data.courses.length === 0 ? (
                <div className="empty">
                  <p>{t('homeNoCourses')}</p>
                  <p>{t('homeNoCoursesWhy')}</p>
                </div>
              ) : (
                <ul className="cards" data-testid="course-cards">
                  {data.courses.map((course) => (
                    <CourseCard key={course.id} course={course} />
                  ))}
                </ul>
              )}
            </section>
          </>
        )}
      </Loaded>
    </section>
  );
}

function TodoEntry({ item }: { item: TodoItem }) {
  const { t, lang } = useI18n();
  const session = item.type === 'session';
  return (
    <li className={`todo-item${item.overdue ? ' todo-overdue' : ''}`} aria-label={item.title}>
      <p className="todo-when">
        <span className={`badge ${item.overdue ? 'badge-overdue' : 'badge-soon'}`}>{whenWords(item, t)}</span>
        <span className="muted">{t(TYPE_KEYS[item.type])}</span>
      </p>
      <Link className="todo-title" to={`/courses/${item.courseId}/activities/${item.activityId}`}>
        {item.title}
      </Link>
      <p className="meta">
        {session ? t('todoStartsAt', { date: formatDateTime(item.dueAt, lang) }) : t('due', { date: formatDateTime(item.dueAt, lang) })}
        {item.location ? ` · ${item.location}` : ''}
      </p>
      <p className="meta todo-foot">
        <span className="todo-course">{item.courseTitle}</span>
        <StateBadge state={item.state} />
      </p>
    </li>
  );
}

/** "已逾期 3 天", "还剩 2 天", "明天举行": counted in Beijing calendar days. */
function whenWords(item: TodoItem, t: Translate): string {
  const now = Date.now();
  const days = beijingDay(item.dueAt) - beijingDay(new Date(now));
  if (item.type === 'session') {
    if (new Date(item.dueAt).getTime() <= now) return t('todoSessionNow');
    return days <= 0 ? t('todoSessionToday') : days === 1 ? t('todoSessionTomorrow') : t('todoSessionInDays', { n: days });
  }
  if (item.overdue) return days === 0 ? t('todoOverdueToday') : t('todoOverdueDays', { n: -days });
  return days <= 0 ? t('todoDueToday') : days === 1 ? t('todoDueTomorrow') : t('todoDueInDays', { n: days });
}

function CourseCard({ course }: { course: TodoCourse }) {
  const { t, lang } = useI18n();
  return (
    <li className="card" aria-label={course.title}>
      <h3>
        <Link to={`/courses/${course.id}`}>{course.title}</Link>
      </h3>
      <p className="meta">
        <span className={`badge status-${course.status}`}>{t(COURSE_STATUS_KEYS[course.status])}</span>{' '}
        {course.completed && <span className="badge state-completed">{t('progressCompleted')}</span>}{' '}
        {t('period')}：{formatDate(course.startsAt, lang)} – {formatDate(course.endsAt, lang)}
      </p>
      {/* Only the figures that apply: a course with no required work, 学时 or sessions shows no 0 / 0. */}
      <dl className="card-figures" data-testid="course-figures">
        {course.requiredTotal > 0 && (
          <Figure label={t('cardRequired')} text={t('progressOf', { done: course.requiredDone, total: course.requiredTotal })} value={course.requiredDone} max={course.requiredTotal} />
        )}
        {course.requiredCreditHours > 0 && (
          <Figure
            label={t('cardHours')}
            text={t('progressOf', { done: formatHours(course.creditHours), total: formatHours(course.requiredCreditHours) })}
            value={course.creditHours}
            max={course.requiredCreditHours}
          />
        )}
        {course.sessionsTotal > 0 && (
          <Figure
            label={t('cardSessions')}
            text={t('progressOf', { done: course.sessionsAttended, total: course.sessionsTotal })}
            note={course.requiredSessions > 0 && course.requiredSessions < course.sessionsTotal ? t('cardSessionsAtLeast', { n: course.requiredSessions }) : undefined}
            value={course.sessionsAttended}
            max={course.sessionsTotal}
          />
        )}
      </dl>
      <div className="actions">
        <Link className="button secondary" to={`/courses/${course.id}`}>
          {t('openSchedule')}
        </Link>
      </div>
    </li>
  );
}

function Figure({ label, text, note, value, max }: { label: string; text: string; note?: string; value: number; max: number }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>
        <span className="figure">{text}</span>
        {note && <span className="muted figure-note">{note}</span>}
        <ProgressBar label={label} value={value} max={max} />
      </dd>
    </div>
  );
}
