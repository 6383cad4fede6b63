import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { DatabaseSync } from 'node:sqlite';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWorkspace, type Workspace } from '../src/catalog/workspace.ts';
import { buildTemplateWorkbook } from '../src/templates/generate.ts';
import { ingest } from '../src/ingest/ingest.ts';
import { readZipDirectory, sniffFile } from '../src/ingest/zip-check.ts';
import type { BatchResult, FileResult } from '../src/ingest/types.ts';
import { fieldCells, fillTemplate, plausibleValues } from '../fixtures/fill.ts';
import { tempDir } from './helpers/tools.ts';
import { unzipParts } from './helpers/hostile.ts';
import { batchExitCode } from '../src/cli/commands/ingest.ts';

/** A minimal zip writer, so that tests can build archives a real tool would refuse to write. */
interface ZipItem { name: string; data: Buffer; store?: boolean; declaredSize?: number; flags?: number }
function makeZip(items: ZipItem[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const it of items) {
    const name = Buffer.from(it.name, 'utf8');
    const body = it.store ? it.data : zlib.deflateRawSync(it.data);
    const crc = zlib.crc32(it.data);
    const size = it.declaredSize ?? it.data.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0); local.writeUInt16LE(20, 4); local.writeUInt16LE(it.flags ?? 0, 6);
    local.writeUInt16LE(it.store ? 0 : 8, 8); local.writeUInt32LE(crc, 14); local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(size, 22); local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0); central.writeUInt16LE(20, 4); central.writeUInt16LE(20, 6); central.writeUInt16LE(it.flags ?? 0, 8);
    central.writeUInt16LE(it.store ? 0 : 8, 10); central.writeUInt32LE(crc, 16); central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(size, 24); central.writeUInt16LE(name.length, 28); central.writeUInt32LE(offset, 42);
    locals.push(local, name, body);
    centrals.push(central, name);
    offset += local.length + name.length + body.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(items.length, 8); end.writeUInt16LE(items.length, 10);
  end.writeUInt32LE(cd.length, 12); end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}


const CONTENT_TYPES = Buffer.from('<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>');

/** An OLE compound file header (the container of .xls and of password-protected .xlsx), with names in its directory. */
function oleFile(names: string[]): Buffer {
  const header = Buffer.alloc(512);
  Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(header);
  header.writeUInt16LE(0x3e, 24); header.writeUInt16LE(3, 26); header.writeUInt16LE(0xfffe, 28); header.writeUInt16LE(9, 30);
  const dir = Buffer.alloc(128 * names.length);
  names.forEach((n, i) => {
    Buffer.from(n, 'utf16le').copy(dir, i * 128);
    dir.writeUInt16LE((n.length + 1) * 2, i * 128 + 64);
  });
  return Buffer.concat([header, dir, Buffer.alloc(1024, 0x11)]);
}

/** Sets the uncompressed size of every central directory record of a real zip (as a zip bomb would declare). */
function patchDeclaredSizes(zip: Buffer, size: number): Buffer {
  const out = Buffer.from(zip);
  for (let p = 0; p + 4 <= out.length; p++) {
    if (out.readUInt32LE(p) === 0x02014b50) out.writeUInt32LE(size, p + 24);
  }
  return out;
}

let root: string;
let ws: Workspace;
let template: Buffer;
let result: BatchResult;
let inbox: string;
const file = (name: string): FileResult => {
  const r = result.files.find((f) => f.file === name);
  if (!r) throw new Error(`no result for ${name}`);
  return r;
};

