// The LLM belief extractor: asks the shared LLM for beliefs as JSON, validates them, and hands the input to the rule extractor when the model or its answer fails.
import { z } from 'zod';
import { isAppError } from '../platform/errors.js';
import type { LlmClient } from '../providers/llm.js';
import { type BeliefCategory, type ExtractedBelief, type ExtractionInput, type Extractor, singleValuedPredicates } from './types.js';

/** Why an extraction fell back to the rules; the label of engram_llm_extraction_fallbacks_total. */
export type FallbackReason = 'invalid_json' | 'invalid_output' | 'rate_limited' | 'upstream_failed' | 'provider_unusable' | 'error';

const categories = ['identity', 'place', 'occupation', 'relation', 'preference', 'possession', 'plan', 'trait', 'fact'] as const satisfies readonly BeliefCategory[];

const DAY = 86_400_000;
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** A day ("2024-05-10", UTC midnight) or an instant with its offset; never a local time, which would depend on the server. */
const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/, 'YYYY-MM-DD')
  .transform((v, ctx) => {
    const ms = Date.parse(v);
    if (!Number.isNaN(ms)) return ms;
    ctx.addIssue({ code: 'custom', message: 'not a real date' });
    return z.NEVER;
  })
  .nullish();

const snake = (s: string) =>
  s
    .trim()
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_|_$/g, '')
    .toLowerCase();

const llmBelief = z.object({
  about: z.string().trim().min(1).max(100),
  predicate: z.string().transform(snake).pipe(z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, 'a snake_case predicate')),
  object: z.string().trim().min(1).max(500),
  statement: z.string().trim().min(1).max(500),
  positive: z.boolean().default(true),
  confidence: z.number().min(0).max(1),
  category: z.enum(categories),
  validFrom: isoDate,
  validTo: isoDate,
  when: isoDate,
  singleValued: z.boolean().optional(),
});

/** What the model must answer; the whole answer is rejected when one belief breaks it. */
const llmExtractionSchema = z.object({ beliefs: z.array(llmBelief).max(50) });

const SYSTEM_PROMPT = `You extract lasting beliefs about people from one piece of text, for a personal memory system.
The subject is the person whose memory this is.

Answer with one JSON object: {"beliefs": [...]}; an empty list when the text states nothing lasting.
Each belief is an object with these fields:
- "about": "self" when the belief is about the subject; otherwise who it is about, as named or as related to the subject ("Anna", "sister").
- "predicate": a snake_case relation, e.g. name, age, birthday, lives_in, from, works_at, job_title, studies_at, relationship_status, partner, diet, likes, dislikes, has_pet, has_sibling, knows, owns, visited, plans_to.
- "object": the value as it should be shown, e.g. "Porto", "a golden retriever named Max".
- "statement": a short third-person statement without the person's name, e.g. "lives in Porto".
- "positive": false for negations ("I don't eat meat" → predicate likes, object meat, positive false); otherwise true.
- "confidence": a number from 0 to 1: how plainly the text states it.
- "category": one of ${categories.join(', ')}.
- "validFrom", "validTo": "YYYY-MM-DD" when the text says when it started or stopped being true ("I used to live in Lisbon" → validTo is the day it was said); otherwise null.
- "when": for plans and events, the day they refer to as "YYYY-MM-DD"; otherwise null.
- "singleValued": optional. These predicates hold one current value, a new one replacing the old: ${[...singleValuedPredicates].join(', ')}. Every other predicate accumulates values. Set it only to override that default.

Who a belief is about:
- When the speaker is the subject, "I", "me" and "my" mean the subject: "about" is "self".
- When the speaker is someone else, "I" means that speaker: their facts are about them ("about" is the speaker's name), not about the subject. What they say about the subject ("you", or the subject's name) is about "self".
- Facts about other people are theirs: "My sister lives in Paris" → about "sister", lives_in Paris. That the subject has a sister may be a belief about "self".

Dates: resolve relative dates from the day the text was said (given with its weekday). Weeks start on Monday. "next Friday" is the Friday of next week, "this Friday" the Friday of the current week, "last Friday" the most recent Friday before that day; a period ("next month", "last May", "in 2019") means its first day.

Only what the text states or plainly implies: no guesses, nothing about the conversation itself, no questions or hypotheticals.`;

