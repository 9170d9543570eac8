// Token counting and budget trimming with one tokenizer for the whole app (o200k_base, as current
// OpenAI models use; close enough for budgeting other models' prompts).
import { countTokens as count } from 'gpt-tokenizer/encoding/o200k_base';

export const tokenizerName = 'o200k_base';

export function countTokens(text: string): number {
  return text ? count(text) : 0;
}

/**
 * Keeps whole lines, in order, while they fit `budget` tokens (newlines counted); returns the kept lines
 * and the tokens they use. A line that does not fit is skipped, and later shorter ones may still fit.
 */
export function fitLines(lines: string[], budget: number): { kept: string[]; tokens: number } {
  const kept: string[] = [];
  let tokens = 0;
  for (const line of lines) {
    const cost = countTokens(kept.length ? `\n${line}` : line);
    if (tokens + cost > budget) continue;
    kept.push(line);
    tokens += cost;
  }
  return { kept, tokens };
}
