import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { REPORT_FORMAT, reportSchema } from '../src/analysis/report/model.js';

const SCHEMA_FILE = resolve(import.meta.dirname, '..', 'schema', 'analysis-report.schema.json');

function generated(): string {
  const schema = z.toJSONSchema(reportSchema, { target: 'draft-2020-12' });
  return `${JSON.stringify({ ...schema, $id: 'https://calm.dev/schema/analysis-report.schema.json', title: `Calm analysis report (${REPORT_FORMAT})` }, null, 2)}\n`;
}

describe('the analysis report JSON Schema', () => {
  it('is kept in the repo and matches the model (UPDATE_SCHEMA=1 rewrites it)', () => {
    if (process.env.UPDATE_SCHEMA) writeFileSync(SCHEMA_FILE, generated());
    expect(readFileSync(SCHEMA_FILE, 'utf8')).toBe(generated());
  });
});
