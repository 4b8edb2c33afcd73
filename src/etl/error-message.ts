/** An error as one line: the message, with the server's detail when it gives one. */
export function messageOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const { code, detail } = error as { code?: string; detail?: string };
  if (code === DEPENDENT_OBJECTS_STILL_EXIST && detail) return dependentsMessage(error.message, detail);
  if (code === '42P01') return `${error.message}: the schema is not created yet (run sparkify reload, or sparkify reset first)`;
  // load_errors' text column was `raw` before it was renamed raw_line (a Redshift reserved word); an etl keeps the table it finds.
  if (code === '42703' && /relation "load_errors"/.test(error.message)) {
    return `${error.message}: load_errors was made by an earlier version of sparkify (run sparkify reload once to make it anew)`;
  }
  return detail ? `${error.message} (${detail})` : error.message;
}

const DEPENDENT_OBJECTS_STILL_EXIST = '2BP01';

/** A table the run replaces has a view (or other object) of someone else's on it: name it and the way out. */
function dependentsMessage(message: string, detail: string): string {
  const table = /drop table (\S+)/.exec(message)?.[1] ?? 'a table';
  const dependents = detail.split('\n').flatMap((line) => /^(.+?) depends on /.exec(line)?.[1] ?? []);
  const them = dependents.length === 1 ? 'it' : 'them';
  return `cannot replace ${table}: ${dependents.join(', ')} ${dependents.length === 1 ? 'depends' : 'depend'} on it; drop ${them} before the run and create ${them} again after (sparkify replaces its tables whole, and drops nothing it did not create)`;
}
