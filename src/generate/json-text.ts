/**
 * JSON string literals as the Udacity files have them (Python's json.dumps):
 * non-ASCII as \uXXXX escapes and, in the logs, `/` escaped as `\/`.
 */
export function jsonString(value: string, escapeSlash = false): string {
  let text = JSON.stringify(value);
  // eslint-disable-next-line no-control-regex -- the test is for anything outside ASCII
  if (/[^\x00-\x7f]/.test(text)) text = text.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return escapeSlash ? text.replaceAll('/', '\\/') : text;
}

/** A float that always shows a fraction, as Python prints 1540919166796.0. */
export function pythonFloat(value: number): string {
  const text = String(value);
  return /[.e]/.test(text) ? text : `${text}.0`;
}

export const nullable = (value: string | null, escapeSlash = false) => (value === null ? 'null' : jsonString(value, escapeSlash));