/** The extractor; `fallback` (the rule extractor) answers whenever the model cannot, and `onFallback` hears why. */
export function createLlmExtractor(
  client: LlmClient,
  fallback: Extractor,
  onFallback: (reason: FallbackReason, detail: string) => void,
): Extractor {
  const fallBack = async (input: ExtractionInput, reason: FallbackReason, detail: string) => {
    onFallback(reason, detail);
    return (await fallback.extract(input)).map((b) => ({ ...b, engine: fallback.name }));
  };
  return {
    name: `llm:${client.provider}/${client.model}`,
    async extract(input) {
      if (!input.text.trim()) return [];
      let text: string;
      try {
        const completion = await client.complete({
          system: SYSTEM_PROMPT,
          messages: [{ role: 'user', content: describeInput(input) }],
          maxTokens: 2048,
          temperature: 0,
          json: true,
        });
        text = completion.text;
      } catch (err) {
        return fallBack(input, reasonFor(err), err instanceof Error ? err.message : String(err));
      }
      const json = parseModelJson(text);
      // Details name what was wrong, never the text: the model's answer repeats the subject's words.
      if (json === undefined) return fallBack(input, 'invalid_json', `answer of ${text.length} characters is not JSON`);
      const parsed = llmExtractionSchema.safeParse(Array.isArray(json) ? { beliefs: json } : json);
      if (!parsed.success) return fallBack(input, 'invalid_output', z.prettifyError(parsed.error).slice(0, 500));
      return parsed.data.beliefs.map((b) => toBelief(b, input.subjectNames));
    },
  };
}

function describeInput(input: ExtractionInput): string {
  const said = new Date(Math.floor(input.occurredAt / DAY) * DAY);
  const speaker = isSubject(input.speaker, input.subjectNames) ? 'the subject' : `${input.speaker} (not the subject)`;
  return [
    `Subject's names: ${input.subjectNames.length ? input.subjectNames.join(', ') : 'unknown'}`,
    `Speaker: ${speaker}`,
    `Said on: ${said.toISOString().slice(0, 10)} (${WEEKDAYS[said.getUTCDay()]})`,
    `Input type: ${input.inputType}`,
    ...(input.question ? [`Question answered: ${input.question}`] : []),
    'Text:',
    '<text>',
    input.text,
    '</text>',
  ].join('\n');
}

function isSubject(name: string | null, subjectNames: string[]): boolean {
  if (name === null) return true;
  const n = name.trim().toLowerCase();
  return n === 'self' || subjectNames.some((s) => s.trim().toLowerCase() === n);
}

/** The answer's JSON: the whole text, a ```json fenced block, or the outermost {...} when the model added prose. */
function parseModelJson(text: string): unknown {
  const fenced = /```(?:json)?\s*([\s\S]*?)```/i.exec(text)?.[1];
  const candidates = [text.trim(), fenced?.trim(), text.slice(text.indexOf('{'), text.lastIndexOf('}') + 1)];
  for (const candidate of candidates) {
    if (!candidate) continue;
    try {
      return JSON.parse(candidate);
    } catch {
      // the next candidate may parse
    }
  }
  return undefined;
}

function toBelief(b: z.infer<typeof llmBelief>, subjectNames: string[]): ExtractedBelief {
  return {
    about: isSubject(b.about, subjectNames) ? 'self' : b.about,
    predicate: b.predicate,
    object: b.object,
    statement: b.statement,
    positive: b.positive,
    confidence: b.confidence,
    category: b.category,
    ...(b.validFrom != null ? { validFrom: b.validFrom } : {}),
    ...(b.validTo != null ? { validTo: b.validTo } : {}),
    ...(b.when != null ? { when: b.when } : {}),
    ...(b.singleValued !== undefined ? { singleValued: b.singleValued } : {}),
  };
}

function reasonFor(err: unknown): FallbackReason {
  if (!isAppError(err)) return 'error';
  switch (err.code) {
    case 'upstream_rate_limited':
      return 'rate_limited';
    case 'upstream_failed':
      return 'upstream_failed';
    case 'provider_not_configured':
      return 'provider_unusable';
    default:
      return 'error';
  }
}
