/**
 * The form sent with XMLHttpRequest rather than fetch: only it reports the
 * upload's progress. Same headers as every write (api.ts): the CSRF token
 * and an Idempotency-Key, so a retried upload saves one analysis.
 */
import { ApiError, csrfToken, idempotencyKey, LOGGED_OUT_EVENT } from '../api.ts';
import type { AnalysisSummary, Report } from './report-types.ts';

export function uploadEvidence(
  incidentKey: string,
  form: FormData,
  onProgress: (share: number) => void,
): Promise<{ analysis: AnalysisSummary; report: Report }> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', `/api/incidents/${incidentKey}/analyses`);
    request.setRequestHeader('accept', 'application/json');
    request.setRequestHeader('x-csrf-token', csrfToken());
    request.setRequestHeader('idempotency-key', idempotencyKey());
    request.responseType = 'json';
    request.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    request.upload.onload = () => onProgress(1);
    request.onerror = () => reject(new Error('the upload did not reach the server; try again'));
    request.onload = () => {
      const body = request.response as { error?: { code: string; message: string } } | null;
      if (request.status >= 200 && request.status < 300) return resolve(request.response);
      if (request.status === 401) window.dispatchEvent(new Event(LOGGED_OUT_EVENT));
      reject(
        new ApiError(
          request.status,
          body?.error?.code ?? 'http_error',
          body?.error?.message ?? `the server answered ${request.status}`,
        ),
      );
    };
    request.send(form);
  });
}
