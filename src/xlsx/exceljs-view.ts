/** A workbook loaded by exceljs, seen through the same small interface as the targeted reader's (src/xlsx/view.ts). */
import ExcelJS from 'exceljs';
import type { CellRead, SheetView, WorkbookView } from './view.ts';

/** A cell's value as ingest reads it from exceljs: a formula keeps its result even when it is 0 or FALSE. */
function exceljsValue(cell: ExcelJS.Cell): unknown {
  const master = cell.type === ExcelJS.ValueType.Merge ? cell.master : cell;
  const value = master.value;
  // exceljs's cell.value leaves out a falsy formula result (0, FALSE): a formula worth 0 looked uncomputed.
  if (master.type === ExcelJS.ValueType.Formula && master.result !== undefined && value && typeof value === 'object') {
    return { ...value, result: master.result };
  }
  return value;
}

export function exceljsSheetView(sheet: ExcelJS.Worksheet): SheetView {
  const read = (cell: ExcelJS.Cell): CellRead => ({ value: exceljsValue(cell), numFmt: cell.numFmt ?? undefined });
  return {
    rowCount: sheet.rowCount,
    cell: (address) => read(sheet.getCell(address)),
    cellAt: (row, col) => read(sheet.getRow(row).getCell(col)),
    cellCount: (row) => sheet.getRow(row).cellCount,
  };
}

export function exceljsWorkbookView(workbook: ExcelJS.Workbook): WorkbookView {
  const views = new Map<string, SheetView>();
  return {
    sheet(name) {
      const ws = workbook.getWorksheet(name);
      if (!ws) return null;
      let v = views.get(name);
      if (!v) views.set(name, (v = exceljsSheetView(ws)));
      return v;
    },
  };
}
