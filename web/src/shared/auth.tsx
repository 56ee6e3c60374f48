import { useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, ApiError, type Me, session } from '../api/client';

interface Auth {
  me: Me | null;
  /** True until the stored token has been checked. */
  checking: boolean;
  /** Why the user is on the login page: the login expired, or they logged out (then no way back). */
  interrupted: 'expired' | 'logout' | null;
  mustChangePassword: boolean;
  login(username: string, password: string): Promise<Me>;
  /** After a password change: the fresh token. */
  replaceToken(token: string): Promise<void>;
  logout(): void;
}

const AuthContext = createContext<Auth | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | null>(null);
  const [checking, setChecking] = useState(() => Boolean(session.token()));
  const [interrupted, setInterrupted] = useState<'expired' | 'logout' | null>(null);
  const [mustChangePassword, setMustChange] = useState(false);
  // Cached answers belong to whoever was signed in: a new sign-in or a sign-out starts with none.
  const queryClient = useQueryClient();

  const loadMe = useCallback(async () => {
    const loaded = await api<Me>('/me');
    setMe(loaded);
    setMustChange(Boolean(loaded.mustChangePassword));
    return loaded;
  }, []);

  useEffect(() => {
    session.onInterrupt((reason) => {
      if (reason === 'expired') {
        session.setToken(null);
        setMe(null);
        setInterrupted('expired');
      } else {
        setMustChange(true);
      }
    });
    if (session.token()) {
      loadMe()
        .catch((error: unknown) => {
          if (error instanceof ApiError && error.status === 401) session.setToken(null);
        })
        .finally(() => setChecking(false));
    }
  }, [loadMe]);

  const login = useCallback(
    async (username: string, password: string) => {
      const answer = await api<{ accessToken: string }>('/auth/login', { method: 'POST', body: { username, password }, anonymous: true });
      session.setToken(answer.accessToken);
      queryClient.clear();
      setInterrupted(null);
      return loadMe();
    },
    [loadMe, queryClient],
  );

  const replaceToken = useCallback(
    async (token: string) => {
      session.setToken(token);
      await loadMe();
    },
    [loadMe],
  );

  const logout = useCallback(() => {
    session.setToken(null);
    queryClient.clear();
    setMe(null);
    setMustChange(false);
    setInterrupted('logout');
  }, [queryClient]);

  const value = useMemo(
    () => ({ me, checking, interrupted, mustChangePassword, login, replaceToken, logout }),
    [me, checking, interrupted, mustChangePassword, login, replaceToken, logout],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): Auth {
  const value = useContext(AuthContext);
  if (!value) throw new Error('useAuth outside AuthProvider');
  return value;
}

export function isStaff(me: Me | null): boolean {
  return me?.role === 'admin' || me?.role === 'instructor';
}
