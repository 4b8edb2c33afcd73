import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { JsonObjectSplitter } from './src/etl/json-objects.ts';
import { parseJsonPathsFile } from './src/etl/jsonpaths.ts';
import { eventRowEncoder } from './src/etl/row-encoders.ts';
import { STAGING_EVENTS } from './src/sql/schema.ts';
const dir = '/work/main/bench/.data/events-100000';
const enc = eventRowEncoder(parseJsonPathsFile(readFileSync(path.join(dir, 'log_json_path.json'), 'utf8'), 'p'), STAGING_EVENTS, 'p');
const files = readdirSync(path.join(dir, 'log_data'), { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
const bufs = files.map((f) => readFileSync(f));
for (let round = 0; round < 3; round++) {
  let t = performance.now(); let n = 0;
  for (const b of bufs) { const d = new TextDecoder('utf-8', { fatal: true }); d.decode(b); }
  const tDecode = performance.now() - t;
  const texts = bufs.map((b) => b.toString());
  t = performance.now();
  for (const text of texts) { for (const line of text.split('\n')) { JSON.parse(line); n++; } }
  const tParse = performance.now() - t;
  t = performance.now(); let out = 0;
  for (const text of texts) { let pending = ''; const s = new JsonObjectSplitter((v) => { pending += enc(v as any); if (pending.length > 524288) { out += Buffer.byteLength(pending); pending = ''; } }); for (let i = 0; i < text.length; i += 1 << 20) s.push(text.slice(i, i + (1 << 20))); s.end(); out += Buffer.byteLength(pending); }
  const tAll = performance.now() - t;
  console.log(`decode ${tDecode.toFixed(0)}ms  JSON.parse lines ${tParse.toFixed(0)}ms  splitter+encode+bytes ${tAll.toFixed(0)}ms  rows ${n}`);
}
