import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/load-config.js';
import { isWordLike, maskError, maskSecrets, secretsOf } from '../src/config/mask.js';
import { describeS3Error } from '../src/etl/sources/s3-source.js';
import { messageOf } from '../src/etl/error-message.js';
import { tempDir } from './support/temp-dir.js';

// Shaped like real ones: an AWS secret access key and an STS session token.
const AWS_SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const SESSION_TOKEN = 'FwoGZXIvYXdzEJr//////////wEaDOkEXAMPLE+TOKEN/Lm9pqRs=';

describe('which secrets can be told from the words of the output', () => {
  it('a secret spelled like a name, keyword, number, host or English word is word-like', () => {
    for (const word of ['songplays', 'postgres', 'redshift', 'staging_events', 'hunter2', 'INSERT', 'Postgres', '5432', 'us-west-2', 'db.internal']) {
      expect(isWordLike(word), word).toBe(true);
    }
  });

  it('one with punctuation or letters of both cases inside is not', () => {
    for (const secret of ['Passw0rd#;1', AWS_SECRET, SESSION_TOKEN, 'Tr0ub4dor&3', 'pX3k_9QaLm2v', 'wrong-Secret-42', 'PostgreSQL', 'p@ssword']) {
      expect(isWordLike(secret), secret).toBe(false);
    }
  });
});

describe('masking text from a server, a driver or an SDK', () => {
  it('leaves a word-like password where it is a word: a table, a role, an engine', () => {
    const passwords = ['songplays', 'postgres', 'redshift'];
    for (const text of [
      'relation "songplays" does not exist',
      'permission denied for table songplays',
      'role "postgres" does not exist',
      'password authentication failed for user "postgres"',
      'PostgreSQL 18.4, postgres dialect; Redshift is redshift',
      "COPY staging_events FROM 's3://udacity-dend/log_data' IAM_ROLE 'redshift'",
    ]) {
      expect(maskSecrets(text, passwords)).toBe(text);
    }
  });

  it('masks a word-like password where the context says it is one', () => {
    const passwords = ['postgres'];
    expect(maskSecrets('could not connect to postgres://postgres:postgres@db.internal:5432/postgres', passwords)).toBe(
      'could not connect to postgres://postgres:****@db.internal:5432/postgres',
    );
    expect(maskSecrets('host=db.internal user=postgres password=postgres dbname=postgres', passwords)).toBe(
      'host=db.internal user=postgres password=**** dbname=postgres',
    );
    expect(maskSecrets(`{"user":"postgres","password":"postgres"} and { user: 'postgres', password: 'postgres' }`, passwords)).toBe(
      `{"user":"postgres","password":"****"} and { user: 'postgres', password: '****' }`,
    );
    expect(maskSecrets("DB_PASSWORD = 'songplays' PGPASSWORD=songplays", ['songplays'])).toBe("DB_PASSWORD = '****' PGPASSWORD=****");
  });

  it('masks any value in those places, known or not (the embedded server’s password, a key from the environment)', () => {
    expect(maskSecrets('postgres://sparkify:pX3k-9QaLm2v@127.0.0.1:5432/x', [])).toBe('postgres://sparkify:****@127.0.0.1:5432/x');
    expect(maskSecrets(`aws_access_key_id=AKIAEXAMPLE;aws_secret_access_key=${AWS_SECRET}`, [])).toBe('aws_access_key_id=AKIAEXAMPLE;aws_secret_access_key=****');
    expect(maskSecrets(`{ accessKeyId: 'AKIAEXAMPLE', secretAccessKey: '${AWS_SECRET}', sessionToken: '${SESSION_TOKEN}' }`, [])).toBe(
      "{ accessKeyId: 'AKIAEXAMPLE', secretAccessKey: '****', sessionToken: '****' }",
    );
    expect(maskSecrets(`host;x-amz-security-token\nx-amz-security-token:${SESSION_TOKEN}`, [])).toBe('host;x-amz-security-token\nx-amz-security-token:****');
    expect(maskSecrets(`GET /b/k?X-Amz-Security-Token=${encodeURIComponent(SESSION_TOKEN)}&X-Amz-Signature=abc`, [])).toBe(
      'GET /b/k?X-Amz-Security-Token=****&X-Amz-Signature=abc',
    );
  });

  it('leaves what only looks like those places: prose, hints, URLs without a password, the access key id, a continuation token', () => {
    for (const text of [
      'invalid password: the server closed the connection',
      'SASL: SCRAM-SERVER-FIRST-MESSAGE: client password must be a string',
      'cannot connect to 127.0.0.1:5432: authentication failed for user "etl" (check [CLUSTER] DB_USER and DB_PASSWORD)',
      's3://udacity-dend/log_data: access denied (check [AWS] KEY and SECRET, or the bucket policy)',
      'cannot reach the S3 endpoint http://127.0.0.1:9000 (s3://bucket/a:b@c)',
      'Authorization: AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE/20240101/us-west-2/s3/aws4_request, Signature=fe5f80f7',
      'GET /bucket?list-type=2&continuation-token=1ueGcxLPRx1Tr&ContinuationToken=abc',
    ]) {
      expect(maskSecrets(text, [AWS_SECRET, SESSION_TOKEN])).toBe(text);
    }
  });

  it('masks a secret that is not word-like wherever it stands whole: quoted, bare, in a path', () => {
    const secrets = secretsOrder(['Tr0ub4dor&3', AWS_SECRET, SESSION_TOKEN]);
    expect(maskSecrets('invalid input syntax for type integer: "Tr0ub4dor&3"', secrets)).toBe('invalid input syntax for type integer: "****"');
    expect(maskSecrets("syntax error at or near \"'Tr0ub4dor&3'\"", secrets)).toBe('syntax error at or near "\'****\'"');
    expect(maskSecrets(`The token ${SESSION_TOKEN} is invalid; secret ${AWS_SECRET}.`, secrets)).toBe('The token **** is invalid; secret ****.');
    expect(maskSecrets('Key (name)=(Tr0ub4dor&3) already exists.', secrets)).toBe('Key (name)=(****) already exists.');
    // Inside a longer word it is not that word: `MyPass` is no secret of `MyPassword`.
    expect(maskSecrets('MyPassword and MyPass', ['MyPass'])).toBe('MyPassword and ****');
  });
});

