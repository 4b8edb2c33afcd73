import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { describeFailure } from '../src/commands/describe-failure.js';
import { parseMaxErrors } from '../src/commands/parse.js';
import { parseCfg } from '../src/config/cfg-file.js';
import { loadConfig } from '../src/config/load-config.js';
import { encoderFor } from '../src/etl/copy-text.js';
import { JsonObjectSplitter } from '../src/etl/json-objects.js';
import { parseJsonPathsFile } from '../src/etl/jsonpaths.js';
import { Rejections } from '../src/etl/rejections.js';
import { eventRows } from '../src/etl/row-encoders.js';
import { EXIT, SparkifyError } from '../src/sparkify-error.js';
import { STAGING_EVENTS } from '../src/sql/schema.js';
import { tempDir } from './support/temp-dir.js';

const SRC = fileURLToPath(new URL('../src', import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(file);
    return /\.tsx?$/.test(entry.name) ? [file] : [];
  });
}

/** Every class in src that is an error by its name or by what it extends: name, what it extends, its file. */
const ERROR_CLASSES = sourceFiles(SRC).flatMap((file) =>
  [...readFileSync(file, 'utf8').matchAll(/\bclass\s+(\w+)\s+extends\s+(\w+)/g)]
    .filter(([, name, base]) => /Error$/.test(name!) || /Error$/.test(base!))
    .map(([, name, base]) => ({ name: name!, base: base!, file })),
);

/**
 * Each kind of error: how one is made, and exactly what it says and how the
 * command line ends for it. Found by name in src (see ERROR_CLASSES), so that
 * moving a class to another file changes nothing here.
 */
const KINDS: Record<string, { args: unknown[]; message: string; exitCode: number; hint?: string }> = {
  ConfigError: { args: ['dwh.cfg: [AWS] KEY and SECRET must be given together'], message: 'dwh.cfg: [AWS] KEY and SECRET must be given together', exitCode: 2 },
  CfgSyntaxError: { args: [3, '"HOST" is outside any [SECTION]'], message: 'line 3: "HOST" is outside any [SECTION]', exitCode: 2 },
  UsageError: { args: ['sparkify etl: unknown stage "x"'], message: 'sparkify etl: unknown stage "x"', exitCode: 2 },
  CancelledError: { args: [], message: 'cancelled', exitCode: 130 },
  ConnectionError: {
    args: ['cannot connect to 127.0.0.1:1: connection refused (is the server running and is [CLUSTER] DB_PORT right?)'],
    message: 'cannot connect to 127.0.0.1:1: connection refused (is the server running and is [CLUSTER] DB_PORT right?)',
    exitCode: 1,
  },
  RunLockedError: {
    args: ['psql (server pid 42)'],
    message: 'another run is in progress on this warehouse: psql (server pid 42); wait for it to finish, or cancel it there',
    exitCode: 1,
    hint: 'wait for it to finish, or cancel it there',
  },
  LockBusyError: { args: ['/tmp/x/server.lock', 42, 5000], message: '/tmp/x/server.lock has been held by process 42 for over 5 s', exitCode: 1 },
  SwapBlockedError: { args: ['the swap waited 1m 0s for songs'], message: 'the swap waited 1m 0s for songs', exitCode: 1 },
  InputError: { args: ['log_data/a.json', 7, 'not JSON'], message: 'log_data/a.json:7: not JSON', exitCode: 1 },
  TooManyErrorsError: { args: ['more than 1 bad row (--max-errors)'], message: 'more than 1 bad row (--max-errors)', exitCode: 1 },
  UnaddressableFileError: {
    args: ['s3://b/log_data/a.json'],
    message:
      "s3://b/log_data/a.json changed or is gone since a reload loaded it, and Redshift's COPY of a whole prefix does not record which rows came from which file: run sparkify reload to load it again",
    exitCode: 1,
  },
  KeyPrefixError: {
    args: ['s3://b/log_data/day.json', 's3://b/log_data/day.json.bak'],
    message:
      's3://b/log_data/day.json: a COPY of this key would also load s3://b/log_data/day.json.bak (COPY reads every key that starts with the one it is given); rename one of them',
    exitCode: 1,
  },
  JsonSyntaxError: {
    args: [2, 'line 2, column 1: expected a JSON object but found "x"'],
    message: 'line 2, column 1: expected a JSON object but found "x"',
    exitCode: 1,
  },
  FieldError: { args: ['"abc" is not a whole number'], message: '"abc" is not a whole number', exitCode: 1 },
  ResetFailedError: { args: ['permission denied for schema public'], message: 'permission denied for schema public', exitCode: 1 },
  SqlError: {
    args: [
      'read-only',
      'cannot execute INSERT in a read-only transaction',
      { text: 'INSERT INTO t VALUES (1)', offset: 10, line: 2, column: 1, terminated: true },
      null,
      '25006',
    ],
    message: 'the statement at line 2, column 1: cannot execute INSERT in a read-only transaction',
    exitCode: 1,
  },
  SentStatementError: {
    args: [new Error('canceling statement due to statement timeout'), null, 210],
    message: 'canceling statement due to statement timeout',
    exitCode: 1,
  },
  OutputClosed: { args: [Object.assign(new Error('write EPIPE'), { code: 'EPIPE' })], message: 'cannot write the output: write EPIPE', exitCode: 1 },
  ChecksFailedError: {
    args: [[{ check: 'users_unique', rows: 2, message: 'users: 2 duplicate user_id' }]],
    message: '1 check failed: users: 2 duplicate user_id',
    exitCode: 1,
  },
};

