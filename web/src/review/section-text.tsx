/**
 * A postmortem section's text as the draft writes it: paragraphs split by
 * blank lines, lines starting "- " a list, `_..._` a prompt for the team to
 * answer (shown muted). Everything is rendered as text.
 */
const PROMPT = /^_(.+)_$/s;

function Paragraph({ block }: { block: string }) {
  const lines = block.split('\n');
  if (lines.every((line) => line.startsWith('- '))) {
    return (
      <ul>
        {lines.map((line, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: the lines of a fixed text
          <li key={i}>{line.slice(2)}</li>
        ))}
      </ul>
    );
  }
  const prompt = PROMPT.exec(block)?.[1];
  if (prompt) return <p className="prompt">{prompt}</p>;
  return <p>{block}</p>;
}

export function SectionText({ text }: { text: string }) {
  const blocks = text.split(/\n\s*\n/).filter((block) => block.trim());
  return (
    <div className="section-text">
      {blocks.map((block, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: the paragraphs of a fixed text
        <Paragraph key={i} block={block.trim()} />
      ))}
    </div>
  );
}