/** Longest first, as secretsOf gives them. */
function secretsOrder(secrets: string[]): string[] {
  return [...secrets].sort((a, b) => b.length - a.length);
}

describe('the secrets in play', () => {
  const cwd = tempDir();
  it('are the password and the [AWS] secret and token, longest first, or the AWS ones of the environment as the S3 client takes them', () => {
    const withAws = loadConfig({ cwd, env: { SPARKIFY_CLUSTER_DB_PASSWORD: 'pw', SPARKIFY_AWS_KEY: 'AKIA', SPARKIFY_AWS_SECRET: 'sec', SPARKIFY_AWS_SESSION_TOKEN: 'token' } });
    expect(secretsOf(withAws, { AWS_SECRET_ACCESS_KEY: 'env-secret' })).toEqual(['token', 'sec', 'pw']);
    const withoutAws = loadConfig({ cwd, env: { SPARKIFY_CLUSTER_DB_PASSWORD: 'pw' } });
    expect(secretsOf(withoutAws, { AWS_SECRET_ACCESS_KEY: 'env-secret', AWS_SESSION_TOKEN: 'env-token' }, 'embedded-pw', 'pw')).toEqual([
      'embedded-pw',
      'env-secret',
      'env-token',
      'pw',
    ]);
    expect(secretsOf(loadConfig({ cwd, env: {} }), {})).toEqual([]);
  });
});

describe('masking an error on its way out', () => {
  it('masks the message, detail and stack in place, keeping its class and code', () => {
    class DatabaseError extends Error {
      code = '22P02';
      detail = 'Key (name)=(Tr0ub4dor&3) already exists.';
    }
    const error = new DatabaseError('invalid input syntax for type integer: "Tr0ub4dor&3"');
    expect(maskError(error, ['Tr0ub4dor&3'])).toBe(error);
    expect(error).toBeInstanceOf(DatabaseError);
    expect(error.code).toBe('22P02');
    expect(messageOf(error)).toBe('invalid input syntax for type integer: "****" (Key (name)=(****) already exists.)');
    expect(error.stack).toMatch(/^Error: invalid input syntax for type integer: "\*\*\*\*"\n {4}at /);
    expect(error.stack).not.toContain('Tr0ub4dor&3');
  });

  it('an S3 error the SDK words itself, echoing a request part, is masked; the ones sparkify words stay', () => {
    const config = loadConfig({ cwd: tempDir(), env: { SPARKIFY_AWS_KEY: 'AKIAEXAMPLE', SPARKIFY_AWS_SECRET: AWS_SECRET, SPARKIFY_AWS_SESSION_TOKEN: SESSION_TOKEN } });
    const sdkError = { name: 'InvalidToken', $metadata: { httpStatusCode: 400 }, message: `The provided token is malformed: x-amz-security-token:${SESSION_TOKEN}` };
    expect(describeS3Error(sdkError, config)).toBe('The provided token is malformed: x-amz-security-token:****');
    expect(describeS3Error({ name: 'Error', message: `signing with ${AWS_SECRET} failed` }, config)).toBe('signing with **** failed');
    expect(describeS3Error({ name: 'AccessDenied', $metadata: { httpStatusCode: 403 } }, config)).toBe('access denied (check [AWS] KEY and SECRET, or the bucket policy)');
  });
});
