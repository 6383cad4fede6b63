/**
 * Issue 23 (item 8): beside each indicator the template shows a short definition and the reference date of its figures,
 * kept as data (seeds/catalog/definitions.csv and a profile's catalog/definitions.csv). Every indicator of every
 * profile's catalog has one, in the year's words, short enough for the template's cell.
 */
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../src/catalog/catalog.ts';
import { PROFILE_IDS, profileCatalogDirs } from '../src/catalog/workspace.ts';
import { asOfText } from '../src/catalog/asks.ts';

/** A definition is a sentence or two: longer would crowd the template's indicator cell. */
const MAX_WORDS = 60;

describe('every indicator has a definition and a reference date', () => {
  for (const profile of PROFILE_IDS) {
    for (const year of [2024, 2025]) {
      it(`${profile}, ${year}`, () => {
        const catalog = loadCatalog({ extraDirs: profileCatalogDirs(profile), year });
        expect(catalog.indicators.length).toBeGreaterThan(50);
        const missing = catalog.indicators.filter((i) => !catalog.asks.definitions.get(i.id)?.definition).map((i) => i.id);
        expect(missing).toEqual([]);
        for (const ind of catalog.indicators) {
          const def = catalog.asks.definitions.get(ind.id)!.definition;
          // In the year's words (no {key} left), a sentence that ends, not a placeholder.
          expect(def, ind.id).not.toMatch(/[{}]/);
          expect(def, ind.id).toMatch(/^[A-ZĐÀ-Ỹ].*\.$/u);
          expect(def.split(/\s+/).length, ind.id).toBeLessThanOrEqual(MAX_WORDS);
          expect(asOfText(catalog.asks, ind.id, year), ind.id).toMatch(new RegExp(`^(31/12/${year}|cuối năm học ${year - 1}-${year})$`));
        }
      });
    }
  }

  it('the local level follows the period: districts in 2024, communes from 2025 (Hồ Chí Minh City\'s plan)', () => {
    const def = (year: number) => loadCatalog({ extraDirs: profileCatalogDirs('hcm'), year }).asks.definitions.get('KH.1.1-c')!.definition;
    expect(def(2024)).toContain('quận, huyện, thành phố Thủ Đức');
    expect(def(2025)).toContain('xã, phường, đặc khu');
  });
});
