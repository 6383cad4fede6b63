/**
 * Is this a template of this catalog, for a unit of the roster and the year asked? A file for someone else or another
 * catalog is not read further: its map may not fit.
 */
import { finding } from '../../findings/codes.ts';
import { fileFinding, hasErrors, type Check } from './state.ts';

export const identity: Check = {
  name: 'identity',
  codes: ['catalog_version', 'wrong_year', 'unknown_unit', 'agency_mismatch', 'unit_name_mismatch', 'profile_mismatch'],
  stage: 'file',
  run(s) {
    const { ws, year } = s.ctx;
    const id = s.identity;
    const keys = s.parsed.kind === 'xlsx' ? s.parsed.meta.keys : null;
    s.unit = ws.roster.find((u) => u.code === id.unitCode) ?? null;
    if (keys && id.catalogVersion !== ws.catalog.version) {
      fileFinding(s, finding('catalog_version', { got: id.catalogVersion, want: ws.catalog.version }), id.catalogVersion);
    }
    if (year !== undefined && id.year !== year) fileFinding(s, finding('wrong_year', { got: id.year, want: year }), String(id.year));
    if (!s.unit) {
      fileFinding(s, finding('unknown_unit', { code: id.unitCode, name: keys?.unit_name ?? null, roster: ws.sources.roster }), id.unitCode);
    } else if (keys && keys.agency_code !== s.unit.agencyCode) {
      fileFinding(s, finding('agency_mismatch', { got: keys.agency_code, unit: s.unit.code, want: s.unit.agencyCode }), keys.agency_code);
    } else if (keys && keys.unit_name.normalize('NFC').trim() !== s.unit.name.normalize('NFC').trim()) {
      // An edited unit_code would file one unit's figures as another's: the name `_meta` carries must be the roster's.
      fileFinding(s, finding('unit_name_mismatch', { got: keys.unit_name, code: s.unit.code, want: s.unit.name }), keys.unit_name);
    }
    if (keys && keys.profile !== ws.profile.id) fileFinding(s, finding('profile_mismatch', { got: keys.profile, want: ws.profile.id }), keys.profile);
    return hasErrors(s) ? 'stop' : undefined;
  },
};
