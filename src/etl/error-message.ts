/** An error as one line: the message, with the server's detail when it gives one. */
export function messageOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const { code, detail } = error as { code?: string; detail?: string };
  if (code === '42P01') return `${error.message}: the schema is not created yet (run sparkify reload, or sparkify reset first)`;
  return detail ? `${error.message} (${detail})` : error.message;
}
