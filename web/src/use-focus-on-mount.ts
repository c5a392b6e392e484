import { useEffect, useRef } from 'react';

/**
 * A ref that is focused once the element appears: the field a page is for
 * (login name, incident title, the quick-log box, a reason just asked for).
 */
export function useFocusOnMount<T extends HTMLElement>() {
  const ref = useRef<T>(null);
  useEffect(() => ref.current?.focus(), []);
  return ref;
}
