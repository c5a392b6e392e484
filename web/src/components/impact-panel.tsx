/** Who and what is affected, as recorded; a new record adds to it (POST .../impact). */
import { type FormEvent, useState } from 'react';
import { messageOf, post } from '../api.ts';
import { canWrite, useSession } from '../session.ts';
import type { IncidentState } from '../types.ts';

const AFFECTED = [
  { key: 'all', label: 'all customers' },
  { key: 'subset', label: 'some customers' },
  { key: 'internal', label: 'internal users only' },
  { key: 'none', label: 'nobody yet' },
] as const;

function ImpactSummary({ impact }: { impact: IncidentState['impact'] }) {
  const facts = [
    impact.affected && `Affected: ${AFFECTED.find((a) => a.key === impact.affected)?.label}`,
    impact.description,
    impact.customerFacingServices?.length &&
      `Customer-facing: ${impact.customerFacingServices.join(', ')}`,
    impact.workaroundAvailable !== undefined &&
      (impact.workaroundAvailable ? 'A workaround exists' : 'No workaround'),
    impact.dataLost && 'Data lost',
    impact.dataBreached && 'Data breached',
  ].filter((fact): fact is string => typeof fact === 'string' && fact !== '');
  if (facts.length === 0) return <p className="muted">No impact recorded yet.</p>;
  return (
    <ul className="plain impact-facts">
      {facts.map((fact) => (
        <li key={fact}>{fact}</li>
      ))}
    </ul>
  );
}

export function ImpactPanel({ incident }: { incident: IncidentState }) {
  const { user } = useSession();
  const [affected, setAffected] = useState('');
  const [description, setDescription] = useState('');
  const [workaround, setWorkaround] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const impact = {
      ...(affected ? { affected } : {}),
      ...(description.trim() ? { description: description.trim() } : {}),
      ...(workaround ? { workaroundAvailable: workaround === 'yes' } : {}),
    };
    if (Object.keys(impact).length === 0) return;
    setError(null);
    try {
      await post(`/api/incidents/${incident.key}/impact`, { impact });
      setAffected('');
      setDescription('');
      setWorkaround('');
    } catch (failure) {
      setError(messageOf(failure));
    }
  };
  return (
    <section className="card" aria-labelledby="impact-title">
      <h2 id="impact-title">Impact</h2>
      <ImpactSummary impact={incident.impact} />
      {canWrite(user) && (
        <form className="stack compact" onSubmit={submit}>
          <label>
            What do people see?
            <input value={description} onChange={(e) => setDescription(e.target.value)} />
          </label>
          <div className="row">
            <label className="grow">
              Who is affected?
              <select value={affected} onChange={(e) => setAffected(e.target.value)}>
                <option value="">unchanged</option>
                {AFFECTED.map((a) => (
                  <option key={a.key} value={a.key}>
                    {a.label}
                  </option>
                ))}
              </select>
            </label>
            <label className="grow">
              Workaround?
              <select value={workaround} onChange={(e) => setWorkaround(e.target.value)}>
                <option value="">unchanged</option>
                <option value="yes">yes</option>
                <option value="no">no</option>
              </select>
            </label>
          </div>
          <button type="submit">Record impact</button>
        </form>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
