/*
 * Where a file may be cut into pieces that threads read apart: before a line
 * that starts an event. Not inside a stack trace, and not inside a line a
 * container runtime split in parts: a CRI `P` part, or a Docker json-file
 * record whose `log` has no final newline, continues on the next line; and
 * a container's own line (the CRI payload, the Docker `log`) is judged as
 * the line it is, so a stack trace written one record per line is not cut.
 */
import { isCandidate } from './detect.js';

/** The payload of a CRI line ("<stamp> stdout F payload"), or undefined. */
function criPayload(line: string): { partial: boolean; payload: string } | undefined {
  const sp1 = line.indexOf(' ');
  if (sp1 < 20 || sp1 > 40 || line.charCodeAt(4) !== 45) return undefined;
  if (!line.startsWith('stdout ', sp1 + 1) && !line.startsWith('stderr ', sp1 + 1))
    return undefined;
  const tag = line.charCodeAt(sp1 + 8);
  if (tag !== 70 && tag !== 80) return undefined;
  const sp3 = line.indexOf(' ', sp1 + 8);
  return { partial: tag === 80, payload: sp3 < 0 ? '' : line.slice(sp3 + 1) };
}

/** The `log` of a Docker json-file record, or undefined. */
function dockerLog(line: string): string | undefined {
  if (!line.startsWith('{"log":')) return undefined;
  try {
    const record = JSON.parse(line) as { log?: unknown };
    return typeof record.log === 'string' ? record.log : undefined;
  } catch {
    return undefined;
  }
}

/** Whether a piece may start at `line`, given the line before it. */
export function mayCutBefore(previous: string, line: string): boolean {
  const cri = criPayload(line);
  if (cri) return !criPayload(previous)?.partial && isCandidate(cri.payload);
  const log = dockerLog(line);
  if (log !== undefined) {
    const before = dockerLog(previous);
    return (before === undefined || before.endsWith('\n')) && isCandidate(log.trimEnd());
  }
  return isCandidate(line);
}
