/** Adding a component to the public status page: a name customers know, and the services it stands for. */
import { type FormEvent, useState } from 'react';
import { messageOf, post } from '../api.ts';
import { COMPONENT_STATE_LABELS, COMPONENT_STATES, type ComponentState } from '../types.ts';

export function StatusComponentAdd({ onAdded }: { onAdded(): void }) {
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [services, setServices] = useState('');
  const [state, setState] = useState<ComponentState>('operational');
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!name.trim()) return;
    setError(null);
    const list = services
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    try {
      await post('/api/status-page/components', {
        name: name.trim(),
        ...(description.trim() ? { description: description.trim() } : {}),
        ...(list.length ? { services: list } : {}),
        state,
      });
      setName('');
      setDescription('');
      setServices('');
      setState('operational');
      onAdded();
    } catch (failure) {
      setError(messageOf(failure));
    }
  };
  return (
    <form className="card stack compact" aria-labelledby="add-component-title" onSubmit={submit}>
      <h3 id="add-component-title">Add a component</h3>
      <div className="row wrap">
        <label className="grow">
          Component name
          <input
            required
            placeholder="e.g. Checkout"
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
        </label>
        <label className="grow">
          Description
          <input value={description} onChange={(e) => setDescription(e.target.value)} />
        </label>
      </div>
      <div className="row wrap">
        <label className="grow">
          Services it stands for
          <input
            placeholder="e.g. checkout, payments"
            value={services}
            onChange={(e) => setServices(e.target.value)}
          />
        </label>
        <label className="grow">
          Starting state
          <select value={state} onChange={(e) => setState(e.target.value as ComponentState)}>
            {COMPONENT_STATES.map((s) => (
              <option key={s} value={s}>
                {COMPONENT_STATE_LABELS[s]}
              </option>
            ))}
          </select>
        </label>
      </div>
      <button type="submit" className="primary">
        Add component
      </button>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
