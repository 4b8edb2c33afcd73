import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadedVersion, tableDelta, type LoadedFile, type TableDelta } from '../src/etl/incremental/delta.js';
import { VersionDigest } from '../src/etl/sources/version-digest.js';
import type { ListedFile } from '../src/etl/sources/source.js';

/** The comparison written plainly, by name only: what tableDelta must give, whatever the order of either side. */
function byNameOnly(listing: readonly ListedFile[], history: readonly LoadedFile[], prune: boolean): TableDelta {
  const loaded = history.filter((f) => f.table === 'staging_events');
  const toLoad = listing.filter((f) => {
    const before = loaded.find((h) => h.location === f.name);
    return !before || before.sizeBytes !== f.size || before.modifiedMs !== f.modifiedMs;
  });
  const replaced = toLoad.flatMap((f) => loaded.filter((h) => h.location === f.name));
  const missing = loaded.filter((h) => !listing.some((f) => f.name === h.location)).sort((a, b) => a.fileId - b.fileId);
  const firstFileId = Math.max(0, ...loaded.map((h) => h.fileId)) + 1;
  // The records that stay: the history's own versions of them, not the listing's.
  const kept = VersionDigest.of(loaded.filter((h) => !replaced.includes(h) && !(prune && missing.includes(h))).map(loadedVersion));
  return { table: 'staging_events', toLoad, replaced, missing, prune, unchanged: listing.length - toLoad.length, firstFileId, kept };
}

const file = (i: number) => `/data/log_data/${String(i).padStart(4, '0')}.json`;

describe('tableDelta', () => {
  it('gives what a comparison by name gives: files loaded in order, some changed, some gone, some new, some out of order', () => {
    const scenario = fc.record({
      loaded: fc.integer({ min: 0, max: 60 }),
      changed: fc.uniqueArray(fc.nat(59)),
      gone: fc.uniqueArray(fc.nat(59)),
      added: fc.integer({ min: 0, max: 10 }),
      swaps: fc.array(fc.tuple(fc.nat(69), fc.nat(69)), { maxLength: 4 }),
      songs: fc.integer({ min: 0, max: 5 }),
      prune: fc.boolean(),
    });
    fc.assert(
      fc.property(scenario, ({ loaded, changed, gone, added, swaps, songs, prune }) => {
        const history: LoadedFile[] = [];
        for (let i = 0; i < loaded; i++) {
          history.push({ fileId: i + 1, table: 'staging_events', location: file(i), sizeBytes: 100 + i, modifiedMs: 1_000 * i, etag: null, runKind: 'reload' });
        }
        // Another table's records, among them: not this table's.
        for (let i = 0; i < songs; i++) {
          history.splice(i * 3, 0, { fileId: i + 1, table: 'staging_songs', location: file(i), sizeBytes: 1, modifiedMs: 1, etag: null, runKind: 'reload' });
        }
        const listing: ListedFile[] = [];
        for (let i = 0; i < loaded + added; i++) {
          if (gone.includes(i)) continue;
          listing.push({ name: file(i), size: 100 + i + (changed.includes(i) ? 1 : 0), modifiedMs: 1_000 * i, etag: null });
        }
        for (const [a, b] of swaps) {
          if (a < listing.length && b < listing.length) [listing[a], listing[b]] = [listing[b]!, listing[a]!];
        }
        expect(tableDelta('staging_events', listing, history, prune)).toEqual(byNameOnly(listing, history, prune));
      }),
      { numRuns: 500 },
    );
  });

  it('counts a day added to 30 loaded, and a changed one', () => {
    const history: LoadedFile[] = Array.from({ length: 30 }, (_, i) => ({
      fileId: i + 1,
      table: 'staging_events' as const,
      location: file(i),
      sizeBytes: 10,
      modifiedMs: 5,
      etag: null,
      runKind: 'reload' as const,
    }));
    const listing: ListedFile[] = Array.from({ length: 31 }, (_, i) => ({ name: file(i), size: i === 4 ? 11 : 10, modifiedMs: 5, etag: null }));
    const delta = tableDelta('staging_events', listing, history, false);
    expect(delta.toLoad.map((f) => f.name)).toEqual([file(4), file(30)]);
    expect(delta.replaced.map((f) => f.fileId)).toEqual([5]);
    expect([delta.unchanged, delta.missing.length, delta.firstFileId]).toEqual([29, 0, 31]);
  });
});