beforeAll(async () => {
  root = tempDir('hoctap-badfiles-');
  ws = openWorkspace(root);
  inbox = path.join(root, 'inbox');
  fs.mkdirSync(inbox);
  const unit = (code: string) => ws.roster.find((u) => u.code === code)!;
  const build = async (code: string) => Buffer.from(await (await buildTemplateWorkbook(ws, unit(code), 2024)).xlsx.writeBuffer());
  template = await build('Q1');
  const put = (name: string, data: Buffer | string) => fs.writeFileSync(path.join(inbox, name), data);

  put('00-hop-le.xlsx', await fillTemplate(template, plausibleValues(ws, unit('Q1'))));
  put('01-rong.xlsx', '');
  put('02-excel-cu.xls', oleFile(['Root Entry', 'Workbook', '\u0005SummaryInformation']));
  put('03-mat-khau.xlsx', oleFile(['Root Entry', 'EncryptionInfo', 'EncryptedPackage', '\u0006DataSpaces']));
  put('04-khong-phai-zip.xlsx', 'Kính gửi Sở Giáo dục và Đào tạo, số liệu như sau: 95,5%');
  put('05-pdf.xlsx', '%PDF-1.7\n1 0 obj\n<<>>\nendobj\n');
  const filled = await fillTemplate(await build('Q3'), plausibleValues(ws, unit('Q3')));
  put('06-cat-cut.xlsx', filled.subarray(0, Math.floor(filled.length / 2)));
  const flipped = Buffer.from(filled);
  for (let i = 200; i < 240; i++) flipped[i] ^= 0xff;
  put('07-hong-giua.xlsx', flipped);
  put('08-bom-khai-bao.xlsx', patchDeclaredSizes(filled, 0xf0000000));
  put('09-bom-that.xlsx', makeZip([
    { name: '[Content_Types].xml', data: CONTENT_TYPES }, { name: 'xl/workbook.xml', data: Buffer.from('<workbook/>') },
    { name: 'xl/worksheets/sheet1.xml', data: Buffer.alloc(60 * 1024 * 1024) },
  ]));
  put('10-bom-noi-doi.xlsx', makeZip([
    { name: '[Content_Types].xml', data: CONTENT_TYPES }, { name: 'xl/workbook.xml', data: Buffer.from('<workbook/>') },
    { name: 'xl/sharedStrings.xml', data: Buffer.alloc(8 * 1024 * 1024, 0x61), declaredSize: 1000 },
  ]));
  put('11-zip-mat-khau.xlsx', makeZip([{ name: '[Content_Types].xml', data: CONTENT_TYPES, flags: 1 }, { name: 'xl/workbook.xml', data: Buffer.from('<workbook/>') }]));
  put('12-word.xlsx', makeZip([{ name: '[Content_Types].xml', data: CONTENT_TYPES }, { name: 'word/document.xml', data: Buffer.from('<w:document/>') }]));
  const plain = new ExcelJS.Workbook();
  plain.addWorksheet('Sheet1').getCell('A1').value = 'Tỷ lệ';
  plain.getWorksheet('Sheet1')!.getCell('B1').value = 95.5;
  put('13-khong-co-meta.xlsx', Buffer.from(await plain.xlsx.writeBuffer()));
  put('14-meta-tieu-de.xlsx', await editMeta(await build('Q4'), (s) => { s.getCell('A10').value = 'ma_o'; }));
  put('15-meta-nam.xlsx', await editMeta(await build('Q5'), (s) => { s.getCell('B4').value = 'hai nghìn'; }));
  put('16-meta-o.xlsx', await editMeta(await build('Q6'), (s) => { s.getCell('E12').value = 'không biết'; }));
  put('17-meta-phien-ban.xlsx', await editMeta(await build('Q7'), (s) => { s.getCell('B1').value = '9'; }));
  const renamed = new ExcelJS.Workbook();
  await renamed.xlsx.load(await fillTemplate(await build('Q8'), plausibleValues(ws, unit('Q8'))) as unknown as ArrayBuffer);
  renamed.getWorksheet('ChiSo')!.name = 'Sheet1';
  put('18-doi-ten-trang.xlsx', Buffer.from(await renamed.xlsx.writeBuffer()));
  put('19-van-ban-10mb.xlsx', await fillTemplate(await build('Q10'), { ...plausibleValues(ws, unit('Q10')), '1.1.2-a.minhchung': 'Minh chứng. '.repeat(850_000) }));
  put('20-hong-workbook.xlsx', makeZip([{ name: '[Content_Types].xml', data: CONTENT_TYPES }, { name: 'xl/workbook.xml', data: Buffer.from('<<<không phải xml') }]));

  // Some tools write namespace-prefixed XML (<x:workbook>), which exceljs cannot read.
  put('21-xml-tien-to.xlsx', makeZip(unzipParts(filled).map((it) => it.name !== 'xl/workbook.xml' ? it : {
    name: it.name,
    data: Buffer.from(it.data.toString('utf8')
      .replace(/<(\/?)([A-Za-z]+)(?=[\s>/])/g, (m, slash: string, tag: string) => (tag === 'xml' ? m : `<${slash}x:${tag}`))
      .replace('xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"', 'xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"')),
  })));

  result = await ingest(ws, [inbox], { year: 2024, now: new Date('2024-12-12T03:00:00Z') });
}, 120_000);

