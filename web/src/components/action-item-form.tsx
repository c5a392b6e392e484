/**
 * The fields of an action item, for adding one or changing it: what to do,
 * its kind (prevent, detect, mitigate, process), priority, owner, due day and
 * where the work is tracked; when changing, its status and, for "won't do",
 * why. Only the fields that differ are sent.
 */
import { type FormEvent, useState } from 'react';
import {
  ACTION_ITEM_KINDS,
  ACTION_ITEM_PRIORITIES,
  ACTION_ITEM_STATUSES,
  type ActionItem,
  type ActionItemFields,
} from '../types.ts';
import { useFocusOnMount } from '../use-focus-on-mount.ts';

export const STATUS_LABELS: Record<ActionItemFields['status'], string> = {
  open: 'open',
  in_progress: 'in progress',
  done: 'done',
  wont_do: "won't do",
};

type Draft = Required<Omit<ActionItemFields, 'kind' | 'priority' | 'status'>> &
  Pick<ActionItemFields, 'kind' | 'priority' | 'status'>;

const draftOf = (item?: ActionItem): Draft => ({
  title: item?.title ?? '',
  kind: item?.kind ?? 'prevent',
  priority: item?.priority ?? 'p2',
  status: item?.status ?? 'open',
  owner: item?.owner ?? '',
  due: item?.due ?? '',
  link: item?.link ?? '',
});

/** What changed from `item` (everything set, for a new one). */
function changesOf(draft: Draft, item?: ActionItem): Partial<ActionItemFields> {
  const before = draftOf(item);
  const changes: Partial<Record<keyof Draft, string>> = {};
  for (const key of Object.keys(draft) as (keyof Draft)[]) {
    const value = draft[key].trim();
    if (value !== before[key] && !(item === undefined && value === '')) changes[key] = value;
  }
  if (item === undefined) delete changes.status;
  return changes as Partial<ActionItemFields>;
}

export function ActionItemForm({
  item,
  onSubmit,
  onCancel,
}: {
  /** The item being changed; none to add one. */
  item?: ActionItem;
  onSubmit(changes: Partial<ActionItemFields>, reason: string): Promise<boolean>;
  onCancel?(): void;
}) {
  const [draft, setDraft] = useState<Draft>(() => draftOf(item));
  const [reason, setReason] = useState('');
  const first = useFocusOnMount<HTMLInputElement>();
  const name = item ? `A${item.number}` : 'new action item';
  const set = (key: keyof Draft) => (e: { target: { value: string } }) =>
    setDraft({ ...draft, [key]: e.target.value });
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const changes = changesOf(draft, item);
    if (Object.keys(changes).length === 0) return onCancel?.();
    if (await onSubmit(changes, reason.trim())) {
      if (!item) setDraft(draftOf());
      setReason('');
    }
  };
  return (
    <form
      className="stack compact action-item-form"
      onSubmit={submit}
      onKeyDown={(e) => e.key === 'Escape' && onCancel?.()}
    >
      <label>
        {item ? `What to do (A${item.number})` : 'What to do'}
        <input
          ref={first}
          required
          value={draft.title}
          onChange={set('title')}
          placeholder="e.g. alert when the connection pool is nearly full"
        />
      </label>
      <div className="row">
        <label className="grow">
          Kind
          <select value={draft.kind} onChange={set('kind')}>
            {ACTION_ITEM_KINDS.map((k) => (
              <option key={k}>{k}</option>
            ))}
          </select>
        </label>
        <label className="grow">
          Priority
          <select value={draft.priority} onChange={set('priority')}>
            {ACTION_ITEM_PRIORITIES.map((p) => (
              <option key={p}>{p}</option>
            ))}
          </select>
        </label>
        {item && (
          <label className="grow">
            Status
            <select value={draft.status} onChange={set('status')}>
              {ACTION_ITEM_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {STATUS_LABELS[s]}
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
      <div className="row">
        <label className="grow">
          Owner
          <input value={draft.owner} onChange={set('owner')} placeholder="who sees it through" />
        </label>
        <label className="grow">
          Due
          <input type="date" value={draft.due} onChange={set('due')} />
        </label>
      </div>
      <label>
        Link
        <input
          inputMode="url"
          value={draft.link}
          onChange={set('link')}
          placeholder="https://… the issue or pull request"
        />
      </label>
      {item && (
        <label>
          Why (needed for won't do)
          <input
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            required={draft.status === 'wont_do' && item.status !== 'wont_do'}
          />
        </label>
      )}
      <div className="row">
        <button type="submit" className="primary">
          {item ? `Save A${item.number}` : 'Add action item'}
        </button>
        {onCancel && (
          <button type="button" className="ghost" onClick={onCancel} aria-label={`Cancel ${name}`}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}
