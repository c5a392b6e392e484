/** One POST of a JSON body; anything but a 2xx answer in time is a failed attempt. */
const TIMEOUT_MS = 10_000;

export class DeliveryError extends Error {
  override readonly name = 'DeliveryError';
}

export async function postJson(
  url: string,
  body: string,
  headers: Record<string, string> = {},
): Promise<void> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
      signal: AbortSignal.timeout(TIMEOUT_MS),
      redirect: 'error',
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    throw new DeliveryError(`${url}: ${cause ?? (error as Error).message}`);
  }
  // The answer's body is not needed; reading it frees the connection.
  const text = await response.text().catch(() => '');
  if (!response.ok)
    throw new DeliveryError(
      `${url} answered ${response.status}${text ? `: ${text.slice(0, 200)}` : ''}`,
    );
}
