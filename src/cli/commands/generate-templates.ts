import path from 'node:path';
import type { Command } from 'commander';
import { openStoreForReading } from '../../store/open.ts';
import { parseYear, progress, renderTable } from '../output.ts';
import { sayHeldBySnapshot, workspaceOf, type SetExitCode } from '../context.ts';
import { writeYearSnapshot } from '../../catalog/years.ts';
import { KEY_FILE, keyMadeAt } from '../../xlsx/signature.ts';

/** "--agency GDDT UBND", "--agency GDDT,UBND" and "--agency GDDT --agency UBND" all mean the same. */
function splitCodes(values: string[] | undefined): string[] {
  return (values ?? []).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
}

export const SKIPPED_NOTE = 'đã có, bỏ qua; dùng --force để ghi đè';

export function registerGenerateTemplates(program: Command, _setExitCode: SetExitCode): void {
  program
    .command('generate-templates')
    .description('tạo biểu mẫu Excel (.xlsx) cho từng đơn vị báo cáo trong danh sách đơn vị')
    .option('--year <năm>', 'năm báo cáo (bắt buộc), ví dụ 2024')
    .option('--out <thư-mục>', 'thư mục ghi biểu mẫu (mặc định: <thư mục làm việc>/templates/<năm>)')
    .option('--agency <mã...>', 'chỉ các đơn vị thuộc các cơ quan này (mã, ví dụ GDDT UBND hoặc GDDT,UBND)')
    .option('--unit <mã...>', 'chỉ các đơn vị này (mã trong roster.csv, ví dụ Q1 THUDUC)')
    .option('--force', 'ghi đè biểu mẫu đã có')
    .addHelpText('after', `
Mỗi đơn vị một tệp, tên gồm năm, mã và tên đơn vị (ví dụ 2024_Q1_Uy-ban-nhan-dan-Quan-1.xlsx).
Tệp đã có không bị ghi đè nếu không có --force. Khi đã có số liệu năm trước trong cơ sở dữ liệu,
biểu mẫu hiện số liệu đó bên cạnh ô nhập để tham khảo.
Dùng cả --agency và --unit: tạo cho các đơn vị thuộc cơ quan đã chọn và các đơn vị đã chọn.

Ví dụ:
  hoctap generate-templates --year 2024
  hoctap generate-templates --year 2024 --agency UBND --out ./gui-quan-huyen
  hoctap generate-templates --year 2024 --unit Q1 Q3 --force`)
    .action(async (opts: { year?: string; out?: string; agency?: string[]; unit?: string[]; force?: boolean }, cmd: Command) => {
      // Loaded on use: keeps every other command's start-up fast.
      const { generateTemplates, selectUnits } = await import('../../templates/generate.ts');
      const year = parseYear(opts.year, true);
      const ws = workspaceOf(cmd, year);
      sayHeldBySnapshot(ws);
      const outDir = opts.out ? path.resolve(opts.out) : path.join(ws.dir, 'templates', String(year));
      const agencies = splitCodes(opts.agency);
      const units = splitCodes(opts.unit);
      // Checks the codes before anything is written or opened (a wrong code is a one-line message).
      const total = selectUnits(ws, agencies, units).length;
      // Last year's figures come from the store only when there is one: never create an empty database here.
      const db = await openStoreForReading(ws.dbPath);
      // A workspace that already has a store but no key lost it: the new key will not verify templates sent earlier.
      const keyLost = db !== null && keyMadeAt(ws.dir) === null;
      const bar = progress('Đang tạo biểu mẫu', total);
      try {
        const results = await generateTemplates(ws, {
          year, outDir, agencies, units, force: opts.force === true,
          previousFigures: db ? (unitCode, y) => db.acceptedValuesOfUnit(unitCode, y) : undefined,
          onProgress: (_done, _total, unit) => bar.tick(unit.code),
        });
        bar.done();
        // What was in force for this year's templates stays with the year (years/<year>/snapshot.json).
        const snapshot = writeYearSnapshot(ws);
        const written = results.filter((r) => !r.skipped);
        const skipped = results.filter((r) => r.skipped);
        process.stdout.write(renderTable(
          ['Đơn vị', 'Tệp', 'Số chỉ số'],
          results.map((r) => [`${r.unit.code} - ${r.unit.name}`, path.basename(r.file) + (r.skipped ? `\n(${SKIPPED_NOTE})` : ''), r.indicators]),
        ) + '\n');
        process.stdout.write(`Đã tạo ${written.length} biểu mẫu trong ${outDir}\n`);
        if (skipped.length) process.stdout.write(`Bỏ qua ${skipped.length} tệp đã có (dùng --force để ghi đè).\n`);
        if (keyLost) {
          process.stderr.write(`Lưu ý: thư mục làm việc chưa có khóa ký ${KEY_FILE} nên hoctap đã tạo khóa mới. Biểu mẫu đã gửi trước đây ` +
            `(ký bằng khóa cũ) sẽ bị từ chối khi nhập (meta_signature): nếu còn bản sao lưu của ${KEY_FILE}, hãy chép lại vào thư mục làm việc rồi tạo lại biểu mẫu.\n`);
        }
        if (snapshot) process.stdout.write(`Đã lưu danh sách đơn vị, tên cơ quan và hạn nộp năm ${year} vào ${snapshot}.\n`);
      } catch (e) {
        bar.done();
        throw e;
      } finally {
        await db?.close();
      }
    });
}
