import { describe, expect, it } from 'vitest';
import { messageOf } from '../src/error-message.js';

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

describe('a table the run cannot drop because a view depends on it', () => {
  const wayOut = (them: string) =>
    `drop ${them} before the run and create ${them} again after (sparkify replaces its tables whole, and drops nothing it did not create)`;

  it('PostgreSQL: names the views of the DETAIL', () => {
    const error = serverError('cannot drop table songplays because other objects depend on it', {
      code: '2BP01',
      detail: 'view busy_hours depends on table songplays\nmaterialized view daily depends on table songplays',
      hint: 'Use DROP ... CASCADE to drop the dependent objects too.',
    });
    expect(messageOf(error)).toBe(`cannot replace songplays: view busy_hours, materialized view daily depend on it; ${wayOut('them')}`);
  });

  it('Redshift: the message and a hint, no DETAIL, with or without the SQLSTATE: still one line with the way out', () => {
    // As the Developer Guide's DROP TABLE page shows it.
    const fields = { hint: 'Use DROP ... CASCADE to drop the dependent objects too.' };
    for (const code of ['2BP01', 'XX000']) {
      expect(messageOf(serverError('cannot drop table users because other objects depend on it', { ...fields, code }))).toBe(
        `cannot replace users: another object (a view?) depends on it; ${wayOut('it')}`,
      );
    }
  });
});
