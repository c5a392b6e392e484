/**
 * The schema of an exported incident (`calm export --format json`,
 * calm.incident/v1), which `calm import` and POST /api/import check a file
 * against before anything is written. Every entry kind is described field by
 * field and unknown fields are refused: a file this Calm does not fully
 * understand is refused, never half-imported. The incident's state is only
 * checked in outline here; import replays the timeline and compares (import.ts).
 */
import { z } from 'zod';
import { CAUSE_CATEGORIES } from '../core/cause/categories.js';
import { HYPOTHESIS_STATUSES } from '../core/hypothesis/hypothesis.js';
import { AFFECTED } from '../core/incident/impact.js';
import { STATUSES } from '../core/incident/lifecycle.js';
import { MILESTONES } from '../core/incident/milestones.js';
import { ROLES } from '../core/incident/roles.js';
import {
  ACTION_ITEM_KINDS,
  ACTION_ITEM_PRIORITIES,
  ACTION_ITEM_STATUSES,
} from '../core/review/action-item.js';
import {
  PERSONAL_POSTMORTEM_SECTIONS,
  POSTMORTEM_SECTIONS,
  POSTMORTEM_STATUSES,
} from '../core/review/postmortem-record.js';
import { AUDIENCES, type EntryKind } from '../core/timeline/entry.js';

const text = z.string();
const instant = z.number().int().nonnegative();
const categories = z.array(z.enum(Object.keys(CAUSE_CATEGORIES) as [string, ...string[]]));

const impact = z.strictObject({
  affected: z.enum(AFFECTED).optional(),
  customerFacingServices: z.array(text).optional(),
  dataLost: z.boolean().optional(),
  dataBreached: z.boolean().optional(),
  workaroundAvailable: z.boolean().optional(),
  canRollBack: z.boolean().optional(),
  description: text.optional(),
});

const actionItemFields = {
  title: text,
  kind: z.enum(ACTION_ITEM_KINDS),
  priority: z.enum(ACTION_ITEM_PRIORITIES),
  status: z.enum(ACTION_ITEM_STATUSES),
  owner: text.optional(),
  due: text.optional(),
  link: text.optional(),
};

/** One schema per entry kind; the Record makes a new kind without a schema a type error. */
const BODIES: Record<EntryKind, z.ZodObject> = {
  declared: z.strictObject({
    kind: z.literal('declared'),
    title: text,
    summary: text,
    services: z.array(text),
    personal: z.literal(true).optional(),
  }),
  note: z.strictObject({ kind: z.literal('note'), text }),
  impact: z.strictObject({ kind: z.literal('impact'), impact, text: text.optional() }),
  action: z.strictObject({ kind: z.literal('action'), text }),
  hypothesis: z.strictObject({
    kind: z.literal('hypothesis'),
    number: z.number().int().positive(),
    status: z.enum(HYPOTHESIS_STATUSES),
    text,
    reason: text.optional(),
  }),
  finding: z.strictObject({
    kind: z.literal('finding'),
    text,
    source: text.optional(),
    evidence: z
      .strictObject({
        templates: z.array(text).optional(),
        stacks: z.array(z.strictObject({ fingerprint: text, signature: text })).optional(),
      })
      .optional(),
  }),
  status_update: z.strictObject({
    kind: z.literal('status_update'),
    audience: z.enum(AUDIENCES),
    text,
  }),
  communication: z.strictObject({
    kind: z.literal('communication'),
    to: text,
    via: text,
    text: text.optional(),
  }),
  decision: z.strictObject({ kind: z.literal('decision'), text }),
  root_cause: z.strictObject({
    kind: z.literal('root_cause'),
    text,
    categories,
    root: z.boolean(),
  }),
  action_item: z.strictObject({
    kind: z.literal('action_item'),
    number: z.number().int().positive(),
    item: z.strictObject(actionItemFields),
  }),
  action_item_changed: z.strictObject({
    kind: z.literal('action_item_changed'),
    number: z.number().int().positive(),
    changes: z.strictObject(actionItemFields).partial(),
    reason: text.optional(),
  }),
  postmortem_section: z.strictObject({
    kind: z.literal('postmortem_section'),
    section: z.enum([...POSTMORTEM_SECTIONS, ...PERSONAL_POSTMORTEM_SECTIONS]),
    text,
  }),
  postmortem_status: z.strictObject({
    kind: z.literal('postmortem_status'),
    status: z.enum(POSTMORTEM_STATUSES),
    reason: text.optional(),
  }),
  severity_changed: z.strictObject({
    kind: z.literal('severity_changed'),
    from: text.nullable(),
    to: text,
    reason: text,
  }),
  status_changed: z.strictObject({
    kind: z.literal('status_changed'),
    from: z.enum(STATUSES),
    to: z.enum(STATUSES),
    reason: text.optional(),
  }),
  role_changed: z.strictObject({
    kind: z.literal('role_changed'),
    role: z.enum(ROLES),
    person: text,
    change: z.enum(['assigned', 'removed']),
    previous: text.optional(),
  }),
  milestone: z.strictObject({ kind: z.literal('milestone'), milestone: z.enum(MILESTONES) }),
  details_changed: z.strictObject({
    kind: z.literal('details_changed'),
    title: text.optional(),
    summary: text.optional(),
    services: z.array(text).optional(),
  }),
  correction: z.strictObject({
    kind: z.literal('correction'),
    target: z.number().int().positive(),
    action: z.enum(['amend', 'strike']),
    text: text.optional(),
    reason: text,
  }),
};

const body = z.discriminatedUnion(
  'kind',
  Object.values(BODIES) as unknown as [z.ZodObject, ...z.ZodObject[]],
);

const entry = z.strictObject({
  incidentId: z.number().int().positive(),
  seq: z.number().int().positive(),
  occurredAt: instant,
  recordedAt: instant,
  author: text,
  body,
});

export const incidentFileSchema = z.strictObject({
  format: z.literal('calm.incident/v1'),
  /** The key the incident was first declared under; absent in files from before imports. */
  origin: z.strictObject({ key: z.string().regex(/^INC-\d+$/) }).optional(),
  incident: z.looseObject({
    id: z.number().int().positive(),
    key: z.string(),
    version: z.number().int().positive(),
  }),
  entries: z.array(entry).min(1),
});

export type IncidentFile = z.infer<typeof incidentFileSchema>;
