// The default extractor: deterministic rules over conversational English, no network and no model.
// Text → clauses (text.ts) → who each clause is about (frames.ts) → rules by topic (patterns/) → beliefs.
import type { ExtractedBelief, ExtractionInput, Extractor } from './types.js';
import { coordinated, frameOf, ownerOf, ruleContext } from './frames.js';
import type { ClauseRule, Finding, Frame, FrameRule, RuleContext } from './pattern.js';
import { beingRules } from './patterns/being.js';
import { identityClauseRules, identityRules } from './patterns/identity.js';
import { placeClauseRules, placeRules } from './patterns/places.js';
import { planClauseRules, planRules } from './patterns/plans.js';
import { preferenceClauseRules, preferenceRules } from './patterns/preferences.js';
import { relationClauseRules, relationRules } from './patterns/relations.js';
import { workRules } from './patterns/work.js';
import { fieldStatement, surveyStatements } from './survey.js';
import { isUnreal, readClauses } from './text.js';

const FRAME_RULES: FrameRule[] = [...identityRules, ...placeRules, ...workRules, ...beingRules, ...relationRules, ...preferenceRules, ...planRules];
const CLAUSE_RULES: ClauseRule[] = [...identityClauseRules, ...placeClauseRules, ...relationClauseRules, ...preferenceClauseRules, ...planClauseRules];

const DEFAULT_CONFIDENCE = 0.9;

/** Beliefs speak of their subject in the third person: "loves my job" → "loves their job". */
function thirdPersonWords(text: string): string {
  return text.replace(/\b(?:my|our)\b/g, 'their').replace(/\bmyself\b/g, 'themselves').replace(/\bme\b/g, 'them').replace(/\bmine\b/g, 'theirs');
}

function toBelief(finding: Finding, about: string, scale: number): ExtractedBelief {
  const belief: ExtractedBelief = {
    about,
    predicate: finding.predicate,
    object: thirdPersonWords(finding.object),
    statement: thirdPersonWords(finding.statement),
    positive: finding.positive ?? true,
    confidence: Math.round((finding.confidence ?? DEFAULT_CONFIDENCE) * scale * 100) / 100,
    category: finding.category,
  };
  // Dates only when the text gave one: the pipeline fills in occurredAt for the rest.
  if (finding.validFrom != null) belief.validFrom = finding.validFrom;
  if (finding.validTo != null) belief.validTo = finding.validTo;
  if (finding.when != null) belief.when = finding.when;
  return belief;
}

function fromFrame(frame: Frame, ctx: RuleContext): ExtractedBelief[] {
  const out: ExtractedBelief[] = [];
  for (const rule of FRAME_RULES) {
    if (frame.plural && !rule.plural) continue;
    if (rule.firstPersonOnly && frame.person !== 'first') continue;
    const m = rule.re.exec(frame.rest);
    if (!m) continue;
    const scale = frame.confidence * (frame.plural ? 0.9 : 1);
    for (const finding of rule.build(m, frame, ctx)) out.push(toBelief(finding, finding.about ?? frame.about, scale));
  }
  return out;
}

function fromClause(clause: string, ctx: RuleContext): ExtractedBelief[] {
  const out: ExtractedBelief[] = [];
  for (const rule of CLAUSE_RULES) {
    rule.re.lastIndex = 0;
    for (let m = rule.re.exec(clause); m; m = rule.re.exec(clause)) {
      if (isUnreal(clause.slice(0, m.index))) continue;
      for (const finding of rule.build(m, clause, ctx)) out.push(toBelief(finding, finding.about ?? ctx.owner, 1));
      if (m[0].length === 0) rule.re.lastIndex++;
    }
  }
  return out;
}

/** One belief per (about, predicate, object, polarity): the first found, with the highest confidence any rule gave it. */
function dedupe(beliefs: ExtractedBelief[]): ExtractedBelief[] {
  const byKey = new Map<string, ExtractedBelief>();
  for (const belief of beliefs) {
    const key = [belief.about.toLowerCase(), belief.predicate, belief.object.toLowerCase(), belief.positive].join('\u0000');
    const seen = byKey.get(key);
    if (!seen) byKey.set(key, belief);
    else if (belief.confidence > seen.confidence) byKey.set(key, { ...seen, confidence: belief.confidence });
  }
  return [...byKey.values()];
}

/** Profile-style lines ("Location: Porto") read as the statements they stand for. */
function withFieldsAsStatements(text: string): string {
  if (!text.includes(':')) return text;
  return text
    .split('\n')
    .map((line) => {
      const statement = fieldStatement(line);
      return statement ? `${statement}.` : line;
    })
    .join('\n');
}

function fromText(text: string, ctx: RuleContext): ExtractedBelief[] {
  const out: ExtractedBelief[] = [];
  for (const clause of readClauses(withFieldsAsStatements(text))) {
    const frame = frameOf(clause, ctx);
    if (frame) for (const part of coordinated(frame)) out.push(...fromFrame(part, ctx));
    out.push(...fromClause(clause, ctx));
  }
  return out;
}

/** The beliefs a piece of text states, synchronously (the Extractor wraps it in a promise). */
export function extractBeliefs(input: ExtractionInput): ExtractedBelief[] {
  const owner = ownerOf(input);
  if (owner === null || !input.text?.trim()) return [];
  const ctx = ruleContext(input, owner);
  const found = fromText(input.text, ctx);
  const answersItself = /^\s*(?:I|I'm|I've|my|we|our)\b/i.test(input.text);
  if (input.question && found.length === 0 && !answersItself) {
    for (const statement of surveyStatements(input.question, input.text)) found.push(...fromText(statement, ctx));
  }
  return dedupe(found);
}

export function createRuleExtractor(): Extractor {
  return {
    name: 'rules',
    extract: async (input) => extractBeliefs(input),
  };
}
