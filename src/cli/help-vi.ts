/**
 * commander in Vietnamese: the help's headings, usage line and "(default: …)" notes, commander's own error messages
 * and its "did you mean" suggestions. Commander has no locale: its hooks (configureHelp, configureOutput) rewrite
 * the few English words it writes.
 */
import { Help, type Command, type HelpConfiguration, type OutputConfiguration, type Option, type Argument } from 'commander';

const HEADINGS: Record<string, string> = {
  'Usage:': 'Cách dùng:',
  'Arguments:': 'Tham số:',
  'Options:': 'Tùy chọn:',
  'Global Options:': 'Tùy chọn chung:',
  'Commands:': 'Lệnh:',
};

/** commander's placeholders in a usage line or a command list. */
function translateUsage(s: string): string {
  return s.replace(/\[options\]/g, '[tùy-chọn]').replace(/\[command\]/g, '[lệnh]');
}

/** "(default: "hcm", choices: …, env: X)" after a description: only the part commander appended is rewritten. */
function translateExtra(full: string, own: string): string {
  const extra = full.slice(own.length);
  const vi = extra
    .replace(/\bdefault: /g, 'mặc định: ')
    .replace(/\bchoices: /g, 'chọn một trong: ')
    .replace(/\bpreset: /g, 'giá trị khi không ghi: ')
    .replace(/\benv: /g, 'biến môi trường: ');
  return own + vi;
}

/**
 * The help hooks. `hoctap` is how to call hoctap here (see invocation.ts): it replaces the program name in usage
 * lines, so that what the help shows can be typed as shown.
 */
export function vietnameseHelp(hoctap: string): HelpConfiguration {
  const base = new Help();
  return {
    styleTitle: (str: string) => HEADINGS[str] ?? str,
    commandUsage: (cmd: Command) => translateUsage(base.commandUsage(cmd)).replace(/^hoctap(?=\s|$)/, hoctap),
    subcommandTerm: (cmd: Command) => translateUsage(base.subcommandTerm(cmd)),
    optionDescription: (option: Option) => translateExtra(base.optionDescription(option), option.description ?? ''),
    argumentDescription: (argument: Argument) => translateExtra(base.argumentDescription(argument), argument.description ?? ''),
  };
}

/** Commander's error lines (one per rule), each to a Vietnamese sentence. */
const ERROR_RULES: [RegExp, (m: RegExpMatchArray) => string][] = [
  [/^error: unknown option '([^']+)'/, (m) => `Lỗi: không có tùy chọn ${m[1]}.`],
  [/^error: unknown command '([^']+)'/, (m) => `Lỗi: không có lệnh "${m[1]}".`],
  [/^error: missing required argument '([^']+)'/, (m) => `Lỗi: thiếu tham số bắt buộc <${m[1]}>.`],
  [/^error: option '([^' ]+)[^']*' argument missing/, (m) => `Lỗi: tùy chọn ${m[1]} cần một giá trị, ví dụ ${m[1]} ${exampleValue(m[1])}.`],
  [/^error: required option '([^' ]+)[^']*' not specified/, (m) => `Lỗi: thiếu tùy chọn bắt buộc ${m[1]}.`],
  [/^error: too many arguments for '([^']+)'\. Expected (\d+) arguments? but got \d+: (.*)\.$/,
    (m) => `Lỗi: lệnh ${m[1]} ${m[2] === '0' ? 'không nhận tham số' : `chỉ nhận ${m[2]} tham số`}; thừa: ${m[3]}. Tùy chọn phải bắt đầu bằng --.`],
  [/^error: too many arguments\. Expected (\d+) arguments? but got \d+: (.*)\.$/,
    (m) => `Lỗi: thừa tham số: ${m[2]}. Hãy ghi tên lệnh trước (ví dụ: catalog, ingest, report).`],
  [/^error: option '([^' ]+)[^']*' argument '([^']*)' is invalid\.\s*(.*)$/, (m) => `Lỗi: giá trị "${m[2]}" của ${m[1]} không hợp lệ.${m[3] ? ' ' + m[3] : ''}`],
  [/^error: command-argument value '([^']*)' is invalid for argument '([^']+)'\.\s*(.*)$/, (m) => `Lỗi: tham số <${m[2]}> "${m[1]}" không hợp lệ.${m[3] ? ' ' + m[3] : ''}`],
  [/^error: (.+) cannot be used with (.+)$/, (m) => `Lỗi: không dùng được ${m[1]} cùng với ${m[2]}.`.replace(/\boption '([^' ]+)[^']*'/g, '$1')],
];

/** A value to show in "--year cần một giá trị, ví dụ --year 2024". */
function exampleValue(flag: string): string {
  const examples: Record<string, string> = { '--year': '2024', '--format': 'json', '--workspace': './hoctap-2024', '-w': './hoctap-2024', '--date': '2025-01-05', '--received-at': '2024-12-09' };
  return examples[flag] ?? '…';
}

/** commander's "(Did you mean --year?)" line. */
function translateSuggestion(line: string): string {
  return line
    .replace(/^\(Did you mean one of (.+)\?\)$/, '(Có phải ý bạn là một trong: $1?)')
    .replace(/^\(Did you mean (.+)\?\)$/, '(Có phải ý bạn là $1?)');
}

/** Commander's message (first line the error, then maybe a suggestion) in Vietnamese; unknown errors keep their text after "Lỗi:". */
export function translateCommanderError(str: string): string {
  const [first, ...rest] = str.replace(/\n$/, '').split('\n');
  let head = first.replace(/^error: /, 'Lỗi: ');
  for (const [re, fmt] of ERROR_RULES) {
    const m = first.match(re);
    if (m) {
      head = fmt(m);
      break;
    }
  }
  return [head, ...rest.map(translateSuggestion)].join('\n') + '\n';
}

/**
 * "hoctap <command or option>" in a help text: at a line's start (examples) or after a space or quote (prose); not
 * where it is already written as called here ("npx hoctap"). Built from the program's own command list, so that a new
 * command's examples are rewritten too.
 */
export function hoctapCallPattern(commands: readonly string[]): RegExp {
  const words = [...commands, 'help', '-w', '--workspace', '-h', '--help', '-V'].map((w) => w.replace(/[-]/g, '\\-'));
  return new RegExp(`(^|[\\s"'(])(?<!npx )hoctap (?=(?:${words.join('|')})(?![\\w-]))`, 'gm');
}

/**
 * Output hooks: errors in Vietnamese (colour added by `paint`), and the examples of the help ("  hoctap catalog …")
 * written with how hoctap is called here. `commands`: the program's command names, read when output is written.
 */
export function vietnameseOutput(hoctap: string, paint: (s: string) => string, commands: () => readonly string[]): OutputConfiguration {
  const examples = (s: string) => (hoctap === 'hoctap' ? s : s.replace(hoctapCallPattern(commands()), `$1${hoctap} `));
  return {
    writeOut: (str) => process.stdout.write(examples(str)),
    writeErr: (str) => process.stderr.write(examples(str)),
    outputError: (str, write) => write(paint(translateCommanderError(str))),
  };
}
