import { useI18n } from '../../../i18n';
import { useAuth } from '../../../shared/auth';
import { formatDateTime } from '../../../shared/format';
import { useApiAll } from '../../../shared/queries';
import { useCourses } from '../../courses/api';
import type { Survey, SurveyState } from '../api';

/** The department (not a unit admin) and instructors write surveys; the department reads every survey's results. */
export function useAuthorRole() {
  const { me } = useAuth();
  const department = me?.role === 'admin' && !me.unitId;
  return { me, department, author: department || me?.role === 'instructor' };
}

/** Whom a survey asks, in words: the course's title or the unit's name where the reader can see them. */
export function useAudienceLabel(): (s: Survey) => string {
  const { t } = useI18n();
  const { department } = useAuthorRole();
  const courses = useCourses();
  const units = useApiAll<{ id: string; name: string }>('/units', {}, { enabled: department });
  return (s) => {
    if (s.audience.kind === 'course') {
      const title = courses.data?.items.find((c) => c.id === s.audience.courseId)?.title;
      return title ? t('svAudienceCourseNamed', { title }) : t('svAudienceCourse');
    }
    if (s.audience.kind === 'unit') {
      const name = units.data?.items.find((u) => u.id === s.audience.unitId)?.name;
      return name ? t('svAudienceUnitNamed', { name }) : t('svAudienceUnit');
    }
    return t('svAudienceAll');
  };
}

/** The window of a survey in Beijing time: when it opens (before then), closes, or closed. */
export function WhenLine({ survey: s, state }: { survey: Survey; state: SurveyState }) {
  const { t, lang } = useI18n();
  if (state === 'upcoming') return <>{t('svOpensAt', { time: formatDateTime(s.opensAt, lang) })}</>;
  if (state === 'closed') return <>{t('svClosedAt', { time: formatDateTime(s.closesAt, lang) })}</>;
  return <>{t('svClosesAt', { time: formatDateTime(s.closesAt, lang) })}</>;
}
