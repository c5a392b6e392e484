/**
 * The charts' colours, read from the style sheet's custom properties so they
 * follow the theme; read again whenever the theme changes (the toggle sets
 * data-theme on <html>, or the system's preference flips).
 */
import { useEffect, useState } from 'react';

export interface Palette {
  text: string;
  muted: string;
  grid: string;
  accent: string;
  danger: string;
  warn: string;
  info: string;
  surface: string;
}

function read(): Palette {
  const style = getComputedStyle(document.documentElement);
  const v = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  return {
    text: v('--text', '#1c2420'),
    muted: v('--muted', '#56615b'),
    grid: v('--border', '#d3dad5'),
    accent: v('--accent', '#1f5f4f'),
    danger: v('--danger', '#a4161a'),
    warn: v('--sev-2', '#b3470e'),
    info: v('--sev-4', '#3f5d75'),
    surface: v('--surface', '#ffffff'),
  };
}

export function usePalette(): Palette {
  const [palette, setPalette] = useState(read);
  useEffect(() => {
    const update = () => setPalette(read());
    const observer = new MutationObserver(update);
    observer.observe(document.documentElement, { attributeFilter: ['data-theme'] });
    const media = matchMedia('(prefers-color-scheme: dark)');
    media.addEventListener('change', update);
    return () => {
      observer.disconnect();
      media.removeEventListener('change', update);
    };
  }, []);
  return palette;
}

/** A colour with some transparency, for fills under a line. */
export function translucent(color: string, alpha: number): string {
  const hex = /^#([0-9a-f]{6})$/i.exec(color)?.[1];
  if (!hex) return color;
  const n = Number.parseInt(hex, 16);
  return `rgba(${n >> 16}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}
