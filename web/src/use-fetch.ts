import { useCallback, useEffect, useState } from 'react';
import { get, messageOf } from './api.ts';

export interface Fetched<T> {
  data: T | undefined;
  error: string | null;
  reload(): void;
}

/** GETs `path` (again whenever it changes, or on reload()); null fetches nothing. */
export function useFetch<T>(path: string | null): Fetched<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<string | null>(null);
  const [round, setRound] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: round asks for the same path again
  useEffect(() => {
    if (path === null) return;
    let current = true;
    get<T>(path)
      .then((result) => {
        if (!current) return;
        setData(result);
        setError(null);
      })
      .catch((failure) => current && setError(messageOf(failure)));
    return () => {
      current = false;
    };
  }, [path, round]);
  const reload = useCallback(() => setRound((n) => n + 1), []);
  return { data, error, reload };
}
