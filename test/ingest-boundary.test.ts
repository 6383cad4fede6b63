/**
 * Issue 22 (a dropped folder is accounted for, file by file) and issue 27 (a fault boundary per file): every file of a
 * folder is named; a file whose check fails with a plain Error is refused alone and the batch goes on; a fault outside
 * the files' content stops the batch after saying what was stored.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { zipSync } from 'fflate';
import { openWorkspace, type Workspace } from '../src/catalog/workspace.ts';
import { buildTemplateWorkbook } from '../src/templates/generate.ts';
import { ingest } from '../src/ingest/ingest.ts';
import { outliers } from '../src/ingest/checks/outliers.ts';
import { batchExitCode } from '../src/cli/commands/ingest.ts';
import { fillTemplate, plausibleValues } from '../fixtures/fill.ts';
import { history, openDatabase } from './helpers/sqlite.ts';
import { runHoctap } from './helpers/cli.ts';
import { tempDir } from './helpers/tools.ts';

let ws: Workspace;

async function filled(code: string): Promise<Buffer> {
  const unit = ws.roster.find((u) => u.code === code)!;
  const blank = Buffer.from(await (await buildTemplateWorkbook(ws, unit, 2024)).xlsx.writeBuffer());
  return fillTemplate(blank, plausibleValues(ws, unit));
}

function stored(): { unit: string; status: string }[] {
  const db = openDatabase(ws.dbPath);
  try {
    return history(db).map((s) => ({ unit: s.unit_code, status: s.status }));
  } finally {
    db.close();
  }
}

beforeAll(() => {
  ws = openWorkspace(tempDir('hoctap-boundary-'));
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('a dropped folder is accounted for, file by file', () => {
  it('names a valid workbook, an .ods, an .xlsb, a .pdf and an upper-case .XLSX, in the table and the JSON', async () => {
    const inbox = tempDir('hoctap-folder-');
    fs.writeFileSync(path.join(inbox, 'Q1.xlsx'), await filled('Q1'));
    fs.writeFileSync(path.join(inbox, 'Q3.XLSX'), await filled('Q3'));
    fs.writeFileSync(path.join(inbox, 'Q5.ods'), zipSync({ mimetype: new TextEncoder().encode('application/vnd.oasis.opendocument.spreadsheet'), 'content.xml': new TextEncoder().encode('<office:document-content/>') }));
    fs.writeFileSync(path.join(inbox, 'Q7.xlsb'), zipSync({ '[Content_Types].xml': new TextEncoder().encode('<Types/>'), 'xl/workbook.bin': new Uint8Array([1, 2, 3]) }));
    fs.writeFileSync(path.join(inbox, 'cong-van.pdf'), '%PDF-1.4\n%%EOF\n');
    fs.writeFileSync(path.join(inbox, 'anh-chup.jpg'), Buffer.from([0xff, 0xd8, 0xff]));
    const r = runHoctap(['-w', ws.dir, 'ingest', inbox, '--dry-run', '--format', 'json']);
    expect(r.status).toBe(1);
    const json = JSON.parse(r.stdout) as { files: { file: string; status: string; reason: string | null }[]; skipped: { file: string; why: string }[] };
    const line = (name: string) => json.files.find((f) => f.file === name);
    expect(line('Q1.xlsx')?.status).toBe('accepted');
    expect(line('Q3.XLSX')?.status).toBe('accepted');
    expect(line('Q5.ods')?.reason).toContain('tệp OpenDocument (.ods), không phải .xlsx');
    expect(line('Q7.xlsb')?.reason).toContain('tệp Excel nhị phân (.xlsb), không phải .xlsx');
    expect(json.skipped.map((s) => [s.file, s.why])).toEqual([['anh-chup.jpg', 'not_spreadsheet'], ['cong-van.pdf', 'not_spreadsheet']]);
    const table = runHoctap(['-w', ws.dir, 'ingest', inbox, '--dry-run']).stdout;
    for (const name of ['Q1.xlsx', 'Q3.XLSX', 'Q5.ods', 'Q7.xlsb']) expect(table).toContain(name);
    expect(table).toMatch(/Bỏ qua 2 tệp khác trong thư mục \(không đọc\):\n {2}không phải bảng tính hay thư \(2\): anh-chup\.jpg, cong-van\.pdf/);
  });
});

describe('a fault boundary per file', () => {
  it('a check that throws a plain Error refuses that file alone; the files around it are stored', async () => {
    const inbox = tempDir('hoctap-fault-');
    for (const code of ['Q1', 'Q10', 'Q11']) fs.writeFileSync(path.join(inbox, `${code}.xlsx`), await filled(code));
    const real = outliers.run.bind(outliers);
    // A library's plain English error, thrown in the middle of one file's checks.
    const spy = vi.spyOn(outliers, 'run').mockImplementation((s) => {
      if (s.identity.unitCode === 'Q10') throw new TypeError("Cannot read properties of undefined (reading 'value')");
      return real(s);
    });
    const result = await ingest(ws, [inbox], { receivedAt: new Date('2024-12-09T00:00:00Z') });
    expect(spy).toHaveBeenCalled();
    const byUnit = new Map(result.files.map((f) => [f.unit, f]));
    expect(byUnit.get('Q10')?.status).toBe('rejected');
    expect(byUnit.get('Q10')?.messages.map((m) => m.code)).toEqual(['file_fault']);
    expect(byUnit.get('Q10')?.reason).toContain('hoctap không kiểm tra hết được nội dung tệp');
    expect(byUnit.get('Q10')?.reason).not.toContain('Cannot read properties');
    expect(byUnit.get('Q1')?.status).toBe('accepted');
    expect(byUnit.get('Q11')?.status).toBe('accepted');
    expect(batchExitCode(result)).toBe(1);
    // Nothing of Q10 is in force: its refusal is recorded, its figures are not.
    expect(stored().filter((s) => s.unit === 'Q10')).toEqual([{ unit: 'Q10', status: 'rejected' }]);
  });

  it('a fault outside the files (a full disk) stops the batch, said in Vietnamese after what was stored', async () => {
    const inbox = tempDir('hoctap-disk-');
    for (const code of ['Q4', 'Q6', 'Q8']) fs.writeFileSync(path.join(inbox, `${code}.xlsx`), await filled(code));
    const r = runHoctap(['-w', ws.dir, 'ingest', inbox, '--received-at', '09/12/2024'], { env: { HOCTAP_TEST_FAULT_AT: 'Q8.xlsx' } });
    expect(r.status).toBe(2);
    // Said in Vietnamese (a full disk is known), after the table of the files stored before it.
    expect(r.stderr).toMatch(/Lỗi: .*đầy/);
    expect(r.stdout).toContain('Q4.xlsx');
    expect(r.stdout).toContain('Q6.xlsx');
    expect(r.stdout).not.toContain('Q8.xlsx');
    const units = stored().map((s) => s.unit);
    expect(units).toContain('Q4');
    expect(units).toContain('Q6');
    expect(units).not.toContain('Q8');
  });
});
