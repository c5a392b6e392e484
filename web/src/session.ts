import { createContext, useContext } from 'react';
import type { User } from './types.ts';

export interface Session {
  user: User;
  logout(): void;
}

export const SessionContext = createContext<Session | null>(null);

/** The logged-in user; the pages that use it are only shown after login. */
export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside the logged-in app');
  return session;
}

/** Responders and admins write to incidents; viewers only read. */
export const canWrite = (user: User) => user.role !== 'viewer';
