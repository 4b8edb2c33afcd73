import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FileVersionOf } from '../src/etl/sources/version-digest.js';
import { VersionDigest } from '../src/etl/sources/version-digest.js';

const local = (name: string, size = 100, modifiedMs: number | null = 1_700_000_000_123): FileVersionOf => ({ name, size, modifiedMs, etag: null });

describe('VersionDigest', () => {
  it('tells apart what sameVersion tells apart: a name, a size, a millisecond, an ETag, a missing time', () => {
    const base = VersionDigest.of([local('/d/a.json'), local('/d/b.json')]).toString();
    const variants = [
      [local('/d/a.json'), local('/d/c.json')],
      [local('/d/a.json'), local('/e/b.json')],
      [local('/d/a.json'), local('/d/b.json', 101)],
      [local('/d/a.json'), local('/d/b.json', 100, 1_700_000_000_124)],
      [local('/d/a.json'), local('/d/b.json', 100, null)],
      [local('/d/a.json'), { name: '/d/b.json', size: 100, modifiedMs: 1_700_000_000_123, etag: 'e1' }],
      [local('/d/a.json', 100, 1_700_000_000_124), local('/d/b.json', 100, 1_700_000_000_122)],
      [local('/d/a.json'), local('/d/b.json'), local('/d/b.json')],
    ];
    const digests = variants.map((files) => VersionDigest.of(files).toString());
    expect(new Set([base, ...digests]).size).toBe(variants.length + 1);
    // Sizes past 2^32 count in full.
    expect(VersionDigest.of([local('/d/a.json', 2 ** 32 + 1)]).toString()).not.toBe(VersionDigest.of([local('/d/a.json', 1)]).toString());
    // An ETag is the version where there is one: the size then does not count.
    const etag = (size: number): FileVersionOf => ({ name: 's3://b/k.json', size, modifiedMs: null, etag: '"abc"' });
    expect(VersionDigest.of([etag(1)]).toString()).toBe(VersionDigest.of([etag(2)]).toString());
  });

  it('is the same in any order and grouping, a copy adds up apart from its original, and its text reads back', () => {
    const names = fc.constantFrom('/data/song_data/A/A/', '/data/song_data/A/B/', '/data/log_data/', 's3://bucket/key/');
    const file = fc.record({
      name: fc.tuple(names, fc.string({ minLength: 1, maxLength: 12 })).map(([folder, base]) => `${folder}${base}.json`),
      size: fc.nat(2 ** 40),
      modifiedMs: fc.option(fc.nat(2 ** 42)),
      etag: fc.option(fc.string({ maxLength: 8 })),
    });
    fc.assert(
      fc.property(fc.array(file, { maxLength: 30 }), fc.array(file, { maxLength: 5 }), fc.nat(), (files, extra, seed) => {
        const whole = VersionDigest.of(files);
        const shuffled = [...files].sort((a, b) => ((a.name.length * 31 + seed) % 7) - ((b.name.length * 31 + seed) % 7));
        const cut = seed % (files.length + 1);
        const halves = VersionDigest.of(shuffled.slice(0, cut)).plus(VersionDigest.of(shuffled.slice(cut)));
        expect(halves.equals(whole)).toBe(true);
        expect(VersionDigest.of(shuffled).toString()).toBe(whole.toString());
        const before = whole.toString();
        const more = whole.copy();
        for (const f of extra) more.add(f);
        expect(more.equals(VersionDigest.of([...extra, ...shuffled]))).toBe(true);
        expect(whole.toString()).toBe(before);
        expect(VersionDigest.parse(whole.toString(), whole.count).equals(whole)).toBe(true);
        // Each file on its own sums to the same.
        const alone = files.reduce((sum, f) => sum.plus(VersionDigest.of([{ ...f, name: f.name }])), new VersionDigest());
        expect(alone.equals(whole)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('refuses a text that is not a digest', () => {
    expect(() => VersionDigest.parse('12345', 1)).toThrow('load_digests: not a digest: "12345"');
  });
});

describe('VersionDigest, first use', () => {
  it('hashes a name without a folder the same before and after names with one (a fresh module: the folder it carries starts from the seeds)', async () => {
    const { vi } = await import('vitest');
    const digestOf = async (names: string[]) => {
      vi.resetModules();
      const { VersionDigest: Fresh } = await import('../src/etl/sources/version-digest.js');
      const digests = names.map((name) => Fresh.of([local(name)]).toString());
      return digests.at(-1);
    };
    const alone = await digestOf(['log.json']);
    expect(await digestOf(['s3://bucket/a/b.json', 'log.json'])).toBe(alone);
    expect(await digestOf(['C:\\data\\x.json', 'log.json'])).toBe(alone);
    expect(await digestOf(['C:\\data\\log.json'])).toBe(await digestOf(['/other/y.json', 'C:\\data\\z.json', 'C:\\data\\log.json']));
  });
});
