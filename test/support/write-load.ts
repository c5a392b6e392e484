/**
 * Several concurrent writers logging numbered notes to one incident, spread
 * over one or more servers, each keeping a ledger of what happened to every
 * note: acknowledged (2xx), refused (another status), or unknown (the
 * connection failed, so the note may or may not have been stored). A writer
 * stops at its quota, on stop(), or when its server stops answering.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { postNote } from './timeline-client.js';

export interface WriteLoadOptions {
  urls: string[];
  token: string;
  key: string;
  writers: number;
  /** Notes per writer; unlimited when absent (stop it, or stop the server). */
  quota?: number;
  /** A pause between one writer's notes, to spread the load over time. */
  pauseMs?: number;
  label?: string;
}

export interface WriteLoad {
  acknowledged: string[];
  refused: { text: string; status: number }[];
  unknown: string[];
  /** Resolves when every writer has stopped. */
  done: Promise<void>;
  /** Resolves once `count` notes are acknowledged (or every writer stopped). */
  acknowledgedAtLeast(count: number): Promise<void>;
  stop(): void;
}

export function startWriteLoad(options: WriteLoadOptions): WriteLoad {
  const { urls, token, key, quota = Number.POSITIVE_INFINITY, pauseMs = 0 } = options;
  const label = options.label ?? 'note';
  const load = {
    acknowledged: [] as string[],
    refused: [] as { text: string; status: number }[],
    unknown: [] as string[],
  };
  let stopped = false;

  async function writer(index: number): Promise<void> {
    const url = urls[index % urls.length] ?? '';
    for (let n = 1; n <= quota && !stopped; n++) {
      const text = `${label} w${index} #${n}`;
      try {
        const status = await postNote(url, token, key, text);
        if (status >= 200 && status < 300) load.acknowledged.push(text);
        else load.refused.push({ text, status });
      } catch {
        load.unknown.push(text);
        return;
      }
      if (pauseMs) await sleep(pauseMs);
    }
  }

  const done = Promise.all(Array.from({ length: options.writers }, (_, i) => writer(i))).then(
    () => {},
  );
  let finished = false;
  void done.then(() => {
    finished = true;
  });
  return {
    ...load,
    done,
    async acknowledgedAtLeast(count) {
      while (load.acknowledged.length < count && !finished) await sleep(5);
    },
    stop() {
      stopped = true;
    },
  };
}
