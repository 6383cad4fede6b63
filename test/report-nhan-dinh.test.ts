/**
 * years/<year>/nhan-dinh.md: created by the year's first report with hoctap's drafts, the analyst's words under a
 * heading replacing the draft of that item in the PDF and the DOCX, kept word for word across a re-run after a late
 * file while the drafts left as they were are refreshed with the new figures.
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openWorkspace } from '../src/catalog/workspace.ts';
import { openDatabase } from './helpers/sqlite.ts';
import { runHoctap } from './helpers/cli.ts';
import { poppler, zipEntry } from './helpers/pdf-checks.ts';
import { seedReportStore } from './helpers/report-store.ts';
import { seedSubmission } from './helpers/seed-store.ts';
import { needTool, tempDir } from './helpers/tools.ts';

const OWN = 'Nguyên nhân chủ yếu là kinh phí cho trung tâm học tập cộng đồng chưa được bố trí kịp thời (nhận định của chuyên viên).';
const OWN_III = 'Năm 2025, Sở tập trung hoàn thành các chỉ số về phổ cập giáo dục.';

let dir: string;
const file = () => path.join(dir, 'years', '2024', 'nhan-dinh.md');
const report = () => {
  const r = runHoctap(['-w', dir, 'report', '--year', '2024', '--format', needTool('chromium') ? 'pdf,docx' : 'docx', '--date', '2024-12-31']);
  expect(r.status, r.stderr).toBe(0);
  return r;
};
const docxText = () => zipEntry(path.join(dir, 'reports/2024/bao-cao-2024.docx'), 'word/document.xml').replace(/<w:p[ >][\s\S]*?<\/w:p>/g, (p) => `${p.replace(/<[^>]+>/g, '')}\n`);
const pdfText = () => poppler('pdftotext', [path.join(dir, 'reports/2024/bao-cao-2024.pdf'), '-']).replace(/\s+/g, ' ');

beforeAll(() => {
  dir = tempDir('hoctap-nhan-dinh-');
  seedReportStore(openWorkspace(dir));
}, 60_000);

describe('nhan-dinh.md', () => {
  it('is created by the first report with one heading per item of the outline, each a marked draft, and report names the drafts', () => {
    const r = report();
    const text = fs.readFileSync(file(), 'utf8');
    const headings = text.split('\n').filter((l) => l.startsWith('## ')).map((l) => l.split(' ')[1]);
    expect(headings).toEqual(['I.1', 'I.1.1', 'I.1.2', 'I.2', 'I.3', 'I.4', 'I.5', 'II.1', 'II.2', 'III', 'IV']);
    expect(text).toContain('## II.2 Khó khăn, tồn tại và nguyên nhân');
    expect(text.match(/^> BẢN NHÁP của hoctap \(mã [0-9a-f]{8}\)/gm)).toHaveLength(11);
    expect(r.stderr).toContain('các mục còn là bản nháp của hoctap: I.1, I.1.1, I.1.2, I.2, I.3, I.4, I.5, II.1, II.2, III, IV');
    // The draft of II.2 is what the report prints under it.
    expect(docxText()).toContain(text.split('## II.2')[1].split('\n').filter((l) => /^\d+ chỉ số chưa đạt/.test(l))[0]);
  });

  it('prints the analyst\'s words in place of the draft in the PDF and the DOCX, and keeps them across a re-run after a late file', () => {
    const before = fs.readFileSync(file(), 'utf8');
    const draftII2 = before.split('## II.2')[1].split('\n## ')[0].split('\n').filter((l) => /^\d+ chỉ số chưa đạt chỉ tiêu/.test(l))[0];
    expect(draftII2).toBeTruthy();
    // The analyst replaces II.2 and edits III (keeping the marker line: still the analyst's, the draft's hash differs).
    const edited = before
      .replace(/(## II\.2 [^\n]*\n)[\s\S]*?(?=\n## III )/, `$1\n${OWN}\n`)
      .replace(/(## III [^\n]*\n\n> BẢN NHÁP[^\n]*\n)/, `$1\n${OWN_III}\n`);
    fs.writeFileSync(file(), edited);
    const r = report();
    expect(r.stderr).toContain('các mục còn là bản nháp của hoctap: I.1, I.1.1, I.1.2, I.2, I.3, I.4, I.5, II.1, IV');
    const docx = docxText();
    expect(docx).toContain(OWN);
    expect(docx).toContain(OWN_III);
    expect(docx).not.toContain(draftII2);
    if (needTool('chromium')) {
      const pdf = pdfText();
      expect(pdf).toContain(OWN);
      expect(pdf).not.toContain(draftII2);
    }

    // A late file: Q5 (missing in 2024) sends its figures; the drafts are refreshed, the analyst's words kept.
    const ws = openWorkspace(dir, { year: 2024 });
    const db = openDatabase(ws.dbPath);
    try {
      seedSubmission(db, { unitCode: 'Q5', year: 2024, values: {}, narratives: { kho_khan: 'Thiếu giáo viên.' } }, ws.catalog);
    } finally {
      db.close();
    }
    const draftII1 = fs.readFileSync(file(), 'utf8').split('## II.1')[1].split('\n## ')[0];
    report();
    const after = fs.readFileSync(file(), 'utf8');
    expect(after).toContain(`\n${OWN}\n`);
    expect(after).toContain(`\n${OWN_III}\n`);
    // II.1 was a draft: it now counts Q5's file, one unit more.
    const sent = (t: string) => Number(/(\d+)\/\d+ đơn vị đã gửi báo cáo/.exec(t)?.[1]);
    expect(sent(after.split('## II.1')[1].split('\n## ')[0])).toBe(sent(draftII1) + 1);
    expect(docxText()).toContain(OWN);
  });
});
