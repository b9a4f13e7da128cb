/**
 * Bounds on JSON the emulator accepts (request bodies) and produces from function code (outputs),
 * checked on the text before it is parsed.
 *
 * - Nesting: at most MAX_JSON_DEPTH levels of arrays and objects. Deeper values parse, but
 *   validating, storing or serializing them recurses once per level and runs out of stack (a 500).
 * - Well-formed Unicode: no lone surrogate (`"\ud800"`). JavaScript strings can hold one, SQLite's
 *   UTF-8 cannot: such a name would be answered as sent and stored as U+FFFD.
 */

export const MAX_JSON_DEPTH = 64;

const isHigh = (unit: number) => unit >= 0xd800 && unit <= 0xdbff;
const isLow = (unit: number) => unit >= 0xdc00 && unit <= 0xdfff;

/** The UTF-16 unit of a `\uXXXX` escape starting at `index` (the backslash), or -1. */
function escapedUnit(text: string, index: number): number {
  if (text.charCodeAt(index) !== 0x5c || text.charCodeAt(index + 1) !== 0x75) return -1;
  const hex = text.slice(index + 2, index + 6);
  return /^[0-9a-fA-F]{4}$/.test(hex) ? parseInt(hex, 16) : -1;
}

/** What is wrong with a JSON text, as the end of a sentence starting "it", or undefined. */
export function jsonProblem(text: string, maxDepth = MAX_JSON_DEPTH): string | undefined {
  let depth = 0;
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const unit = text.charCodeAt(index);
    if (inString) {
      if (unit === 0x22) inString = false;
      else if (unit === 0x5c) {
        const escaped = escapedUnit(text, index);
        if (escaped === -1) {
          index++; // \" \\ \n …: skip the escaped character
          continue;
        }
        if (isLow(escaped) || (isHigh(escaped) && !isLow(escapedUnit(text, index + 6)))) {
          return "contains a lone surrogate (text that is not well-formed Unicode)";
        }
        index += isHigh(escaped) ? 11 : 5;
      } else if (isLow(unit) || (isHigh(unit) && !isLow(text.charCodeAt(index + 1)))) {
        return "contains a lone surrogate (text that is not well-formed Unicode)";
      } else if (isHigh(unit)) index++;
    } else if (unit === 0x22) inString = true;
    else if (unit === 0x5b || unit === 0x7b) {
      if (++depth > maxDepth) return `is nested more than ${maxDepth} levels deep`;
    } else if (unit === 0x5d || unit === 0x7d) depth--;
  }
  return undefined;
}
