import type { ListedFiles } from './engine.js';

/** How many of the files to name in a note; the rest are counted. */
const NAMED_FILES = 5;

/** The files an incremental fill loads, as its plan's note names them: each with its file id. */
export function describeFiles({ toLoad, firstFileId }: ListedFiles): string {
  const named = toLoad.slice(0, NAMED_FILES).map((f, i) => `file ${firstFileId + i}: ${f.name}`);
  const more = toLoad.length - named.length;
  return [...named, ...(more > 0 ? [`and ${more} more, to file ${firstFileId + toLoad.length - 1}`] : [])].join('\n');
}
