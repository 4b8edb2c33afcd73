import type { HelpSection } from './HelpOverlay.js';
import type { Hint } from './KeyHints.js';

/** The app's screens, their keys, and the keys the footer and the help list. */

export const TABS = [
  { key: '1', title: 'Home' },
  { key: '2', title: 'Schema' },
  { key: '3', title: 'ETL' },
  { key: '4', title: 'Queries' },
  { key: '5', title: 'SQL' },
] as const;
export const [HOME, SCHEMA, ETL, QUERIES_TAB, SQL_TAB] = [0, 1, 2, 3, 4];

export const GLOBAL_HINTS: Hint[] = [
  ['1-5/tab', 'screens'],
  ['R', 'reload all'],
  ['i', 'load new files'],
  ['?', 'help'],
  ['q', 'quit'],
];
export const SCREEN_HINTS: Hint[][] = [
  [['r', 'retry / re-read config']],
  [
    ['↑↓', 'select'],
    ['enter', 'preview rows'],
    ['e', 'export'],
    ['esc', 'back'],
    ['x', 'reset schema'],
  ],
  [
    ['↑↓', 'select stage'],
    ['enter', 'run stage'],
    ['a', 'run all'],
    ['esc', 'cancel run'],
  ],
  [
    ['↑↓', 'select'],
    ['enter', 'run'],
    ['s', 'show SQL'],
    ['j/k pgup/pgdn g/G ←→', 'scroll'],
    ['e', 'export'],
    ['esc', 'back'],
  ],
  [
    ['enter', 'edit'],
    ['w', 'writes on/off'],
    ['j/k pgup/pgdn g/G ←→', 'scroll'],
    ['e', 'export'],
  ],
];
/** The footer while the SQL editor has the keys: the app's own keys are text there. */
export const EDITOR_HINTS: Hint[] = [
  ['esc', 'cancel the statement, or leave the editor'],
  ['pgup/pgdn', 'scroll'],
  ['ctrl-c', 'quit'],
];
export const HELP: HelpSection[] = [
  {
    title: 'Everywhere',
    hints: [...GLOBAL_HINTS, ['esc', 'cancel the running stage (rolls back); on a result or a preview, back'], ['ctrl-c', 'cancel a run; again to quit']],
  },
  { title: 'Home', hints: SCREEN_HINTS[HOME]! },
  { title: 'Schema', hints: SCREEN_HINTS[SCHEMA]! },
  { title: 'ETL', hints: SCREEN_HINTS[ETL]! },
  { title: 'Queries', hints: SCREEN_HINTS[QUERIES_TAB]! },
  {
    title: 'SQL',
    hints: [
      ['enter after ; / ctrl-r', 'run'],
      ['tab', 'complete'],
      ['ctrl-p/n', 'history'],
      ['esc', 'cancel / leave the editor'],
      ['enter', 'edit'],
      ['w', 'writes on/off'],
      ['e', 'export'],
    ],
  },
];

/** The lines the help takes with a blank line between its sections, at 80 columns: less room makes it compact. */
export const HELP_LINES = 27;
