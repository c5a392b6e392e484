/**
 * A client of a running `calm serve` over its real socket: declare an
 * incident, log notes and read the stored timeline (timeline-stream.ts
 * follows the live one).
 */

const headers = (token: string) => ({
  authorization: `Bearer ${token}`,
  'content-type': 'application/json',
});

/** The new incident's key, and its version: the number of entries declaring it wrote. */
export async function declareIncident(url: string, token: string) {
  const response = await fetch(`${url}/api/incidents`, {
    method: 'POST',
    headers: headers(token),
    body: JSON.stringify({ title: 'Checkout returns 500', services: ['checkout'] }),
  });
  if (response.status !== 201) throw new Error(`declare: ${response.status}`);
  const { incident } = (await response.json()) as { incident: { key: string; version: number } };
  return { key: incident.key, version: incident.version };
}

/** Logs a note; the status code, so a caller can tell what the server acknowledged. */
export async function postNote(url: string, token: string, key: string, text: string) {
  const response = await fetch(`${url}/api/incidents/${key}/timeline`, {
    method: 'POST',
    headers: headers(token),
    body: JSON.stringify({ text }),
  });
  await response.arrayBuffer();
  return response.status;
}

/** Every note in the store, in entry order, following the pages. */
export async function readNotes(url: string, token: string, key: string): Promise<string[]> {
  const notes: string[] = [];
  let cursor: string | null = '0';
  while (cursor !== null) {
    const response = await fetch(
      `${url}/api/incidents/${key}/timeline?limit=500&cursor=${cursor}`,
      {
        headers: headers(token),
      },
    );
    if (response.status !== 200) throw new Error(`timeline: ${response.status}`);
    const page = (await response.json()) as {
      items: { body: { kind: string; text?: string } }[];
      nextCursor: string | null;
    };
    for (const entry of page.items)
      if (entry.body.kind === 'note') notes.push(entry.body.text ?? '');
    cursor = page.nextCursor;
  }
  return notes;
}