afterAll(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

async function editMeta(buf: Buffer, edit: (s: ExcelJS.Worksheet) => void): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ArrayBuffer);
  edit(wb.getWorksheet('_meta')!);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe('hoctap ingest: bad files get a one-line reason and the batch goes on', () => {
  it('the valid file of the batch is accepted, the batch exits 1', () => {
    expect(file('00-hop-le.xlsx').status).toBe('accepted');
    expect(result.files).toHaveLength(22);
    expect(batchExitCode(result)).toBe(1);
  });

  it.each([
    ['01-rong.xlsx', 'empty_file', 'tệp rỗng'],
    ['02-excel-cu.xls', 'old_xls', 'Excel 97-2003 (.xls)'],
    ['03-mat-khau.xlsx', 'encrypted', 'đặt mật khẩu'],
    ['04-khong-phai-zip.xlsx', 'not_zip', 'không phải tệp .xlsx'],
    ['05-pdf.xlsx', 'not_zip', 'tệp PDF'],
    ['06-cat-cut.xlsx', 'corrupt_zip', 'bị hỏng hoặc không đầy đủ'],
    ['07-hong-giua.xlsx', 'corrupt_zip', 'bị hỏng hoặc không đầy đủ'],
    ['08-bom-khai-bao.xlsx', 'zip_too_large', 'quá lớn khi giải nén'],
    ['09-bom-that.xlsx', 'zip_too_large', 'quá lớn khi giải nén'],
    ['10-bom-noi-doi.xlsx', 'zip_too_large', 'nhiều hơn kích thước khai báo'],
    ['11-zip-mat-khau.xlsx', 'encrypted', 'mật khẩu'],
    ['12-word.xlsx', 'not_xlsx', 'tệp Word'],
    ['13-khong-co-meta.xlsx', 'no_meta', 'không phải biểu mẫu hoctap'],
    ['14-meta-tieu-de.xlsx', 'bad_meta', 'trang ẩn _meta đã bị sửa'],
    ['15-meta-nam.xlsx', 'bad_meta', 'hai nghìn'],
    ['16-meta-o.xlsx', 'bad_meta', 'địa chỉ ô không hợp lệ'],
    ['17-meta-phien-ban.xlsx', 'template_version', 'biểu mẫu phiên bản 9'],
    ['18-doi-ten-trang.xlsx', 'missing_sheet', 'không còn trang "ChiSo"'],
  ])('%s → %s', (name, code, words) => {
    const r = file(name);
    expect(r.status).toBe('rejected');
    expect(r.messages.map((m) => m.code)).toEqual([code]);
    expect(r.reason).toContain(words);
    expect(r.reason!.startsWith(`${name}: `)).toBe(true);
    expect(r.reason).not.toContain('\n');
    expect(r.reason!.length).toBeLessThan(400);
    // Nothing a unit sent is lost: the bytes are archived under their sha256.
    expect(fs.readFileSync(r.archivePath!).equals(fs.readFileSync(path.join(inbox, name)))).toBe(true);
  });

  it.each(['20-hong-workbook.xlsx', '21-xml-tien-to.xlsx'])('%s: a workbook exceljs cannot read is refused with a re-save hint, in Vietnamese', (name) => {
    const r = file(name);
    expect(r.status).toBe('rejected');
    expect(r.messages.map((m) => m.code)).toEqual(['unreadable_workbook']);
    expect(r.reason).toContain('lưu lại dạng .xlsx rồi gửi lại');
    expect(r.reason).not.toMatch(/Cannot|undefined|attribute/);
  });

  it('a 10 MB text in a cell is refused by the reader as soon as its length is known, naming its cell; the message stays short', async () => {
    const r = file('19-van-ban-10mb.xlsx');
    expect(r.status).toBe('rejected');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(template as unknown as ArrayBuffer);
    const cell = fieldCells(wb).get('1.1.2-a.minhchung')!.cell;
    // Issue 22 (bounded memory): a text far beyond what an Excel cell holds is refused from its stored length, before
    // it is decoded and copied (refused on its cell as text_too_long, it took 600 MB); test/ingest-damaged-parts.test.ts
    // keeps text_too_long for a text over 32,767 characters that is read.
    expect(r.messages.map((m) => m.code)).toEqual(['text_too_large']);
    expect(r.reason).toContain(`trang ChiSo, ô ${cell}`);
    expect(r.reason).toMatch(/dài khoảng 10\.\d{3}\.\d{3} ký tự/);
    expect(r.reason!.length).toBeLessThan(600);
    expect((r.messages[0].value ?? '').length).toBeLessThan(300);
  });

  it('files that name no unit are recorded with their reason; the valid file is the only accepted submission', () => {
    const db = new DatabaseSync(ws.dbPath, { readOnly: true });
    try {
      const unattributed = db.prepare('SELECT file_name, code FROM unattributed_files ORDER BY file_name').all() as { file_name: string; code: string }[];
      expect(unattributed.map((u) => u.file_name)).toEqual([
        '01-rong.xlsx', '02-excel-cu.xls', '03-mat-khau.xlsx', '04-khong-phai-zip.xlsx', '05-pdf.xlsx', '06-cat-cut.xlsx',
        '07-hong-giua.xlsx', '08-bom-khai-bao.xlsx', '09-bom-that.xlsx', '10-bom-noi-doi.xlsx', '11-zip-mat-khau.xlsx', '12-word.xlsx',
        '13-khong-co-meta.xlsx', '14-meta-tieu-de.xlsx', '15-meta-nam.xlsx', '16-meta-o.xlsx', '17-meta-phien-ban.xlsx', '19-van-ban-10mb.xlsx', '20-hong-workbook.xlsx',
        '21-xml-tien-to.xlsx', // 19: refused by the reader since issue 22 (see the test of the 10 MB text above)
      ]);
      const subs = db.prepare('SELECT file_name, status FROM submissions ORDER BY file_name').all();
      expect(subs).toEqual([
        { file_name: '00-hop-le.xlsx', status: 'accepted' },
        { file_name: '18-doi-ten-trang.xlsx', status: 'rejected' },
      ]);
    } finally {
      db.close();
    }
  });
});

describe('zip-check', () => {
  it('accepts a real workbook and lists its entries', () => {
    const s = sniffFile(template, 'x.xlsx');
    expect(s.ok && s.kind).toBe('xlsx');
    const z = readZipDirectory(template);
    expect(z.ok && z.entries.some((e) => e.name === 'xl/workbook.xml')).toBe(true);
  });

  it('refuses too many entries before inflating anything', () => {
    const items = Array.from({ length: 20 }, (_, i) => ({ name: `f${i}.xml`, data: Buffer.from('x') }));
    const z = readZipDirectory(makeZip(items), { maxEntries: 10, maxEntryBytes: 1e9, maxTotalBytes: 1e9, maxRatio: 1e9, ratioMinBytes: 1e9 });
    expect(z.ok).toBe(false);
    expect(!z.ok && z.code).toBe('zip_too_large');
  });

  it('a CSV is recognised by extension only when its bytes are not a zip or an OLE file', () => {
    expect(sniffFile(Buffer.from('unit_code,year\n'), 'a.csv')).toEqual({ ok: true, kind: 'csv' });
    expect(sniffFile(template, 'renamed.csv').ok && (sniffFile(template, 'renamed.csv') as { kind: string }).kind).toBe('xlsx');
  });
});
