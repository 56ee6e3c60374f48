import { Link } from 'react-router';
import { useI18n } from '../../../i18n';
import { isStaff, useAuth } from '../../../shared/auth';
import { Loaded } from '../../../shared/components';
import { formatDate } from '../../../shared/format';
import { COURSE_STATUS_KEYS } from '../../../shared/labels';
import { useCourses } from '../api';

export function CoursesPage() {
  const { t, lang } = useI18n();
  const { me } = useAuth();
  const staff = isStaff(me);
  const state = useCourses();
  const canCreate = me?.role === 'instructor' || (me?.role === 'admin' && !me.unitId);

  return (
    <section>
      <div className="page-head">
        <h1>{staff ? t('coursesTitle') : t('myCoursesTitle')}</h1>
        {canCreate && (
          <Link className="button primary" to="/courses/new">
            {t('newCourse')}
          </Link>
        )}
      </div>
      <Loaded state={state}>
        {(page) =>
          page.items.length === 0 ? (
            <p className="empty">{t('noCourses')}</p>
          ) : (
            <ul className="cards">
              {page.items.map((course) => (
                <li key={course.id} className="card">
                  <h2>
                    <Link to={`/courses/${course.id}`}>{course.title}</Link>
                  </h2>
                  <p className="meta">
                    <span className={`badge status-${course.status}`}>{t(COURSE_STATUS_KEYS[course.status] ?? 'statusDraft')}</span>{' '}
                    {t('period')}：{formatDate(course.startsAt, lang)} – {formatDate(course.endsAt, lang)}
                  </p>
                  {course.description && <p className="description">{course.description}</p>}
                  <div className="actions">
                    <Link className="button secondary" to={`/courses/${course.id}`}>
                      {t('openSchedule')}
                    </Link>
                    {staff && (
                      <>
                        {(me?.role === 'instructor' || !me?.unitId) && (
                          <Link className="button secondary" to={`/courses/${course.id}/edit`}>
                            {t('openEditor')}
                          </Link>
                        )}
                        <Link className="button secondary" to={`/courses/${course.id}/enrollments`}>
                          {t('openEnrollments')}
                        </Link>
                        <Link className="button secondary" to={`/courses/${course.id}/report`}>
                          {t('openDashboard')}
                        </Link>
                        {me?.role === 'admin' && (
                          <Link className="button secondary" to={`/courses/${course.id}/certificates`}>
                            {t('certTitle')}
                          </Link>
                        )}
                      </>
                    )}
                  </div>
                </li>
              ))}
            </ul>
          )
        }
      </Loaded>
    </section>
  );
}
