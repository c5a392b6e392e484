/**
 * A failure as a service logs it: a message and a stack trace in the
 * service's language (a Spring service's Java trace, an Express service's
 * Node trace), the service's own frames under its package or folder, then
 * the framework's frames, as real traces read.
 */
import type { Service } from './catalog.js';

export interface Failure {
  /** The HTTP status the request ends with. */
  status: number;
  /** What the service logs. */
  message: string;
  /** The exception's type (`java.lang.NumberFormatException`, `SyntaxError`). */
  type: string;
  /** The first line of the trace after the type. */
  detail: string;
  /** The whole trace, lines joined with \n. */
  stack: string;
}

interface Trace {
  type: string;
  detail: string;
  /** The service's own frames, innermost first: `Class.method(File.java:42)` or `fn (file.js:1:2)`. */
  frames: string[];
  /** Library frames before the service's own (innermost). */
  library?: string[];
  causedBy?: string;
}

const SPRING_TAIL = [
  'org.springframework.web.servlet.FrameworkServlet.processRequest(FrameworkServlet.java:1014)',
  'jakarta.servlet.http.HttpServlet.service(HttpServlet.java:590)',
  'org.apache.catalina.core.ApplicationFilterChain.doFilter(ApplicationFilterChain.java:138)',
  'org.apache.tomcat.util.threads.ThreadPoolExecutor$Worker.run(ThreadPoolExecutor.java:659)',
  'java.base/java.lang.Thread.run(Thread.java:1583)',
];
const EXPRESS_TAIL = [
  'Layer.handle [as handle_request] (/app/node_modules/express/lib/router/layer.js:95:5)',
  'next (/app/node_modules/express/lib/router/route.js:149:13)',
  'process.processTicksAndRejections (node:internal/process/task_queues:95:5)',
];

function render(service: Service, trace: Trace): string {
  if (service.language === 'java') {
    const own = trace.frames.map((f) => `\tat ${service.codeRoot}.${f}`);
    const lib = (trace.library ?? []).map((f) => `\tat ${f}`);
    const tail = SPRING_TAIL.map((f) => `\tat ${f}`);
    const cause = trace.causedBy ? [`Caused by: ${trace.causedBy}`, '\t... 12 more'] : [];
    return [`${trace.type}: ${trace.detail}`, ...lib, ...own, ...tail, ...cause].join('\n');
  }
  const own = trace.frames.map((f) => `    at ${f.replace('(', `(${service.codeRoot}/`)}`);
  const lib = (trace.library ?? []).map((f) => `    at ${f}`);
  const tail = EXPRESS_TAIL.map((f) => `    at ${f}`);
  return [`${trace.type}: ${trace.detail}`, ...lib, ...own, ...tail].join('\n');
}

export function failure(
  service: Service,
  status: number,
  message: string,
  traces: { java: Trace; node: Trace },
): Failure {
  const trace = traces[service.language];
  return { status, message, type: trace.type, detail: trace.detail, stack: render(service, trace) };
}
