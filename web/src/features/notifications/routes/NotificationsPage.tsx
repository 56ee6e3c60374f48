import { useState } from 'react';
import { Link } from 'react-router';
import { useI18n } from '../../../i18n';
import { PagedList } from '../../../shared/PagedTable';
import { Loaded } from '../../../shared/components';
import { errorText, toApiError } from '../../../shared/errors';
import { formatDateTime } from '../../../shared/format';
import { FormError } from '../../../shared/forms';
import { DigestSwitch } from '../components/DigestSwitch';
import { useMarkRead, useNotifications } from '../api';


const PAGE_SIZE = 20;

export function NotificationsPage() {
  const { t, lang } = useI18n();
  const [page, setPage] = useState(1);
  const [unreadOnly, setUnreadOnly] = useState(false);
  const list = useNotifications(page, PAGE_SIZE, unreadOnly);
  const markRead = useMarkRead();
  const [error, setError] = useState<string>();

  async function run(action: () => Promise<unknown>) {
    setError(undefined);
    try {
      await action();
    } catch (e) {
      setError(errorText(toApiError(e), t));
    }
  }

  return (
    <section>
      <div className="page-head">
        <h1>{t('notificationsTitle')}</h1>
        <div className="actions">
          <button type="button" className="button secondary" onClick={() => { setUnreadOnly(!unreadOnly); setPage(1); }} aria-pressed={unreadOnly}>
            {t('notificationsUnreadOnly')}
          </button>
          <button type="button" className="button secondary" onClick={() => run(() => markRead.mutateAsync(undefined))} disabled={!list.data?.unread}>
            {t('notificationsReadAll')}
          </button>
        </div>
      </div>
      <FormError messages={error ? [error] : undefined} />
      <DigestSwitch />
      <Loaded state={list}>
        {(data) => (
          <>
            <p className="muted">{t('notificationsUnread', { n: data.unread })}</p>
            <PagedList data={data} empty={t('notificationsEmpty')} page={page} pageSize={PAGE_SIZE} onPage={setPage} className="notification-list" testId="notifications">
              {(n) => (
                <li key={n.id} className={`notification${n.readAt ? '' : ' unread'}`}>
                  <div className="notification-head">
                    <strong>{n.title}</strong>
                    {!n.readAt && <span className="badge badge-overdue">{t('notificationUnreadBadge')}</span>}
                    <span className="muted">{formatDateTime(n.createdAt, lang)}</span>
                  </div>
                  <p className="notification-body">{n.body}</p>
                  <div className="actions">
                    {n.link && n.link.startsWith('/') && (
                      <Link className="button secondary small" to={n.link} onClick={() => {
                          if (!n.readAt) markRead.mutate(n.id);
                        }}>
                        {t('notificationOpen')}
                      </Link>
                    )}
                    {!n.readAt && (
                      <button type="button" className="button link" onClick={() => run(() => markRead.mutateAsync(n.id))}>
                        {t('notificationMarkRead')}
                      </button>
                    )}
                  </div>
                </li>
              )}
            </PagedList>
          </>
        )}
      </Loaded>
    </section>
  );
}
