/**
 * The bundled font (package @fontsource/tinos, the metric twin of Times New Roman): where its files are, for the
 * HTML's @font-face rules (html.ts, WOFF2) and for the typeset PDF (typeset/fonts.ts, WOFF, read by fontkit).
 */
import { createRequire } from 'node:module';
import { UserError } from '../errors.ts';

const require = createRequire(import.meta.url);

export function tinosFile(subset: string, weight: 400 | 700, style: 'normal' | 'italic', format: 'woff' | 'woff2'): string {
  try {
    return require.resolve(`@fontsource/tinos/files/tinos-${subset}-${weight}-${style}.${format}`);
  } catch {
    throw new UserError('Thiếu phông chữ Tinos (gói @fontsource/tinos): chạy "npm install" trong thư mục cài đặt hoctap.', 1);
  }
}
