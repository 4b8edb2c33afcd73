/** An error as one line: the message, with the server's detail when it gives one. */
export function messageOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const { code, detail } = error as { code?: string; detail?: string };
  if (isDependentsError(error)) return dependentsMessage(tableRefusedDrop(error) ?? 'a table', detail);
  if ((code === '42P01' && /"load_history"/.test(error.message)) || (code === '42703' && /"file_id"/.test(error.message))) {
    return `${error.message}: incremental loads need the tables a reload makes (none yet, or made by an earlier version of sparkify): run sparkify reload once`;
  }
  if (code === '42P01') return `${error.message}: the schema is not created yet (run sparkify reload, or sparkify reset first)`;
  // load_errors' text column was `raw` before it was renamed raw_line (a Redshift reserved word); an etl keeps the table it finds.
  if (code === '42703' && /relation "load_errors"/.test(error.message)) {
    return `${error.message}: load_errors was made by an earlier version of sparkify (run sparkify reload once to make it anew)`;
  }
  return detail ? `${error.message} (${detail})` : error.message;
}

const DEPENDENT_OBJECTS_STILL_EXIST = '2BP01';
const CANNOT_DROP = /cannot drop table \S+ because other objects depend on it/;

/**
 * DROP TABLE refused because of a view on the table: PostgreSQL names the
 * views in the DETAIL ("view v depends on table t"); Redshift sends only
 * the message and a hint to use CASCADE (the swap then adds the detail).
 */
export function isDependentsError(error: unknown): error is Error & { detail?: string } {
  return error instanceof Error && ((error as { code?: string }).code === DEPENDENT_OBJECTS_STILL_EXIST || CANNOT_DROP.test(error.message));
}

/** The table a DROP TABLE refused because of its dependents, as the server names it. */
export function tableRefusedDrop(error: Error): string | null {
  return /drop table (\S+)/.exec(error.message)?.[1] ?? null;
}

/** A table the run replaces has a view (or other object) of someone else's on it: name it and the way out. */
function dependentsMessage(table: string, detail: string | undefined): string {
  const dependents = (detail ?? '').split('\n').flatMap((line) => /^(.+?) depends on /.exec(line)?.[1] ?? []);
  const wayOut = (them: string) =>
    `drop ${them} before the run and create ${them} again after (sparkify replaces its tables whole, and drops nothing it did not create)`;
  if (dependents.length === 0) return `cannot replace ${table}: another object (a view?) depends on it; ${wayOut('it')}`;
  const one = dependents.length === 1;
  return `cannot replace ${table}: ${dependents.join(', ')} ${one ? 'depends' : 'depend'} on it; ${wayOut(one ? 'it' : 'them')}`;
}

const FILE_PROBLEMS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOENT: 'no such file or folder',
  ENOTDIR: 'a part of the path is not a folder',
  // mkdir's, when a file stands where a folder of the path should be.
  EEXIST: 'a file stands where a folder of the path should be',
  EISDIR: 'it is a folder',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  ENAMETOOLONG: 'the name is too long',
};

/** Why a file could not be read or written, in words (the path is the caller's to name). */
export function fileProblem(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return (code && FILE_PROBLEMS[code]) ?? messageOf(error);
}
