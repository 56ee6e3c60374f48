import { useQuery } from '@tanstack/react-query';
import { api, type Page } from '../../api/client';
import { apiKey, useApi, useApiMutation } from '../../shared/queries';
import type { Schema } from '../../api/types';

export type Notification = Schema<'NotificationResponse'>;

const NOTIFICATIONS = '/me/notifications';

export function useNotifications(page: number, pageSize: number, unreadOnly: boolean) {
  return useApi<Page<Notification> & { unread: number }>(NOTIFICATIONS, { page, pageSize, unread: unreadOnly ? 'true' : undefined });
}

/** How many notifications are unread, for the navigation; reading one (useMarkRead) counts again. */
export function useUnreadCount(enabled: boolean): number {
  const query = { unread: 'true', pageSize: 1 };
  const unread = useQuery({
    queryKey: apiKey(NOTIFICATIONS, query),
    queryFn: () => api<{ unread: number }>(NOTIFICATIONS, { query }),
    select: (answer) => answer.unread,
    enabled,
  });
  return unread.data ?? 0;
}

/** Marks one notification read (or all, without an id): the list and the header's count load again. */
export function useMarkRead() {
  return useApiMutation(
    (id?: string) => api(id ? `${NOTIFICATIONS}/${id}/read` : `${NOTIFICATIONS}/read-all`, { method: 'POST' }),
    () => [NOTIFICATIONS],
  );
}

/** The weekly digest by mail, on or off. */
export function usePreferences() {
  return useApi<{ weeklyDigest: boolean }>('/me/preferences');
}

export function useSetDigest() {
  return useApiMutation((weeklyDigest: boolean) => api<{ weeklyDigest: boolean }>('/me/preferences', { method: 'PATCH', body: { weeklyDigest } }), () => ['/me/preferences']);
}
