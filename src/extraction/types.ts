// What an extractor reads and what it finds: the contract between the pipeline and every extractor.

/** One piece of text the subject's memory should learn from. */
export interface ExtractionInput {
  /** The text itself: an utterance, a note, a document body, an answer. */
  text: string;
  /**
   * Who said or wrote it. null or the subject's own name/alias: the subject ("I" means the subject).
   * Another name: someone else talking ("I" means that person, and facts about them are theirs).
   */
  speaker: string | null;
  /** Names the subject goes by (display name, first name), to recognise their own turns and mentions. */
  subjectNames: string[];
  /** When it was said or happened (epoch ms): relative dates ("next Friday", "last May") resolve from here. */
  occurredAt: number;
  /** The envelope's input_type (conversation_turn, note, document, survey_answer, …). */
  inputType: string;
  /** For survey answers: the question, which often carries the predicate ("Where do you live?"). */
  question?: string;
}

export type BeliefCategory = 'identity' | 'place' | 'occupation' | 'relation' | 'preference' | 'possession' | 'plan' | 'trait' | 'fact';

export interface ExtractedBelief {
  /** 'self' for the subject; otherwise who the fact is about, as named or related ("sister", "Anna"). */
  about: string;
  /** Normalized snake_case predicate, e.g. lives_in, works_at, job_title, likes, dislikes, has_pet, plans_to. */
  predicate: string;
  /** The object as it should be shown, e.g. "Porto", "a golden retriever named Max". */
  object: string;
  /** A short readable statement in the third person, e.g. "lives in Porto". */
  statement: string;
  /** false for negations ("I don't eat meat" → diet … / likes meat false). */
  positive: boolean;
  /** The extractor's own confidence, 0..1. */
  confidence: number;
  category: BeliefCategory;
  /** When it became true, if the text says so (epoch ms); else the pipeline uses occurredAt. */
  validFrom?: number | null;
  /** When it stopped being true, if the text says so ("I used to live in Lisbon" → before occurredAt). */
  validTo?: number | null;
  /** For plans and events: the absolute date the text refers to (epoch ms, UTC midnight when only a day). */
  when?: number | null;
  /** Overrides the predicate's default (singleValuedPredicates): profile fields hold one value each. */
  singleValued?: boolean;
  /** Which engine produced it, when not the extractor's own name (e.g. the rules answering for the LLM). */
  engine?: string;
}

export interface Extractor {
  /** Reported with each belief's provenance, e.g. "rules" or "llm:anthropic/claude-…". */
  readonly name: string;
  extract(input: ExtractionInput): Promise<ExtractedBelief[]>;
}

/**
 * Predicates with one current value: a new value supersedes the old one (kept, with its valid_to).
 * Every other predicate accumulates values (likes, has_pet, knows, …).
 */
export const singleValuedPredicates = new Set([
  'name',
  'age',
  'birthday',
  'lives_in',
  'from',
  'works_at',
  'job_title',
  'studies_at',
  'relationship_status',
  'partner',
  'diet',
  'gender',
  'pronouns',
  'native_language',
]);