async function makeKind(name: string): Promise<SparkifyError> {
  const { file } = ERROR_CLASSES.find((c) => c.name === name)!;
  const module = (await import(pathToFileURL(file).href)) as Record<string, new (...args: unknown[]) => SparkifyError>;
  return new module[name]!(...KINDS[name]!.args);
}

describe('the error classes', () => {
  it('extend one base, SparkifyError, which alone extends Error', () => {
    expect(ERROR_CLASSES.filter((c) => c.base === 'Error')).toEqual([{ name: 'SparkifyError', base: 'Error', file: path.join(SRC, 'sparkify-error.ts') }]);
    const names = new Set(ERROR_CLASSES.map((c) => c.name));
    // Each of the others extends SparkifyError or one of them.
    expect(ERROR_CLASSES.filter((c) => c.name !== 'SparkifyError' && !names.has(c.base))).toEqual([]);
    expect(
      ERROR_CLASSES.map((c) => c.name)
        .filter((name) => name !== 'SparkifyError')
        .sort(),
    ).toEqual(Object.keys(KINDS).sort());
  });

  it.each(Object.keys(KINDS))('%s is a SparkifyError with its exit code, its name, its message and its hint', async (name) => {
    const error = await makeKind(name);
    const { message, exitCode, hint } = KINDS[name]!;
    expect(error).toBeInstanceOf(SparkifyError);
    expect(error).toBeInstanceOf(Error);
    expect({ name: error.name, message: error.message, exitCode: error.exitCode, hint: error.hint }).toEqual({ name, message, exitCode, hint });
  });

  it('the exit codes are those of the command line', () => {
    expect(EXIT).toEqual({ ok: 0, failure: 1, usage: 2, interrupted: 130 });
  });

  it('the base and the usage error import nothing of the layers that use them', () => {
    const imports = (file: string) => [...readFileSync(path.join(SRC, file), 'utf8').matchAll(/^import .* from '(.+)';$/gm)].map((m) => m[1]);
    expect(imports('sparkify-error.ts')).toEqual([]);
    expect(imports('usage-error.ts')).toEqual(['./sparkify-error.js']);
  });
});

