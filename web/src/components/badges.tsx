/** Status and severity as small labelled badges (the word is always shown, not only a colour). */
export function StatusBadge({ status }: { status: string }) {
  return <span className={`badge status-${status}`}>{status}</span>;
}

export function SeverityBadge({ severity }: { severity: string | null }) {
  if (!severity) return <span className="badge severity-none">no severity</span>;
  const rank = /\d+/.exec(severity)?.[0] ?? 'x';
  return <span className={`badge severity-${rank}`}>{severity}</span>;
}
