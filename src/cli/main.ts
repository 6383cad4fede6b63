import fs from 'node:fs';
import path from 'node:path';
import { Command, CommanderError } from 'commander';
import chalk from 'chalk';
import { describeError, UserError } from '../errors.ts';
import { commands } from './commands/index.ts';
import { announceWorkspace } from './context.ts';
import { vietnameseHelp, vietnameseOutput } from './help-vi.ts';
import { hoctapCommand, hoctapHint, PROJECT_ROOT } from './invocation.ts';

/** The version in package.json (npm sets npm_package_version only under npm run; hoctap.cmd does not). */
function version(): string {
  try {
    return (JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return process.env.npm_package_version ?? '0.0.0';
  }
}

/** The cycle of a year, as the program's help shows it, aligned whatever `hoctap` is. */
function programExamples(hoctap: string): string {
  const rows: [string, string][] = [
    ['init ./hoctap-2024', 'tạo thư mục làm việc với cấu hình để chỉnh sửa'],
    ['-w ./hoctap-2024 generate-templates --year 2024', ''],
    ['-w ./hoctap-2024 ingest ./bieu-mau-nhan-ve', ''],
    ['-w ./hoctap-2024 status --year 2024', ''],
    ['-w ./hoctap-2024 score --year 2024', ''],
    ['-w ./hoctap-2024 report --year 2024', ''],
    ['demo', 'chạy cả chu kỳ trên dữ liệu mẫu'],
  ];
  const lines = rows.map(([args, note]) => [`${hoctap} ${args}`, note] as const);
  const width = Math.max(...lines.map(([cmd]) => cmd.length)) + 2;
  return lines.map(([cmd, note]) => `  ${note ? cmd.padEnd(width) + note : cmd}`).join('\n');
}

/** Runs the CLI; returns the exit code (0 ok, 1 some input rejected, 2 usage or configuration error). */
export async function main(argv: string[]): Promise<number> {
  const program = new Command('hoctap');
  let exitCode = 0;
  const setExitCode = (code: number) => {
    exitCode = Math.max(exitCode, code);
  };
  const hoctap = hoctapCommand();
  const commandNames = () => program.commands.map((c) => c.name());
  // Set before the commands are added: commander copies these settings to every command created after them.
  program
    .description('hoctap: thu thập, kiểm tra, chấm điểm và báo cáo các chỉ số xây dựng thành phố học tập (UNESCO) hằng năm.')
    .option('-w, --workspace <thư-mục>', 'thư mục làm việc (mặc định: biến HOCTAP_WORKSPACE, nếu không có thì thư mục hiện tại)')
    .helpOption('-h, --help', 'hiển thị trợ giúp')
    .helpCommand('help [lệnh]', 'hiển thị trợ giúp của một lệnh')
    .version(version(), '-V, --version', 'hiển thị phiên bản')
    .showHelpAfterError(`(chạy "${hoctapHint(['--help'])}" để xem cách dùng)`)
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureHelp(vietnameseHelp(hoctap))
    .configureOutput(vietnameseOutput(hoctap, (s) => chalk.red(s), commandNames))
    .addHelpText('after', `\nVí dụ (một chu kỳ báo cáo):\n${programExamples(hoctap)}`);
  for (const register of commands) register(program, setExitCode);
  program.hook('postAction', () => announceWorkspace());
  for (const cmd of program.commands) {
    // Each command's own help hint; and the settings again, for a command not created through program.command().
    cmd.helpOption('-h, --help', 'hiển thị trợ giúp').exitOverride()
      .showHelpAfterError(`(chạy "${hoctapHint([cmd.name(), '--help'])}" để xem cách dùng)`)
      .configureHelp(vietnameseHelp(hoctap))
      .configureOutput(vietnameseOutput(hoctap, (s) => chalk.red(s), commandNames));
  }
  try {
    await program.parseAsync(argv);
  } catch (e) {
    return reportError(e);
  }
  return exitCode;
}

function reportError(e: unknown): number {
  if (e instanceof CommanderError) {
    // help and version exit with code 0 through here
    return e.exitCode === 0 ? 0 : 2;
  }
  if (e instanceof UserError) {
    process.stderr.write(chalk.red('Lỗi: ') + e.render((args) => hoctapHint(args)) + '\n');
    return e.exitCode;
  }
  // A library's error hoctap knows (a file held open by Excel, a full disk…): one Vietnamese line, not a bug report.
  const known = describeError(e);
  if (known) {
    process.stderr.write(chalk.red('Lỗi: ') + known + (process.env.HOCTAP_DEBUG ? '\n' + (e as Error)?.stack : '') + '\n');
    return 2;
  }
  const err = e as Error;
  process.stderr.write(chalk.red('Lỗi không mong đợi: ') + (err?.message ?? String(e)) + '\n' +
    'Đây là lỗi của hoctap, không phải của dữ liệu. Hãy gửi lệnh đã chạy và tệp liên quan cho người phụ trách kỹ thuật' +
    (process.env.HOCTAP_DEBUG ? '\n' + err?.stack : ' (đặt HOCTAP_DEBUG=1 để xem chi tiết).') + '\n');
  return 3;
}
