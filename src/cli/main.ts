import { Command, CommanderError } from 'commander';
import chalk from 'chalk';
import { UserError } from '../errors.ts';
import { commands } from './commands/index.ts';

/** Runs the CLI; returns the exit code (0 ok, 1 some input rejected, 2 usage or configuration error). */
export async function main(argv: string[]): Promise<number> {
  const program = new Command('hoctap');
  let exitCode = 0;
  const setExitCode = (code: number) => {
    exitCode = Math.max(exitCode, code);
  };
  program
    .description('hoctap: thu thập, kiểm tra, chấm điểm và báo cáo các chỉ số xây dựng thành phố học tập (UNESCO) hằng năm.')
    .option('-w, --workspace <dir>', 'thư mục làm việc (mặc định: biến HOCTAP_WORKSPACE, nếu không có thì thư mục hiện tại)')
    .helpOption('-h, --help', 'hiển thị trợ giúp')
    .helpCommand('help [lệnh]', 'hiển thị trợ giúp của một lệnh')
    .version(process.env.npm_package_version ?? '0.1.0', '-V, --version', 'hiển thị phiên bản')
    .showHelpAfterError('(chạy "hoctap --help" để xem cách dùng)')
    .exitOverride()
    .configureOutput({ outputError: (str, write) => write(chalk.red(translateCommanderError(str))) })
    .addHelpText('after', `
Ví dụ (một chu kỳ báo cáo):
  hoctap init ./hoctap-2024                      tạo thư mục làm việc với cấu hình để chỉnh sửa
  hoctap -w ./hoctap-2024 generate-templates --year 2024
  hoctap -w ./hoctap-2024 ingest ./bieu-mau-nhan-ve
  hoctap -w ./hoctap-2024 status --year 2024
  hoctap -w ./hoctap-2024 score --year 2024
  hoctap -w ./hoctap-2024 report --year 2024
  hoctap demo                                     chạy cả chu kỳ trên dữ liệu mẫu`);
  for (const register of commands) register(program, setExitCode);
  for (const cmd of program.commands) {
    cmd.helpOption('-h, --help', 'hiển thị trợ giúp').exitOverride().configureOutput({ outputError: (str, write) => write(chalk.red(translateCommanderError(str))) });
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
    process.stderr.write(chalk.red('Lỗi: ') + e.message + '\n');
    return e.exitCode;
  }
  const err = e as Error;
  process.stderr.write(chalk.red('Lỗi không mong đợi: ') + (err?.message ?? String(e)) + '\n' +
    'Đây là lỗi của hoctap, không phải của dữ liệu. Hãy gửi lệnh đã chạy và tệp liên quan cho người phụ trách kỹ thuật' +
    (process.env.HOCTAP_DEBUG ? '\n' + err?.stack : ' (đặt HOCTAP_DEBUG=1 để xem chi tiết).') + '\n');
  return 3;
}

/** Commander's own messages are in English: the usual ones get a Vietnamese line. */
function translateCommanderError(str: string): string {
  const rules: [RegExp, (m: RegExpMatchArray) => string][] = [
    [/unknown option '([^']+)'/, (m) => `Lỗi: không có tùy chọn ${m[1]}.`],
    [/unknown command '([^']+)'/, (m) => `Lỗi: không có lệnh "${m[1]}".`],
    [/missing required argument '([^']+)'/, (m) => `Lỗi: thiếu tham số bắt buộc <${m[1]}>.`],
    [/option '([^']+)' argument missing/, (m) => `Lỗi: tùy chọn ${m[1]} cần một giá trị.`],
    [/required option '([^']+)' not specified/, (m) => `Lỗi: thiếu tùy chọn bắt buộc ${m[1]}.`],
    [/too many arguments/, () => 'Lỗi: thừa tham số.'],
  ];
  for (const [re, fmt] of rules) {
    const m = str.match(re);
    if (m) return fmt(m) + '\n';
  }
  return str;
}
