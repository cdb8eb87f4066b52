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
} from './decimal.js';
export { costOfTokens } from './per-million.js';
