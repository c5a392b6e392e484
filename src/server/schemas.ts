/** Request schemas shared by the routes, with the limits every string and list has. */
import { z } from 'zod';
import { AUDIENCES, LOGGABLE_KINDS } from '../core/timeline/entry.js';

export const LIMITS = {
  /** Whole request body (Fastify bodyLimit). */
  bodyBytes: 1024 * 1024,
  text: 100_000,
  title: 300,
  name: 100,
  list: 50,
  page: 500,
} as const;

export const shortText = (max: number = LIMITS.title) => z.string().trim().min(1).max(max);
export const longText = z.string().min(1).max(LIMITS.text);
export const services = z.array(shortText(LIMITS.name)).max(LIMITS.list);

export const incidentParams = z.object({
  incident: z.string().regex(/^(inc-)?\d{1,9}$/i, 'an incident key such as INC-3'),
});

/** A point in time: epoch milliseconds or an ISO 8601 string with a zone. */
export const instant = z.union([
  z.number().int().nonnegative(),
  z.iso.datetime({ offset: true }).transform((s) => Date.parse(s)),
]);

export const idParams = z.object({
  id: z.coerce
    .number()
    .int()
    .positive()
    .max(2 ** 31 - 1),
});

export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(LIMITS.page).default(100),
  cursor: z.string().max(40).optional(),
});

export const logKind = z.enum(LOGGABLE_KINDS);
export const audience = z.enum(AUDIENCES);

export const errorSchema = z.object({
  error: z.object({ code: z.string(), message: z.string() }),
});
