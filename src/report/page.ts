/**
 * The page of the city's report (Decree 30/2020/NĐ-CP, Appendix I), in millimetres: one home for the DOCX (docx/base.ts)
 * and the typeset Phụ lục III (typeset/layout.ts). templates/report.css says the same for the browser (@page).
 */
export const A4_MM = { width: 210, height: 297 } as const;
/** Portrait pages: top 20, right 15, bottom 20, left 30 mm (the binding side on the left). */
export const PORTRAIT_MARGINS_MM = { top: 20, right: 15, bottom: 20, left: 30 } as const;
/** Landscape pages (Phụ lục I's wide table): top 20, right 20, bottom 20, left 25 mm. */
export const LANDSCAPE_MARGINS_MM = { top: 20, right: 20, bottom: 20, left: 25 } as const;
/** Page numbers: 13 pt, centred in the top margin from page 2. */
export const PAGE_NUMBER_SIZE_PT = 13;
