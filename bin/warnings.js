// Node's notices that a feature hoctap relies on is still experimental (node:sqlite and type stripping on Node 22):
// they mean nothing to an analyst and look like an error. Only those are hidden; every other warning still shows.
const HIDDEN = [/^SQLite is an experimental feature/, /^Type Stripping is an experimental feature/i];

export function isHiddenWarning(warning, type) {
  const name = typeof warning === 'object' && warning !== null ? warning.name : type;
  const message = typeof warning === 'object' && warning !== null ? warning.message : String(warning);
  return name === 'ExperimentalWarning' && HIDDEN.some((re) => re.test(message));
}

/** Installs the filter: Node emits these warnings through process.emitWarning, which this wraps. */
export function hideExperimentalWarnings() {
  const emitWarning = process.emitWarning;
  process.emitWarning = function (warning, ...rest) {
    const type = typeof rest[0] === 'string' ? rest[0] : rest[0]?.type;
    if (isHiddenWarning(warning, type)) return;
    return emitWarning.call(process, warning, ...rest);
  };
}
