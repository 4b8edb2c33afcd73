import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/load-config.js';
import { maskError, maskSecrets, secretsOf } from '../src/config/mask.js';
import { configuredNames, isOutputWord } from '../src/config/output-words.js';
import { describeS3Error } from '../src/etl/sources/s3-source.js';
import { messageOf } from '../src/error-message.js';
import { tempDir } from './support/temp-dir.js';

// Shaped like real ones: an AWS secret access key and an STS session token.
const AWS_SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const SESSION_TOKEN = 'FwoGZXIvYXdzEJr//////////wEaDOkEXAMPLE+TOKEN/Lm9pqRs=';

describe('which secrets are also words the output uses as names', () => {
  it("sparkify's tables and columns, its engines and dialects, SQL keywords in any case, and the configured names", () => {
    for (const word of [
      'songplays',
      'users',
      'staging_events',
      'songplays__build',
      'load_errors',
      'artist_id',
      'raw_line',
      'postgres',
      'redshift',
      'embedded',
    ]) {
      expect(isOutputWord(word), word).toBe(true);
    }
    // Redshift's reserved words, and the PostgreSQL keywords sparkify's SQL uses.
    for (const keyword of ['SELECT', 'select', 'Insert', 'RAW', 'percent', 'COMMIT', 'savepoint', 'UNLOGGED', 'Stdin']) {
      expect(isOutputWord(keyword), keyword).toBe(true);
    }
    expect(isOutputWord('etl_loader', ['etl_loader', 'dwh'])).toBe(true);
  });

  it('no other secret, whatever its spelling: human passwords, numbers, hosts, the configured names of another config', () => {
    for (const secret of [
      'hunter2',
      'Summer2024',
      'correct-horse-battery',
      'Passw0rd#;1',
      AWS_SECRET,
      'us-west-2',
      '5432',
      'db.internal',
      'Postgres',
      'SONGPLAYS',
      'pid',
      'etl_loader',
    ]) {
      expect(isOutputWord(secret), secret).toBe(false);
    }
  });

  it('the configured names are the user, the database, and the host with each part of its name (not of an IP address)', () => {
    const cwd = tempDir();
    const named = loadConfig({ cwd, env: { SPARKIFY_CLUSTER_HOST: 'db.internal', SPARKIFY_CLUSTER_DB_USER: 'etl_loader', SPARKIFY_CLUSTER_DB_NAME: 'dwh' } });
    expect(configuredNames(named)).toEqual(['etl_loader', 'dwh', 'db.internal', 'db', 'internal']);
    const numbered = loadConfig({ cwd, env: { SPARKIFY_CLUSTER_HOST: '10.0.0.5', SPARKIFY_CLUSTER_DB_USER: 'etl_loader', SPARKIFY_CLUSTER_DB_NAME: 'dwh' } });
    expect(configuredNames(numbered, 'embedded_user')).toEqual(['etl_loader', 'dwh', '10.0.0.5', 'embedded_user']);
  });
});

describe('masking text from a server, a driver or an SDK', () => {
  it('masks a human password wherever it stands whole: hunter2, Summer2024, correct-horse-battery', () => {
    const secrets = ['correct-horse-battery', 'Summer2024', 'hunter2'];
    expect(maskSecrets('invalid input syntax for type integer: "hunter2"', secrets)).toBe('invalid input syntax for type integer: "****"');
    expect(maskSecrets('syntax error at or near "Summer2024"', secrets)).toBe('syntax error at or near "****"');
    expect(maskSecrets('role "correct-horse-battery" does not exist', secrets)).toBe('role "****" does not exist');
    expect(maskSecrets('column Summer2024 of hunter2 (correct-horse-battery)', secrets)).toBe('column **** of **** (****)');
    // Inside a longer word it is not that word.
    expect(maskSecrets('hunter2x xhunter2 Summer20245 hunter2', secrets)).toBe('hunter2x xhunter2 Summer20245 ****');
  });

  it('leaves a password that is a word of the output where it is that word: a table, a role, an engine, the configured user', () => {
    const passwords = ['songplays', 'postgres', 'redshift', 'users', 'etl_loader'];
    for (const text of [
      'relation "songplays" does not exist',
      'permission denied for table songplays',
      'permission denied for table users',
      'role "postgres" does not exist',
      'password authentication failed for user "postgres"',
      'password authentication failed for user "etl_loader"',
      'PostgreSQL 18.4, postgres dialect; Redshift is redshift',
      "COPY staging_events FROM 's3://udacity-dend/log_data' IAM_ROLE 'redshift'",
    ]) {
      expect(maskSecrets(text, passwords, ['etl_loader'])).toBe(text);
    }
    // Not configured as a name, the same word is masked.
    expect(maskSecrets('password authentication failed for user "etl_loader"', passwords)).toBe('password authentication failed for user "****"');
  });

  it('masks such a password where the context says it is one: a URL, a key=value', () => {
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
    expect(maskSecrets('postgres://etl_loader:etl_loader@db.internal/dwh user=etl_loader password=etl_loader', ['etl_loader'], ['etl_loader'])).toBe(
      'postgres://etl_loader:****@db.internal/dwh user=etl_loader password=****',
    );
    expect(maskSecrets('{"user":"reader","password":"users"}', ['users'])).toBe('{"user":"reader","password":"****"}');
  });

  it('masks any value in those places, known or not (the embedded server’s password, a key from the environment)', () => {
    expect(maskSecrets('postgres://sparkify:pX3k-9QaLm2v@127.0.0.1:5432/x', [])).toBe('postgres://sparkify:****@127.0.0.1:5432/x');
    expect(maskSecrets(`aws_access_key_id=AKIAEXAMPLE;aws_secret_access_key=${AWS_SECRET}`, [])).toBe(
      'aws_access_key_id=AKIAEXAMPLE;aws_secret_access_key=****',
    );
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

  it('masks any other secret wherever it stands whole: quoted, bare, in a path', () => {
    const secrets = secretsOrder(['Tr0ub4dor&3', AWS_SECRET, SESSION_TOKEN]);
    expect(maskSecrets('invalid input syntax for type integer: "Tr0ub4dor&3"', secrets)).toBe('invalid input syntax for type integer: "****"');
    expect(maskSecrets('syntax error at or near "\'Tr0ub4dor&3\'"', secrets)).toBe('syntax error at or near "\'****\'"');
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
    const withAws = loadConfig({
      cwd,
      env: { SPARKIFY_CLUSTER_DB_PASSWORD: 'pw', SPARKIFY_AWS_KEY: 'AKIA', SPARKIFY_AWS_SECRET: 'sec', SPARKIFY_AWS_SESSION_TOKEN: 'token' },
    });
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
    const config = loadConfig({
      cwd: tempDir(),
      env: { SPARKIFY_AWS_KEY: 'AKIAEXAMPLE', SPARKIFY_AWS_SECRET: AWS_SECRET, SPARKIFY_AWS_SESSION_TOKEN: SESSION_TOKEN },
    });
    const sdkError = {
      name: 'InvalidToken',
      $metadata: { httpStatusCode: 400 },
      message: `The provided token is malformed: x-amz-security-token:${SESSION_TOKEN}`,
    };
    expect(describeS3Error(sdkError, config)).toBe('The provided token is malformed: x-amz-security-token:****');
    expect(describeS3Error({ name: 'Error', message: `signing with ${AWS_SECRET} failed` }, config)).toBe('signing with **** failed');
    expect(describeS3Error({ name: 'AccessDenied', $metadata: { httpStatusCode: 403 } }, config)).toBe(
      'access denied (check [AWS] KEY and SECRET, or the bucket policy)',
    );
  });
});
