/**
 * Looks at something every `intervalMs` until `ready` says yes, and returns
 * what it last saw; past `timeoutMs`, fails naming what it waited for and
 * (with `shown`) what it last saw.
 */
export async function waitFor<T>(
  look: () => T,
  ready: (seen: T) => boolean,
  what: string,
  { timeoutMs = 20_000, intervalMs = 20, shown }: { timeoutMs?: number; intervalMs?: number; shown?: (seen: T) => string } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const seen = look();
    if (ready(seen)) return seen;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${shown ? `; ${shown(seen)}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Waits until `ready()` is true (see waitFor). */
export async function until(ready: () => boolean, what: string, options: { timeoutMs?: number; intervalMs?: number } = {}): Promise<void> {
  await waitFor(ready, (yes) => yes, what, options);
}
