/** A sheet added to a package (as text parts), and which sheet the workbook opens on. */
import { columnLetters } from './a1.ts';
import { CONTENT_TYPE, REL, type Package } from './package.ts';
import { attributes, escapeXml, xmlText } from './xml.ts';

const SHEET_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';

export interface NewSheet {
  /** Wanted name; a number is added when the workbook has a sheet of that name already. */
  name: string;
  tabColor?: string;
  widths: number[];
  /** Each row's texts and the style index of each cell (or one style for the whole row). */
  rows: { values: string[]; styles: number[] | number }[];
  /** Rows frozen at the top. */
  frozenRows?: number;
}

/** Adds the sheet after the others and returns the name it got. */
export function addSheet(pkg: Package, sheet: NewSheet): string {
  const taken = new Set(pkg.sheets().map((s) => s.name.toLowerCase()));
  let name = sheet.name;
  for (let i = 2; taken.has(name.toLowerCase()); i++) name = `${sheet.name}${i}`;
  const part = pkg.freeName((n) => `xl/worksheets/sheet${n}.xml`);
  pkg.set(part, sheetXml(sheet));
  pkg.addContentType({ part, type: CONTENT_TYPE.worksheet });
  const rid = pkg.addRel('xl/workbook.xml', REL.worksheet, part);
  const workbook = pkg.text('xl/workbook.xml')!;
  const ids = [...workbook.matchAll(/<sheet\b([^>]*?)\/?>/g)].map((m) => Number(attributes(m[1]).get('sheetId') ?? 0));
  const tag = `<sheet name="${escapeXml(name)}" sheetId="${Math.max(0, ...ids) + 1}" r:id="${rid}"/>`;
  pkg.set('xl/workbook.xml', workbook.includes('</sheets>') ? workbook.replace('</sheets>', `${tag}</sheets>`) : workbook.replace(/<sheets\s*\/>/, `<sheets>${tag}</sheets>`));
  return name;
}

/** Opens the workbook on this sheet: the active tab, and the only selected one (two selected tabs group the sheets). */
export function activateSheet(pkg: Package, name: string): void {
  const sheets = pkg.sheets();
  const index = sheets.findIndex((s) => s.name === name);
  if (index < 0) return;
  let workbook = pkg.text('xl/workbook.xml')!;
  if (/<workbookView\b/.test(workbook)) {
    workbook = workbook.replace(/<workbookView\b([^>]*?)(\/?)>/, (_m, attrs: string, slash: string) => {
      const a = / activeTab="\d+"/.test(attrs) ? attrs.replace(/ activeTab="\d+"/, ` activeTab="${index}"`) : `${attrs} activeTab="${index}"`;
      return `<workbookView${a.replace(/ firstSheet="\d+"/, ' firstSheet="0"')}${slash}>`;
    });
  } else {
    workbook = workbook.replace(/<sheets\b/, `<bookViews><workbookView activeTab="${index}"/></bookViews><sheets`);
  }
  pkg.set('xl/workbook.xml', workbook);
  for (const s of sheets) {
    if (s.name === name) continue;
    // Only the sheet's head is read: the views come before the cells.
    const head = pkg.head(s.part, '<sheetData');
    if (head !== undefined && /\stabSelected\s*=\s*["'](1|true)["']/.test(head)) {
      pkg.setHead(s.part, head.replace(/\stabSelected\s*=\s*["'](1|true)["']/g, ''), '<sheetData');
    }
  }
}

function sheetXml(s: NewSheet): string {
  const cols = s.widths.map((w, i) => `<col min="${i + 1}" max="${i + 1}" width="${w}" customWidth="1"/>`).join('');
  const rows = s.rows.map((row, i) => {
    const r = i + 1;
    const cells = row.values.map((v, j) => {
      const style = Array.isArray(row.styles) ? row.styles[j] : row.styles;
      const ref = `${columnLetters(j + 1)}${r}`;
      return v === '' ? `<c r="${ref}" s="${style}"/>` : `<c r="${ref}" s="${style}" t="inlineStr"><is><t xml:space="preserve">${xmlText(v)}</t></is></c>`;
    }).join('');
    return `<row r="${r}">${cells}</row>`;
  }).join('');
  const frozen = s.frozenRows
    ? `<pane ySplit="${s.frozenRows}" topLeftCell="A${s.frozenRows + 1}" activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft"/>`
    : '';
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet ${SHEET_NS}>`
    + `${s.tabColor ? `<sheetPr><tabColor rgb="${s.tabColor}"/></sheetPr>` : ''}`
    + `<sheetViews><sheetView tabSelected="1" workbookViewId="0">${frozen}</sheetView></sheetViews>`
    + `<sheetFormatPr defaultRowHeight="15"/><cols>${cols}</cols><sheetData>${rows}</sheetData>`
    + '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>';
}
