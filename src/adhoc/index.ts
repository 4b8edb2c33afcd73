/**
 * Ad-hoc SQL on the warehouse: a script cut into statements, each run
 * read-only (unless writes are allowed) with a timeout, its rows streamed
 * from a cursor, its errors placed by line and column; and the catalog of
 * names for completion. No UI here: the command line (`sparkify sql`) and
 * the app drive it.
 */
export {
  splitStatements,
  scanScript,
  isCompleteScript,
  type ScriptStatement,
  type SplitOptions,
  type ScannedScript,
  type ScriptEnd,
} from './split-statements.js';
export { scriptPositionOf, type ScriptPosition } from './script-position.js';
export { runStatement, transactionOpen, type StatementOptions, type ResultSink, type StatementOutcome } from './run-statement.js';
export { runScript, type ScriptRun, type ScriptRunOptions, type ScriptStop } from './run-script.js';
export { isQuery, isTransactionControl, leadingWords } from './statement-kind.js';
export { collectStatement, RowCollector, MAX_COLLECTED_ROWS, type CollectedStatement } from './collect-rows.js';
export { SqlError, type SqlErrorKind } from './sql-error.js';
export { loadCatalog, type CatalogTable, type CatalogColumn } from './catalog.js';
export { DEFAULT_TIMEOUT_MS, parseTimeout, formatTimeout } from './timeout.js';
