/*
 * The format of a file, judged from its first lines (blank and continuation
 * lines aside): each format's parser is tried on each line, and the most
 * specific format that reads at least 80% as many lines as the best one
 * wins. When no format reads at least 30% of the lines, the file is plain
 * text without times.
 */
import { parseAccess } from './access.js';
import { parseCri } from './cri.js';
import { Draft } from './fields.js';
import { parseJson } from './json.js';
import { parseLogfmt } from './logfmt.js';
import { continuesTrace, crashLevel, isContinuationLike } from './multiline.js';
import { parsePlain } from './plain.js';
import { parseSyslog3164, parseSyslog5424 } from './syslog.js';
import { Clock, Zone } from './time.js';

/**
 * json: one JSON object per line (Docker's json-file too). cri: Kubernetes
 * container logs ("<stamp> stdout F <line>"). logfmt: key=value pairs.
 * access: nginx or Apache access log (common or combined, optional request
 * time). syslog-3164 / syslog-5424: syslog as files keep it. plain: text
 * lines opening with a timestamp. text: anything else, one event per line
 * without a time.
 */
export type LogFormat =
  | 'json'
  | 'cri'
  | 'logfmt'
  | 'access'
  | 'syslog-3164'
  | 'syslog-5424'
  | 'plain'
  | 'text';

/** Most specific first: a syslog line is also a plain line, never the reverse. */
export const FORMATS: readonly LogFormat[] = [
  'json',
  'cri',
  'syslog-5424',
  'access',
  'syslog-3164',
  'logfmt',
  'plain',
  'text',
];

export function isBlank(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 11 && c !== 12 && c !== 13 && c !== 0xfeff) return false;
  }
  return true;
}

/** Lines that take part in detection: not blank, not part of a stack trace or crash report. */
export function isCandidate(s: string): boolean {
  return (
    s.length > 0 &&
    !isBlank(s) &&
    !isContinuationLike(s) &&
    crashLevel(s) === undefined &&
    !continuesTrace(s)
  );
}

function matches(format: LogFormat, line: string, d: Draft): boolean {
  d.reset();
  switch (format) {
    case 'json':
      return parseJson(line, d);
    case 'cri':
      return parseCri(line, d);
    case 'syslog-5424':
      return parseSyslog5424(line, d);
    case 'access':
      return parseAccess(line, d);
    case 'syslog-3164':
      return parseSyslog3164(line, d, true);
    case 'logfmt':
      return parseLogfmt(line, d);
    case 'plain':
      return parsePlain(line, d);
    default:
      return true;
  }
}

export interface Detection {
  format: LogFormat;
  /** Lines judged (blank and continuation lines aside). */
  sampled: number;
  /** Of those, lines the chosen format reads. */
  matched: number;
}

/** The format of a sample of lines (typically the first 50 candidate lines of a file). */
export function detectFormat(lines: readonly string[], clock?: Clock): Detection {
  const d = new Draft(clock ?? new Clock(new Zone('UTC'), Date.now()));
  const counts = new Map<LogFormat, number>();
  let sampled = 0;
  for (const line of lines) {
    if (!isCandidate(line)) continue;
    sampled++;
    for (const format of FORMATS) {
      if (format !== 'text' && matches(format, line, d)) {
        counts.set(format, (counts.get(format) ?? 0) + 1);
      }
    }
  }
  let best = 0;
  for (const n of counts.values()) best = Math.max(best, n);
  if (best === 0 || best < sampled * 0.3) {
    return { format: 'text', sampled, matched: sampled };
  }
  for (const format of FORMATS) {
    const n = counts.get(format) ?? 0;
    if (n >= best * 0.8) return { format, sampled, matched: n };
  }
  return { format: 'text', sampled, matched: sampled };
}
