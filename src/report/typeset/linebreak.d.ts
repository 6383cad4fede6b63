/** The part of package linebreak (UAX #14 line breaking, pdfkit's own) that lines.ts uses; it ships no types. */
declare module 'linebreak' {
  export interface Break {
    /** UTF-16 offset where the text may break (the start of the next line). */
    position: number;
    /** A break the text imposes (a line separator), not only allows. */
    required: boolean;
  }
  export default class LineBreaker {
    constructor(text: string);
    nextBreak(): Break | null;
  }
}
