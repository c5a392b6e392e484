/**
 * The blameless linter as one types (POST /api/review/lint), a moment after
 * the typing stops; an answer for text that has changed since is dropped.
 */
import { useEffect, useState } from 'react';
import { messageOf, post } from '../api.ts';
import type { BlameFinding } from '../types.ts';

const PAUSE_MS = 400;

export function useBlameLint(text: string): { findings: BlameFinding[]; error: string | null } {
  const [findings, setFindings] = useState<BlameFinding[]>([]);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!text.trim()) {
      setFindings([]);
      return;
    }
    let current = true;
    const timer = setTimeout(() => {
      post<{ findings: BlameFinding[] }>('/api/review/lint', { text })
        .then((answer) => {
          if (!current) return;
          setFindings(answer.findings);
          setError(null);
        })
        .catch((failure) => current && setError(messageOf(failure)));
    }, PAUSE_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [text]);
  return { findings, error };
}
