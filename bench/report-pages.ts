/**
 * The pages of the report's DOCX files, counted by the bench after the report stage (in the bench's own process, so
 * that neither the stage's time nor its memory includes them).
 */
import { layoutDocument } from 'docx/layout';
import { openWorkspace } from '../src/catalog/workspace.ts';
import { openStore } from '../src/store/open.ts';
import { collectReportInput } from '../src/report/generate.ts';
import { buildReportModel } from '../src/report/model/index.ts';
import { annexDocument, reportDocument } from '../src/report/docx/index.ts';
import type { ReportFileFigures } from './stage.ts';

const DOCX_LAYOUT_MAX_PAGES = 150;

/**
 * The pages of the report's DOCX files, laid out as Word would (docx/layout, some 0.2 s a page): for documents whose
 * PDF has up to DOCX_LAYOUT_MAX_PAGES pages; the others keep null.
 */
export async function docxPages(wsDir: string, year: number, documents: ReportFileFigures[]): Promise<void> {
  const want = documents.filter((d) => {
    if (d.format !== 'docx') return false;
    const pdf = documents.find((x) => x.format === 'pdf' && x.document === d.document)?.pages ?? null;
    // Without a PDF to go by, the report itself (its body is short) but not Phụ lục III (its length grows with the units).
    return pdf === null ? !d.document.endsWith('-phu-luc-III') : pdf <= DOCX_LAYOUT_MAX_PAGES;
  });
  if (!want.length) return;
  const ws = openWorkspace(wsDir, { year });
  const db = await openStore(ws.dbPath);
  try {
    const model = buildReportModel((await collectReportInput(ws, db, year, { year, month: 12, day: 25 })).input);
    for (const d of want) d.pages = layoutDocument(d.document.endsWith('-phu-luc-III') ? annexDocument(model.appendixIII) : reportDocument(model), { guess: true }).pages.length;
  } finally {
    await db.close();
  }
}