describe('describeFailure', () => {
  it.each(Object.keys(KINDS))("gives a %s's message as one line and its exit code", async (name) => {
    const { message, exitCode } = KINDS[name]!;
    expect(describeFailure(await makeKind(name))).toEqual({ message, exitCode });
  });

  it('gives a server error (it has a code) as its message with the detail, exit code 1', () => {
    const error = Object.assign(new Error('relation "songplays" does not exist'), { code: '42P01' });
    expect(describeFailure(error)).toEqual({
      message: 'relation "songplays" does not exist: the schema is not created yet (run sparkify reload, or sparkify reset first)',
      exitCode: 1,
    });
    const withDetail = Object.assign(new Error('duplicate key value violates unique constraint "users_pkey"'), {
      code: '23505',
      detail: 'Key (user_id)=(8) already exists.',
    });
    expect(describeFailure(withDetail)).toEqual({
      message: 'duplicate key value violates unique constraint "users_pkey" (Key (user_id)=(8) already exists.)',
      exitCode: 1,
    });
  });

  it('gives an unexpected error with its stack, to find the bug by, exit code 1', () => {
    const bug = new TypeError("Cannot read properties of undefined (reading 'rows')");
    const { message, exitCode } = describeFailure(bug);
    expect(exitCode).toBe(1);
    expect(message).toBe(bug.stack);
    expect(message.split('\n')[0]).toBe("TypeError: Cannot read properties of undefined (reading 'rows')");
    expect(message.split('\n').length).toBeGreaterThan(1);
  });

  it('ignores an exit code pasted on an error that is not a SparkifyError', () => {
    const pasted = Object.assign(new Error('not ours'), { exitCode: 2 });
    expect(describeFailure(pasted)).toEqual({ message: pasted.stack, exitCode: 1 });
  });
});

/** What `fail` threw, as the command line would print it. */
function failureOf(fail: () => unknown): { message: string; exitCode: number; kind: string } {
  try {
    fail();
  } catch (error) {
    return { ...describeFailure(error), kind: (error as Error).name };
  }
  throw new Error('expected it to throw');
}

describe('the errors thrown where they happen', () => {
  it('bad settings and arguments: exit code 2', () => {
    const dir = tempDir();
    expect(failureOf(() => loadConfig({ cwd: dir, configPath: 'missing.cfg', env: {} }))).toEqual({
      kind: 'ConfigError',
      message: 'missing.cfg: no such file (copy dwh.cfg.example to start one)',
      exitCode: 2,
    });
    expect(failureOf(() => parseCfg('HOST = x'))).toEqual({ kind: 'CfgSyntaxError', message: 'line 1: "HOST" is outside any [SECTION]', exitCode: 2 });
    expect(failureOf(() => parseMaxErrors('etl', 'many'))).toEqual({
      kind: 'UsageError',
      message: 'sparkify etl: --max-errors takes a whole number from 0 to 999999999, not "many"',
      exitCode: 2,
    });
  });

  it('bad input: exit code 1, naming the file, the line or the value', () => {
    expect(failureOf(() => parseJsonPathsFile('{"jsonpaths": [', 'log_json_path.json'))).toMatchObject({
      kind: 'InputError',
      message: expect.stringMatching(/^log_json_path\.json: invalid JSON: /),
      exitCode: 1,
    });
    expect(failureOf(() => parseJsonPathsFile('{"paths": []}', 'paths.json'))).toEqual({
      kind: 'InputError',
      message: `paths.json: expected {"jsonpaths": ["$['field']", ...]}`,
      exitCode: 1,
    });
    expect(failureOf(() => eventRows(parseJsonPathsFile('{"jsonpaths": ["$.a"]}', 'p.json'), STAGING_EVENTS, 'p.json'))).toEqual({
      kind: 'InputError',
      message: 'p.json: has 1 paths but staging_events has 18 columns',
      exitCode: 1,
    });
    const splitter = new JsonObjectSplitter(() => {});
    expect(failureOf(() => splitter.push('{"a": 1}\nnot json\n'))).toEqual({
      kind: 'JsonSyntaxError',
      message: 'line 2, column 1: expected a JSON object but found "not json"',
      exitCode: 1,
    });
    const integer = encoderFor({ name: 'user_id', type: 'integer' }, { emptyTextAsNull: false });
    expect(failureOf(() => integer('eight'))).toEqual({ kind: 'FieldError', message: 'user_id: expected an integer, got "eight"', exitCode: 1 });
    const rejections = new Rejections(1);
    rejections.add({ file: 'a.json', line: 2, reason: 'bad', raw: 'x' });
    expect(failureOf(() => rejections.add({ file: 'a.json', line: 5, reason: 'worse', raw: 'y' }))).toEqual({
      kind: 'TooManyErrorsError',
      message: 'more than 1 bad row (--max-errors); the first: a.json:2: bad; this one: a.json:5: worse',
      exitCode: 1,
    });
  });
});
