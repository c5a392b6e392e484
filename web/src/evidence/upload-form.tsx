/**
 * Files to analyze: log files (required) and the other evidence calm analyze
 * reads, chosen with file inputs or dropped on the form. Sent as one form;
 * the upload's progress is shown, then "Analyzing…" until the report comes.
 */
import { type DragEvent, type FormEvent, useRef, useState } from 'react';
import { ApiError, messageOf } from '../api.ts';
import type { AnalysisSummary, Report } from './report-types.ts';
import { uploadEvidence } from './upload.ts';

const OTHER_INPUTS = [
  [
    'changes',
    'Deploys and changes',
    'JSON lines, JSON or CSV: time, kind, service, version, hosts',
  ],
  ['cron', 'Crontabs', 'crontab files or Kubernetes CronJob YAML'],
  ['metrics', 'Metrics', 'CSV or JSON: timestamp, host, cpu, memory, disk…'],
  ['reports', 'Bug reports', 'CSV or JSON: time, browser, page, description'],
  ['report', 'A saved report', 'instead of log files: a JSON report from calm analyze'],
] as const;

const MIB = 1024 * 1024;
const size = (bytes: number) =>
  bytes >= MIB ? `${Math.round(bytes / MIB)} MiB` : `${Math.ceil(bytes / 1024)} KiB`;

export function UploadForm({
  incidentKey,
  limitBytes,
  onDone,
}: {
  incidentKey: string;
  limitBytes: number | undefined;
  onDone(result: { analysis: AnalysisSummary; report: Report }): void;
}) {
  const form = useRef<HTMLFormElement>(null);
  const logs = useRef<HTMLInputElement>(null);
  const [progress, setProgress] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!form.current || progress) return;
    const data = new FormData(form.current);
    const chosen = (field: string) =>
      data.getAll(field).some((f) => f instanceof File && f.name !== '');
    if (!chosen('logs') && !chosen('report'))
      return setError('Choose at least one log file, or a saved report.');
    let total = 0;
    for (const [name, value] of [...data.entries()])
      if (value instanceof File) {
        // file inputs left empty are not sent
        if (!value.name && value.size === 0) data.delete(name);
        total += value.size;
      }
    if (limitBytes !== undefined && total > limitBytes)
      return setError(
        `The files come to ${size(total)}; the server takes at most ${size(limitBytes)}.`,
      );
    setError(null);
    setProgress('Uploading… 0%');
    try {
      const result = await uploadEvidence(incidentKey, data, (share) =>
        setProgress(share < 1 ? `Uploading… ${Math.floor(share * 100)}%` : 'Analyzing…'),
      );
      form.current?.reset();
      onDone(result);
    } catch (failure) {
      setError(failure instanceof ApiError ? failure.message : messageOf(failure));
    } finally {
      setProgress(null);
    }
  };

  const drop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    if (logs.current && event.dataTransfer.files.length)
      logs.current.files = event.dataTransfer.files;
  };

  return (
    <form
      ref={form}
      className={`card upload-form${dragging ? ' dragging' : ''}`}
      onSubmit={submit}
      onDragOver={(e) => {
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={drop}
      aria-labelledby="upload-heading"
    >
      <h2 id="upload-heading">Analyze logs</h2>
      <p className="small muted">
        Choose log files or drop them here
        {limitBytes ? ` (at most ${size(limitBytes)} in all)` : ''}. The report is saved with the
        incident and its answers are logged as findings.
      </p>
      <label className="field">
        <span>Log files</span>
        <input ref={logs} type="file" name="logs" multiple />
      </label>
      <details className="more-inputs">
        <summary>More evidence (optional)</summary>
        {OTHER_INPUTS.map(([name, label, hint]) => (
          <div key={name} className="field">
            <label htmlFor={`evidence-${name}`}>{label}</label>
            <input
              id={`evidence-${name}`}
              type="file"
              name={name}
              multiple={name !== 'report'}
              aria-describedby={`${name}-hint`}
            />
            <span id={`${name}-hint`} className="small muted">
              {hint}
            </span>
          </div>
        ))}
        <label className="field">
          <span>Time zone of stamps without one</span>
          <input type="text" name="tz" defaultValue={zone} autoComplete="off" />
        </label>
      </details>
      <div className="form-actions">
        <button type="submit" className="primary" disabled={progress !== null}>
          Analyze
        </button>
        <span role="status" className="muted">
          {progress}
        </span>
      </div>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
