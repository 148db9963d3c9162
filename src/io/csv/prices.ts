/** The error for a zero or negative price (both readers). */
import { InputError } from '../../core/errors.js';
import type { CellWhere } from './errors.js';

export function nonPositiveCell(w: CellWhere, value: string): InputError {
  return new InputError('price is zero or negative', {
    ...w,
    value,
    hint: 'prices must be positive; if the file holds returns, load it with kind "returns"',
  });
}
