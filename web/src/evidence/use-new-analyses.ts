/**
 * Calls `onNew` when someone saves an analysis of this incident (here, in
 * another browser or with `calm analyze --attach`): the live timeline's new
 * entries, from the incident's version on, include the findings that name it.
 */
import { useEffect } from 'react';
import type { TimelineEntry } from '../types.ts';

const NAMES_AN_ANALYSIS = /^calm analyze, analysis \d+ /;

export function useNewAnalyses(incidentKey: string, after: number | undefined, onNew: () => void) {
  useEffect(() => {
    if (after === undefined) return;
    const source = new EventSource(`/api/incidents/${incidentKey}/events?after=${after}`);
    let frame = 0;
    source.addEventListener('entry', (event) => {
      const { body } = JSON.parse((event as MessageEvent<string>).data) as TimelineEntry;
      if (body.kind !== 'finding' || !NAMES_AN_ANALYSIS.test(body.source ?? '')) return;
      // one analysis brings a dozen findings: the list is read again once for them
      frame ||= requestAnimationFrame(() => {
        frame = 0;
        onNew();
      });
    });
    return () => {
      cancelAnimationFrame(frame);
      source.close();
    };
  }, [incidentKey, after, onNew]);
}
