import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { diffRosters, readUnitList, rosterCsv, validateUnitList, type RosterDiff } from '../../catalog/roster.ts';
import { openWorkspace, yearDir, ROSTER_FILE, SNAPSHOT_FILE } from '../../catalog/workspace.ts';
import { replaceSnapshotRoster, yearConfig } from '../../catalog/years.ts';
import { UserError } from '../../errors.ts';
import { parseFormat, parseYear, renderJson, renderTable } from '../output.ts';
import { workspaceOf, type SetExitCode } from '../context.ts';

const SHOWN = 15;

/** "Thêm 3 đơn vị: …", one line per kind of change, the first few of each named. */
export function describeDiff(d: RosterDiff): string[] {
  const some = (xs: string[]) => xs.slice(0, SHOWN).join('; ') + (xs.length > SHOWN ? `; … (và ${xs.length - SHOWN} đơn vị khác)` : '');
  const lines: string[] = [];
  if (d.added.length) lines.push(`Thêm ${d.added.length} đơn vị: ${some(d.added.map((u) => `${u.code} - ${u.name}`))}`);
  if (d.removed.length) lines.push(`Bớt ${d.removed.length} đơn vị: ${some(d.removed.map((u) => `${u.code} - ${u.name}`))}`);
  if (d.renamed.length) lines.push(`Đổi tên ${d.renamed.length} đơn vị: ${some(d.renamed.map((r) => `${r.code}: ${r.from} → ${r.to}`))}`);
  if (d.moved.length) lines.push(`Đổi cơ quan ${d.moved.length} đơn vị: ${some(d.moved.map((r) => `${r.code}: ${r.from} → ${r.to}`))}`);
  if (!lines.length) lines.push('Không có thay đổi.');
  return lines;
}

export function registerRoster(program: Command, _setExitCode: SetExitCode): void {
  const roster = program
    .command('roster')
    .description('danh sách đơn vị báo cáo của từng năm: nhập từ danh sách chính thức, xem danh sách đang áp dụng')
    .addHelpText('after', `
Ví dụ:
  hoctap roster import danh-sach-don-vi-2025.xlsx --year 2025
  hoctap roster show --year 2024`);

  roster
    .command('import <tệp>')
    .description('nhập danh sách đơn vị (xlsx hoặc csv: Mã, Tên đơn vị, Loại, Email) cho một năm hoặc cho cả thư mục làm việc')
    .option('--year <năm>', 'năm áp dụng (ghi years/<năm>/roster.csv); không có: ghi roster.csv dùng chung')
    .option('--dry-run', 'chỉ kiểm tra và so sánh, không ghi tệp')
    .option('--force', 'thay cả danh sách của năm đã tạo biểu mẫu')
    .addHelpText('after', `
Cột được nhận (không phân biệt hoa thường, có dấu hay không): "Mã" (hoặc unit_code), "Tên đơn vị" (unit_name),
"Loại" (mã cơ quan như GDDT, UBND; tên cơ quan; hoặc Xã, Phường, Đặc khu), "Email", "Ghi chú".
Lỗi (mã trùng, loại không có trong danh mục, tên trống) được báo theo tệp và dòng, mã thoát 2, không ghi gì.
Sau khi nhập, lệnh cho biết danh sách khác năm trước thế nào (thêm, bớt, đổi tên).

Ví dụ:
  hoctap roster import danh-sach-don-vi-2025.xlsx --year 2025
  hoctap roster import danh-sach.csv --year 2025 --dry-run`)
    .action(async (file: string, opts: { year?: string; dryRun?: boolean; force?: boolean }, cmd: Command) => {
      const year = parseYear(opts.year);
      const wsDir = workspaceOf(cmd).dir;
      const ws = openWorkspace(wsDir, { year: year ?? null, ignoreSnapshot: true });
      const { rows, columns } = await readUnitList(path.resolve(file));
      const { units, problems } = validateUnitList(rows, ws.catalog, path.resolve(file), columns);
      if (!rows.length) throw new UserError(`Tệp "${file}" không có đơn vị nào dưới dòng tiêu đề.`);
      if (problems.length) {
        for (const p of problems) process.stderr.write(`${[p.file, p.line !== undefined ? `dòng ${p.line}` : '', p.column ? `cột "${p.column}"` : ''].filter(Boolean).join(', ')}: ${p.message}\n`);
        throw new UserError(`Danh sách có ${problems.length} lỗi: chưa ghi gì. Sửa tệp rồi nhập lại.`);
      }
      const frozen = year !== undefined && fs.existsSync(path.join(yearDir(wsDir, year), SNAPSHOT_FILE));
      if (frozen && !opts.force && !opts.dryRun) {
        throw new UserError(`Năm ${year} đã tạo biểu mẫu: danh sách đơn vị của năm được giữ trong ${path.join(yearDir(wsDir, year!), 'snapshot.json')}. Thêm --force để thay (biểu mẫu đã gửi cần tạo lại).`);
      }
      const before = year !== undefined ? yearConfig(ws, year - 1).roster : ws.roster;
      const diff = diffRosters(before, units);
      const target = year !== undefined ? path.join(yearDir(wsDir, year), ROSTER_FILE) : path.join(wsDir, ROSTER_FILE);
      process.stdout.write(`${units.length} đơn vị hợp lệ trong ${file}.\n`);
      process.stdout.write(`So với danh sách ${year !== undefined ? `năm ${year - 1}` : 'đang dùng'} (${before.length} đơn vị):\n${describeDiff(diff).map((l) => '  ' + l).join('\n')}\n`);
      if (opts.dryRun) {
        process.stdout.write('Chạy thử (--dry-run): chưa ghi tệp.\n');
        return;
      }
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, rosterCsv(units));
      if (frozen && replaceSnapshotRoster(ws, year!, units)) process.stdout.write(`Đã thay danh sách đơn vị đã lưu của năm ${year}: tạo lại biểu mẫu bằng hoctap generate-templates --year ${year} --force.\n`);
      process.stdout.write(`Đã ghi ${target}.\n`);
    });

  roster
    .command('show')
    .description('danh sách đơn vị đang áp dụng cho một năm và nơi lấy danh sách')
    .option('--year <năm>', 'năm báo cáo; không có: danh sách dùng chung')
    .option('--format <dạng>', 'table (mặc định) hoặc json')
    .addHelpText('after', `
Ví dụ:
  hoctap roster show --year 2024
  hoctap roster show --year 2025 --format json`)
    .action((opts: { year?: string; format?: string }, cmd: Command) => {
      const year = parseYear(opts.year);
      const ws = workspaceOf(cmd, year);
      const format = parseFormat(opts.format, ['table', 'json'] as const, 'table');
      if (format === 'json') {
        process.stdout.write(renderJson({ year: year ?? null, source: ws.sources.roster, units: ws.roster.map(({ code, name, agencyCode, email, note }) => ({ code, name, agency: agencyCode, email, ...(note ? { note } : {}) })) }));
        return;
      }
      // The note column only when a unit has one ("mẫu: …", a sample row the analyst replaces).
      const notes = ws.roster.some((u) => u.note);
      process.stdout.write(renderTable(['Mã', 'Tên đơn vị', 'Cơ quan', 'Email', ...(notes ? ['Ghi chú'] : [])], ws.roster.map((u) => [u.code, u.name, u.agencyCode, u.email, ...(notes ? [u.note ?? ''] : [])])) + '\n');
      process.stdout.write(`${ws.roster.length} đơn vị${year ? ` năm ${year}` : ''} · lấy từ ${ws.sources.roster}\n`);
    });
}
