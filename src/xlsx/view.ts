/**
 * The little of a workbook that ingest reads, whichever reader read it (the targeted reader of src/xlsx/fast.ts, or
 * exceljs through src/xlsx/exceljs-view.ts): cell values in exceljs's shapes and their number formats.
 */

export interface CellRead { value: unknown; numFmt: string | undefined }

export interface SheetView {
  /** The last row number (as exceljs's rowCount). */
  readonly rowCount: number;
  /** A cell by A1 address, or by row and column. */
  cell(address: string): CellRead;
  cellAt(row: number, col: number): CellRead;
  /** How many cells the row spans (as exceljs's row.cellCount: the last column used). */
  cellCount(row: number): number;
}

export interface WorkbookView {
  sheet(name: string): SheetView | null;
}

/** A cell value as plain text, whatever wrapped it (rich text, formula result, number typed over text). */
export function cellString(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value.normalize('NFC').trim();
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  // A number far outside the calendar in a date-formatted cell is an invalid Date: toISOString() would throw.
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  if (typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if (Array.isArray(o.richText)) return (o.richText as { text?: unknown }[]).map((r) => String(r.text ?? '')).join('').normalize('NFC').trim();
    if ('result' in o) return cellString(o.result);
    if ('text' in o) return cellString(o.text);
    if ('error' in o) return String(o.error);
  }
  return String(value);
}
