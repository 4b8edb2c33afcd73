import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SRC = path.join(ROOT, 'src');

/** The files git tracks (a clean clone's tree), relative to the root; the 400-line rule and the path check are about what is shared. */
const trackedFiles = () =>
  execFileSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8' })
    .split('\0')
    .filter((file) => file && existsSync(path.join(ROOT, file)) && !file.endsWith('.snap') && !file.startsWith('test/fixtures/'));

/** Every source file, relative to src/, with the modules it imports for their values (`import type` carries none). */
function sourceFiles(): { file: string; imports: string[] }[] {
  return readdirSync(SRC, { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.tsx?$/.test(f))
    .map((file) => {
      const text = readFileSync(path.join(SRC, file), 'utf8');
      // Static imports and re-exports, and the lazy import('…') the bundle splits on.
      const specifiers = [...text.matchAll(/^(?:import|export)(?! type )[^;]*? from '([^']+)'/gms), ...text.matchAll(/\bimport\(\s*'([^']+)'\s*\)/g)];
      const imports = specifiers.map((m) => {
        const spec = m[1]!;
        return spec.startsWith('.') ? path.relative(SRC, path.resolve(path.dirname(path.join(SRC, file)), spec)) : spec;
      });
      return { file, imports };
    });
}

/** A text's lines, the last one ended by its newline or not. */
const linesOf = (text: string) => text.split('\n').length - (text.endsWith('\n') ? 1 : 0);

/** The top folder (or file) of a path under src/. */
const layerOf = (file: string) => file.split(path.sep)[0]!.replace(/\.tsx?$|\.js$/, '');

const UI = ['app', 'open-app', 'screens', 'components', 'hooks'];
const DOMAIN = [
  'config',
  'sql',
  'format',
  'warehouse',
  'engines',
  'etl',
  'queries',
  'adhoc',
  'generate',
  'editor',
  'history',
  'export',
  'sparkify-error',
  'usage-error',
  'error-message',
  'paths',
  'version',
];

/**
 * Which layers each layer may import values from (see docs/architecture.md).
 * The one exception in both directions, on purpose: the warehouse session
 * asks the engines which engine a server is, and the engines send their
 * statements through a Warehouse and throw its ConnectionError.
 */
const MAY_IMPORT: Record<string, string[]> = {
  'sparkify-error': [],
  'usage-error': ['sparkify-error'],
  'error-message': [],
  paths: [],
  version: ['paths'],
  sql: [],
  config: ['sql', 'sparkify-error', 'paths'],
  format: [],
  generate: ['paths'],
  warehouse: ['config', 'sql', 'format', 'engines', 'sparkify-error'],
  engines: ['config', 'sql', 'warehouse', 'sparkify-error', 'usage-error', 'error-message'],
  etl: ['config', 'sql', 'format', 'warehouse', 'engines', 'generate', 'sparkify-error', 'error-message'],
  queries: ['warehouse', 'sql'],
  adhoc: ['warehouse', 'sparkify-error'],
  editor: ['sql'],
  history: ['error-message'],
  export: ['format', 'error-message'],
};

describe('the direction of imports (docs/architecture.md)', () => {
  const files = sourceFiles();

  it('every top-level entry of src/ is placed: the domain, the app, or the command line', () => {
    const unplaced = readdirSync(SRC)
      .map(layerOf)
      .filter((layer) => !DOMAIN.includes(layer) && !UI.includes(layer) && !['commands', 'cli'].includes(layer));
    expect(unplaced).toEqual([]);
  });

  it('the domain imports nothing of the app, the command line, ink or react', () => {
    const leaks = files
      .filter(({ file }) => DOMAIN.includes(layerOf(file)))
      .flatMap(({ file, imports }) =>
        imports.filter((i) => /^(ink|react)(\/|$)/.test(i) || [...UI, 'commands', 'cli'].includes(layerOf(i))).map((i) => `${file} imports ${i}`),
      );
    expect(leaks).toEqual([]);
  });

  it('each domain layer imports values only from the layers below it', () => {
    const upward = files.flatMap(({ file, imports }) => {
      const layer = layerOf(file);
      const allowed = MAY_IMPORT[layer];
      if (!allowed) return [];
      return imports
        .filter((i) => DOMAIN.includes(layerOf(i)) || UI.includes(layerOf(i)))
        .filter((i) => layerOf(i) !== layer && !allowed.includes(layerOf(i)))
        .map((i) => `${file} imports ${i}`);
    });
    expect(upward).toEqual([]);
  });

  it('no source file is over 400 lines', () => {
    const long = trackedFiles()
      .filter((file) => /\.(ts|tsx|mjs|js)$/.test(file))
      .map((file) => [file, linesOf(readFileSync(path.join(ROOT, file), 'utf8'))] as const)
      .filter(([, lines]) => lines > 400);
    expect(long).toEqual([]);
  });

  it('no tracked file holds a path of a particular machine', () => {
    const machinePaths = trackedFiles().filter((file) => /(?<![\w.-])\/(work|home|Users)\//.test(readFileSync(path.join(ROOT, file), 'utf8')));
    expect(machinePaths).toEqual([]);
  });
});
