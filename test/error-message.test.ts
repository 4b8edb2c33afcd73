import { describe, expect, it } from 'vitest';
import { messageOf } from '../src/etl/error-message.js';

/** An error as pg gives it: the server's message, SQLSTATE and fields. */
function serverError(message: string, fields: Record<string, string>): Error {
  return Object.assign(new Error(message), fields);
}

describe('messageOf', () => {
  it('says how to remake a load_errors made before its text column was renamed raw_line', () => {
    expect(messageOf(serverError('column "raw_line" of relation "load_errors" does not exist', { code: '42703' }))).toBe(
      'column "raw_line" of relation "load_errors" does not exist: load_errors was made by an earlier version of sparkify (run sparkify reload once to make it anew)',
    );
    expect(messageOf(serverError('column "nope" does not exist', { code: '42703' }))).toBe('column "nope" does not exist');
  });
});
