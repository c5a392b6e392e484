import { useState } from 'react';
import { applyTheme, nextTheme, savedTheme } from '../theme.ts';

const LABELS = { system: 'System theme', light: 'Light theme', dark: 'Dark theme' } as const;

/** Cycles system → light → dark; the button says which is on and what a press does. */
export function ThemeToggle() {
  const [theme, setTheme] = useState(savedTheme);
  const next = nextTheme(theme);
  return (
    <button
      type="button"
      className="ghost"
      title={`Switch to ${LABELS[next].toLowerCase()}`}
      onClick={() => {
        applyTheme(next);
        setTheme(next);
      }}
    >
      {LABELS[theme]}
    </button>
  );
}
