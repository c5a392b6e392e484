/*
 * Kubernetes container logs as the runtime (containerd, CRI-O) writes them
 * under /var/log/pods and /var/log/containers, the CRI logging format:
 *
 *   2016-10-06T00:17:09.669794202Z stdout F a whole line
 *   2016-10-06T00:17:09.669794202Z stderr P the first part of a long line,
 *   2016-10-06T00:17:09.669801357Z stderr F  and its last part
 *
 * <RFC 3339 stamp> <stream> <tags> <payload>. The first tag is P for a part
 * of a line the runtime split (at 16 KiB by default) and F for a whole line
 * or the last part; more tags may follow, joined by ":". This reads the
 * wrapper only: the reader joins the parts of a line per stream and reads the
 * payload through the parsers of the other formats (`parseInner`).
 */
import type { Draft } from './fields.js';
import { parseStamp, stampOut } from './time.js';

/** The CRI wrapper of a line into the draft: time, stream, partial, payload as message. */
export function parseCri(s: string, d: Draft): boolean {
  const c = s.charCodeAt(0);
  if (!(c >= 48 && c <= 57) || s.charCodeAt(4) !== 45) return false;
  const t = parseStamp(s, 0, d.clock);
  if (Number.isNaN(t)) return false;
  let i = stampOut.end;
  if (s.charCodeAt(i) !== 32) return false;
  i++;
  let stream: number;
  if (s.startsWith('stdout ', i)) stream = 1;
  else if (s.startsWith('stderr ', i)) stream = 2;
  else return false;
  i += 7;
  const tag = s.charCodeAt(i);
  if (tag !== 70 && tag !== 80) return false;
  i++;
  if (s.charCodeAt(i) === 58) {
    // more tags: "F:x"
    const sp = s.indexOf(' ', i);
    i = sp === -1 ? s.length : sp;
  }
  if (i < s.length && s.charCodeAt(i) !== 32) return false;
  d.time = t;
  d.timeRank = 0;
  d.stream = stream;
  d.partial = tag === 80;
  d.message = i + 1 >= s.length ? '' : s.slice(i + 1);
  d.fromLog = true;
  return true;
}
