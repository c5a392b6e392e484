/**
 * What the blameless linter found, each with the words that read as blame
 * marked in their sentence, why, and a system-focused way to say it.
 */
import type { BlameFinding } from '../types.ts';

function Marked({ finding }: { finding: BlameFinding }) {
  const at = finding.sentence.indexOf(finding.match);
  if (at < 0) return <q>{finding.sentence}</q>;
  return (
    <q>
      {finding.sentence.slice(0, at)}
      <mark>{finding.match}</mark>
      {finding.sentence.slice(at + finding.match.length)}
    </q>
  );
}

export function BlameFindings({ findings, id }: { findings: BlameFinding[]; id?: string }) {
  if (findings.length === 0) return null;
  return (
    <div className="blame-findings" id={id}>
      <p className="warn-text small">
        {findings.length === 1
          ? 'This reads as blame:'
          : `${findings.length} places read as blame:`}
      </p>
      <ul className="plain">
        {findings.map((f) => (
          <li key={`${f.start}-${f.match}`}>
            <Marked finding={f} /> — {f.message}.
            <br />
            <span className="suggestion-text">Try: {f.suggestion}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
