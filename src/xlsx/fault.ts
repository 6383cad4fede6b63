/**
 * What a reader found wrong in a file's bytes, as data: a code of the table of codes (src/findings/codes.ts; src/findings/faults-vi.ts words
 * it), the part of the package it was found in, and the facts. Every problem of a returned workbook leaves src/xlsx as
 * a FileFault, never as a plain Error; the words are produced at output.
 */

/** How a sheet exceeds what is read of it (bounds.ts). */
export type SheetExcess =
  | { cells: number; max: number }
  | { mergeOutside: string }
  | { merged: number; example: string }
  | { rowOutside: number }
  | { cellOutside: string };

/** The facts of each fault, by code. */
export interface FaultFacts {
  /** Too many cells or merged cells in a sheet, or a cell outside an Excel sheet. */
  sheet_too_large: { sheet: string; excess: SheetExcess };
  /** One text longer than READ_LIMITS.maxTextChars as stored: where (a cell, or only the part) and how long. */
  text_too_large: { sheet: string | null; cell: string | null; chars: number; max: number };
  /** A cell whose stored value is not of its type (`<v>76,5</v>` in a number cell): the file was written wrong. */
  bad_cell_value: { sheet: string; cell: string; raw: string; want: 'number' | 'index' | 'boolean' };
  /**
   * A workbook the targeted reader cannot read and too large to be read whole (`sheet`: where it stopped, when known);
   * `unchecked`: bytes no zip check has looked at.
   */
  workbook_too_complex: { sheet: string | null; unchecked?: boolean };
  /** A workbook exceljs cannot read either (`sheet`: where the targeted reader stopped, when known). */
  unreadable_workbook: { sheet: string | null; noSheets?: boolean };
  /** A part whose bytes are not text at all: not UTF-8 (a part damaged in transfer or edited byte by byte). */
  damaged_part: { sheet: string | null; damage: 'utf8' };
}

export type FaultCode = keyof FaultFacts;

/** One fault: its code and facts (narrowed together), and the part of the package (xl/worksheets/sheet2.xml). */
export type Fault = { [C in FaultCode]: { code: C; facts: FaultFacts[C]; part: string | null } }[FaultCode];

export class FileFault extends Error {
  readonly fault: Fault;

  constructor(fault: Fault) {
    // The message is for a developer's trace only; users read the words of the table of codes.
    super(`${fault.code}${fault.part ? ` in ${fault.part}` : ''}: ${JSON.stringify(fault.facts)}`);
    this.name = 'FileFault';
    this.fault = fault;
  }
}

/** A fault, built with its code and facts checked together. */
export function fileFault<C extends FaultCode>(code: C, facts: FaultFacts[C], part: string | null = null): FileFault {
  return new FileFault({ code, facts, part } as Fault);
}
