import type { Command } from 'commander';
import chalk from 'chalk';
import { parseReportDate } from '../../report/format.ts';
import { openWorkspaceStore } from '../../scoring/store-access.ts';
import { parseYear } from '../output.ts';
import { requireStore, sayHeldBySnapshot, workspaceOf, type SetExitCode } from '../context.ts';

export function registerReport(program: Command, setExitCode: SetExitCode): void {
  program
    .command('report')
    .description('lập báo cáo tổng hợp của năm theo thể thức văn bản hành chính: HTML, PDF, Word (DOCX) và bảng tính XLSX')
    .option('--year <năm>', 'năm báo cáo (bắt buộc)')
    .option('--out <thư-mục>', 'thư mục ghi báo cáo (mặc định: <thư mục làm việc>/reports/<năm>)')
    .option('--format <danh-sách>', 'html, pdf, docx, xlsx, cách nhau bằng dấu phẩy (mặc định: cả bốn)')
    .option('--date <YYYY-MM-DD>', 'ngày ghi trên báo cáo (mặc định: hôm nay)')
    .option('--number <số>', 'số của văn bản, ví dụ 125 (mặc định: documentNumber trong cấu hình; trống thì để chỗ cho văn thư ghi)')
    .option('--signer <họ tên>', 'họ tên người ký (mặc định: signer.name trong cấu hình)')
    .option('--signer-title <chức vụ>', 'chức vụ người ký, ví dụ "PHÓ GIÁM ĐỐC" (mặc định: signer.title)')
    .option('--signer-authority <thẩm quyền>', 'thẩm quyền ký, ví dụ "KT. GIÁM ĐỐC" (mặc định: signer.authority)')
    .option('--browser <đường-dẫn>', 'đường dẫn tới Chrome, Chromium hoặc Edge để tạo PDF (hoặc biến HOCTAP_BROWSER)')
    .option('--final', 'báo cáo chính thức: chỉ khi số liệu của năm đã khóa (hoctap lock); không có tùy chọn này, báo cáo ghi "DỰ THẢO"')
    .option('--copy-templates', 'chép các mẫu trình bày có sẵn vào <thư mục làm việc>/templates/ để chỉnh sửa (không ghi đè tệp đã có)')
    .addHelpText('after', `
Ví dụ:
  hoctap report --year 2024
  hoctap report --year 2024 --format pdf --date 2025-01-05
  hoctap report --year 2024 --number 125 --signer "Nguyễn Văn A" --signer-title "PHÓ GIÁM ĐỐC"
  hoctap report --year 2024 --format docx,xlsx --out ./gui-phong-ke-hoach
  hoctap report --year 2024 --browser "C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe"
  hoctap report --copy-templates
  hoctap report --year 2024 --final          (khi năm đã khóa: báo cáo chính thức, không ghi "DỰ THẢO")

Tệp tạo ra: bao-cao-<năm>.html, bao-cao-<năm>.pdf, bao-cao-<năm>.docx, bao-cao-<năm>.xlsx.
Mẫu trình bày: report.hbs, report.css hoặc partials/<tên>.hbs đặt trong thư mục templates/ của thư mục làm việc
thay mẫu có sẵn (từng tệp một); --copy-templates chép các mẫu có sẵn vào đó để bắt đầu.
PDF cần Chrome, Chromium hoặc Edge: --browser, rồi HOCTAP_BROWSER, PUPPETEER_EXECUTABLE_PATH, rồi các đường dẫn cài đặt thông thường.`)
    .action(async (opts: {
      year?: string; out?: string; format?: string; date?: string; browser?: string; copyTemplates?: boolean; final?: boolean;
      number?: string; signer?: string; signerTitle?: string; signerAuthority?: string;
    }, cmd: Command) => {
      // Loaded on use: the browser driver and the workbook writer would slow every other command's start-up.
      const [{ generateReport, parseReportFormats }, { copyBundledTemplates }] = await Promise.all([
        import('../../report/generate.ts'), import('../../report/html.ts'),
      ]);
      if (opts.copyTemplates) {
        const { written, kept } = copyBundledTemplates(workspaceOf(cmd).dir);
        for (const f of written) process.stdout.write(`${f}\n`);
        if (kept.length) process.stderr.write(chalk.yellow(`Giữ nguyên ${kept.length} tệp đã có: ${kept.join(', ')}`) + '\n');
        return;
      }
      const year = parseYear(opts.year, true);
      const { formats, explicit } = parseReportFormats(opts.format);
      const date = parseReportDate(opts.date);
      const ws = workspaceOf(cmd, year); // the year's roster, names, Căn cứ and words
      requireStore(ws);
      sayHeldBySnapshot(ws);
      const { db } = await openWorkspaceStore(ws);
      try {
        const result = await generateReport(ws, db, {
          year, outDir: opts.out, formats, formatsExplicit: explicit, date, browser: opts.browser, final: opts.final === true,
          document: { number: opts.number, signerName: opts.signer, signerTitle: opts.signerTitle, signerAuthority: opts.signerAuthority },
          notice: (line) => process.stderr.write(chalk.yellow(line) + '\n'),
          onPdfStart: (browser) => process.stderr.write(chalk.dim(`Đang tạo PDF bằng ${browser}…`) + '\n'),
          // Each path as soon as it is written: when one file fails, the analyst still sees where the others are.
          onFile: (f) => process.stdout.write(`${f.path}\n`),
        });
        if (result.pdfProblem) {
          const written = result.files.length ? ` Đã ghi: ${result.files.map((f) => f.format.toUpperCase()).join(', ')}.` : '';
          process.stderr.write((result.pdfMissing ? chalk.red('Lỗi: ') : chalk.yellow('Lưu ý: ')) + result.pdfProblem + written + '\n');
        }
        setExitCode(reportExitCode(result));
      } finally {
        await db.close();
      }
    });
}

/** 1 when a PDF asked for by name could not be made (the other formats are written all the same), else 0. */
export function reportExitCode(r: { pdfMissing: boolean }): 0 | 1 {
  return r.pdfMissing ? 1 : 0;
}
