/**
 * `hoctap roster import` and the workspace's own roster.csv read their CSV strictly: a list that is not valid text is
 * refused with the file, the line and how to save it again (exit 2, nothing written), never stored with a "�" in a
 * unit's official name; Excel's "Unicode Text" (UTF-16 with BOM, tab separated) is read.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runHoctap } from './helpers/cli.ts';
import { tempDir } from './helpers/tools.ts';

const HEADER = 'Mã,Tên đơn vị,Loại,Email';
const NHA_BE = 'Ủy ban nhân dân huyện Nhà Bè';

/** The list with one byte that is no UTF-8 inside Nhà Bè's name, after "Ủy ban nhân ". */
function damagedList(file: string): void {
  fs.writeFileSync(file, Buffer.concat([
    Buffer.from(`${HEADER}\nQ1,Ủy ban nhân dân Quận 1,UBND,\nNHABE,Ủy ban nhân `), Buffer.from([0xe2]), Buffer.from('dân huyện Nhà Bè,UBND,\n'),
  ]));
}

describe('roster import refuses a list that is not valid text', () => {
  it('one invalid byte: exit 2 naming the file, the line and CSV UTF-8; roster.csv not written; the fixed list is written intact', () => {
    const ws = tempDir('hoctap-roster-enc-');
    const file = path.join(ws, 'ds.csv');
    damagedList(file);
    const r = runHoctap(['-w', ws, 'roster', 'import', file]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/ds\.csv, dòng 3: tệp không phải mã UTF-8 .*ngay sau "NHABE,Ủy ban nhân" có byte không đọc được thành chữ/);
    expect(r.stderr).toContain('"CSV UTF-8 (Comma delimited) (*.csv)"');
    expect(r.stderr).not.toContain('\uFFFD');
    expect(fs.existsSync(path.join(ws, 'roster.csv'))).toBe(false);

    // The same list saved as UTF-8: written, the name exactly as typed (the check above would have seen the file).
    fs.writeFileSync(file, `${HEADER}\nQ1,Ủy ban nhân dân Quận 1,UBND,\nNHABE,${NHA_BE},UBND,\n`);
    expect(runHoctap(['-w', ws, 'roster', 'import', file]).status).toBe(0);
    expect(fs.readFileSync(path.join(ws, 'roster.csv'), 'utf8')).toContain(`NHABE,${NHA_BE},UBND,`);
  });

  it('a "�" already in the list, and a name holding an unquoted comma: refused with their line, nothing written', () => {
    const ws = tempDir('hoctap-roster-enc-');
    const file = path.join(ws, 'ds.csv');
    fs.writeFileSync(file, `${HEADER}\nQ1,Ủy ban nhân dân Quận 1,UBND,\nNHABE,Ủy ban nhân \uFFFDdân huyện Nhà Bè,UBND,\n`);
    const damaged = runHoctap(['-w', ws, 'roster', 'import', file, '--year', '2025']);
    expect(damaged.status).toBe(2);
    expect(damaged.stderr).toMatch(/ds\.csv, dòng 3: ngay sau "NHABE,Ủy ban nhân" có ký tự "�": chữ đã bị hỏng/);
    fs.writeFileSync(file, `${HEADER}\nQ1,Ủy ban nhân dân Quận 1,UBND,\nQ7,Ủy ban nhân dân Quận 7, Thành phố Hồ Chí Minh,UBND,\n`);
    const comma = runHoctap(['-w', ws, 'roster', 'import', file, '--year', '2025']);
    expect(comma.status).toBe(2);
    expect(comma.stderr).toMatch(/ds\.csv, dòng 3: dòng có 5 ô nhưng dòng tiêu đề có 4 cột: có thể một tên hay ghi chú chứa dấu phân cách/);
    expect(fs.existsSync(path.join(ws, 'years', '2025', 'roster.csv'))).toBe(false);
  });

  it('Excel\'s "Unicode Text" (UTF-16 LE with BOM, tab separated, .txt): read, names intact', () => {
    const ws = tempDir('hoctap-roster-enc-');
    const file = path.join(ws, 'ds.txt');
    const text = ['Mã\tTên đơn vị\tLoại\tEmail', 'Q1\tỦy ban nhân dân Quận 1\tUBND\t', `NHABE\t${NHA_BE}\tUBND\tnhabe@tphcm.gov.vn`].join('\r\n') + '\r\n';
    fs.writeFileSync(file, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    const r = runHoctap(['-w', ws, 'roster', 'import', file, '--year', '2025']);
    expect(r.status, r.stderr).toBe(0);
    expect(fs.readFileSync(path.join(ws, 'years', '2025', 'roster.csv'), 'utf8').split('\n')).toContain(`NHABE,${NHA_BE},UBND,nhabe@tphcm.gov.vn`);
  });
});

describe('the workspace\'s roster.csv is read as strictly', () => {
  it('a roster.csv edited into Windows-1258: every command stops with its line, exit 2', () => {
    const ws = tempDir('hoctap-roster-enc-');
    fs.writeFileSync(path.join(ws, 'roster.csv'), Buffer.concat([
      Buffer.from('unit_code,unit_name,agency_code,email\nQ1,Ủy ban nhân dân Quận 1,UBND,\nNHABE,Ủy ban nhân d'), Buffer.from([0xe2]), Buffer.from('n huyện Nhà Bè,UBND,\n'),
    ]));
    const r = runHoctap(['-w', ws, 'roster', 'show']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/roster\.csv, dòng 3: tệp không phải mã UTF-8/);
    expect(r.stdout).not.toContain('\uFFFD');
  });
});
