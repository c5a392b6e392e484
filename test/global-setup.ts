import { execFileSync } from 'node:child_process';
import type { TestProject } from 'vitest/node';
import { type Cluster, startThrowawayPostgres } from './support/postgres-cluster.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A PostgreSQL server for the tests (see test/support/postgres-cluster.ts). */
    pgUrl: string;
  }
}

/**
 * End-to-end tests run the built binary, so build it once before they start;
 * and start the PostgreSQL server the store and API tests use.
 */
export default async function setup(project: TestProject): Promise<() => void> {
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
  let cluster: Cluster | undefined;
  let url = process.env.CALM_TEST_PG_URL;
  if (!url) {
    cluster = await startThrowawayPostgres();
    url = cluster.url;
  }
  project.provide('pgUrl', url);
  return () => cluster?.stop();
}
