/** The error for a zero or negative price (both readers). */
import { InputError } from '../../core/errors.js';
import type { CellWhere } from './errors.js';

/** The problem text of a zero or negative price (both readers; the CLI re-hints it by this text). */
export const NON_POSITIVE_PRICE = 'price is zero or negative';

export function nonPositiveCell(w: CellWhere, value: string): InputError {
  return new InputError(NON_POSITIVE_PRICE, {
    ...w,
    value,
    hint: 'prices must be positive; if the file holds returns, load it with kind "returns"',
  });
}
