export {
  Decimal,
  DecimalFormatError,
  ZERO,
  isDecimalString,
  parseDecimal,
  fromCount,
  sum,
  formatDecimal,
  formatDecimalFixed,
  decimalEquals,
  fromStored,
  storedText,
  type StoredDecimal,
} from './decimal.js';
export { costOfTokens } from './per-million.js';
export {
  STORED_SCALE,
  STORED_INTEGER_DIGITS,
  AMOUNT_MAX_INTEGER_DIGITS,
  AMOUNT_BOUND_TEXT,
  amountBoundViolation,
  isStorableAmount,
  exceedsAmountBound,
} from './bounds.js';
