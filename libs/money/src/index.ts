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
