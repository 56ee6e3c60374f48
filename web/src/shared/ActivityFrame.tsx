import type { ReactNode } from 'react';
import { Link } from 'react-router';
import type { Activity } from '../api/types';
import { useI18n } from '../i18n';
import { Loaded } from './components';
import { useApi } from './queries';

/** A page about one activity: loads it, and puts the way back to its course's schedule above `children`. */
export function ActivityFrame({ id, children }: { id: string; children: (activity: Activity) => ReactNode }) {
  const { t } = useI18n();
  const activity = useApi<Activity>(`/activities/${id}`);
  return (
    <Loaded state={activity}>
      {(a) => (
        <section>
          <p>
            <Link to={`/courses/${a.courseId}`}>← {t('scheduleTitle')}</Link>
          </p>
          {children(a)}
        </section>
      )}
    </Loaded>
  );
}
