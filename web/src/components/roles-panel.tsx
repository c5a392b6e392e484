/** Who does what: commander, communications lead, scribe, responders; assign or remove. */
import { type FormEvent, useState } from 'react';
import { messageOf, post } from '../api.ts';
import { canWrite, useSession } from '../session.ts';
import type { IncidentState } from '../types.ts';

const ROLES = [
  { key: 'commander', title: 'Commander' },
  { key: 'communications', title: 'Communications' },
  { key: 'scribe', title: 'Scribe' },
  { key: 'responder', title: 'Responder' },
] as const;
type RoleKey = (typeof ROLES)[number]['key'];

export function RolesPanel({ incident }: { incident: IncidentState }) {
  const { user } = useSession();
  const [role, setRole] = useState<RoleKey>('commander');
  const [person, setPerson] = useState('');
  const [error, setError] = useState<string | null>(null);
  const change = async (body: { role: RoleKey; person: string; remove?: boolean }) => {
    setError(null);
    try {
      await post(`/api/incidents/${incident.key}/roles`, body);
      return true;
    } catch (failure) {
      setError(messageOf(failure));
      return false;
    }
  };
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (person.trim() && (await change({ role, person: person.trim() }))) setPerson('');
  };
  const holders: { role: RoleKey; person: string }[] = [
    ...(['commander', 'communications', 'scribe'] as const).flatMap((r) => {
      const holder = incident.roles[r];
      return holder ? [{ role: r, person: holder }] : [];
    }),
    ...incident.roles.responders.map((p) => ({ role: 'responder' as const, person: p })),
  ];
  const writable = canWrite(user);
  return (
    <section className="card" aria-labelledby="roles-title">
      <h2 id="roles-title">Roles</h2>
      {holders.length === 0 && <p className="muted">Nobody holds a role yet.</p>}
      <ul className="plain">
        {holders.map((h) => (
          <li key={`${h.role}:${h.person}`} className="row">
            <span className="grow">
              <strong>{ROLES.find((r) => r.key === h.role)?.title}</strong>: {h.person}
            </span>
            {writable && (
              <button
                type="button"
                className="small ghost"
                aria-label={`Remove ${h.person} as ${h.role}`}
                onClick={() => change({ ...h, remove: true })}
              >
                Remove
              </button>
            )}
          </li>
        ))}
      </ul>
      {writable && (
        <form className="row" onSubmit={submit}>
          <select
            aria-label="Role"
            value={role}
            onChange={(e) => setRole(e.target.value as RoleKey)}
          >
            {ROLES.map((r) => (
              <option key={r.key} value={r.key}>
                {r.title}
              </option>
            ))}
          </select>
          <input
            className="grow"
            aria-label="Person"
            placeholder="name"
            value={person}
            onChange={(e) => setPerson(e.target.value)}
          />
          <button type="submit">Assign</button>
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
