import { z } from 'zod';

/** A line that shows an answer: where it is (file:line) and what it says. */
export const evidenceSchema = z.object({
  source: z.string(),
  line: z.number().int().nonnegative(),
  time: z.number().optional().describe('epoch milliseconds (UTC)'),
  host: z.string().optional(),
  text: z.string(),
});

export type Evidence = z.infer<typeof evidenceSchema>;
