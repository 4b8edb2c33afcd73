import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseJsonPathsFile } from '../../src/etl/jsonpaths.js';
import { eventRows } from '../../src/etl/row-encoders.js';
import { STAGING_EVENTS } from '../../src/sql/schema.js';
import { MINI } from './fixtures.js';

const JSONPATHS_TEXT = readFileSync(path.join(MINI, 'log_json_path.json'), 'utf8');

/** The 18 keys of a Sparkify log event, in the order of log_json_path.json (the mini fixture's, a copy of Udacity's). */
export const EVENT_KEYS = (JSON.parse(JSONPATHS_TEXT) as { jsonpaths: string[] }).jsonpaths.map((p) => /^\$\['(\w+)'\]$/.exec(p)![1]!);

/** The Udacity jsonpaths file's mapping, as the extract builds it. */
export const EVENT_ROWS = eventRows(parseJsonPathsFile(JSONPATHS_TEXT, 'log_json_path.json'), STAGING_EVENTS, 'log_json_path.json');

/** One play, as the Udacity logs have them (userId a string, registration a float). */
export const SAMPLE_EVENT = {
  artist: "Des'ree",
  auth: 'Logged In',
  firstName: 'Kaylee',
  gender: 'F',
  itemInSession: 1,
  lastName: 'Summers',
  length: 246.30812,
  level: 'free',
  location: 'Phoenix-Mesa-Scottsdale, AZ',
  method: 'PUT',
  page: 'NextSong',
  registration: 1540344794796.0,
  sessionId: 139,
  song: 'You Gotta Be',
  status: 200,
  ts: 1541106106796,
  userAgent: '"Mozilla/5.0 (Windows NT 6.1; WOW64)"',
  userId: '8',
};
