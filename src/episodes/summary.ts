// Extractive summaries: the first sentences of what was said, short enough for a context line.

const maxChars = 240;

/** "Sam: I moved to Porto last week." — the speaker (when known) and the first sentence or two. */
export function summarize(text: string, speaker: string | null): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  const sentences = clean.match(/[^.!?]+[.!?]*/g) ?? [clean];
  let summary = '';
  for (const sentence of sentences) {
    const next = (summary + ' ' + sentence.trim()).trim();
    if (next.length > maxChars && summary) break;
    summary = next;
  }
  if (summary.length > maxChars) summary = `${summary.slice(0, maxChars - 1).trimEnd()}…`;
  return speaker ? `${speaker}: ${summary}` : summary;
}

/** Episodes farther apart than this start a new run when they have no session of their own. */
export const runGapMs = 6 * 3_600_000;

/**
 * Splits episodes (any order) into runs: the same session, or — without one — no gap longer than
 * `runGapMs`. Runs come oldest first, their episodes in time order.
 */
export function runsOf<T extends { occurredAt: number; sessionId: string | null }>(episodes: T[]): T[][] {
  const sorted = [...episodes].sort((a, b) => a.occurredAt - b.occurredAt);
  const runs: T[][] = [];
  for (const e of sorted) {
    const run = runs[runs.length - 1];
    const last = run?.[run.length - 1];
    const sameRun = last && (e.sessionId || last.sessionId ? e.sessionId === last.sessionId : e.occurredAt - last.occurredAt <= runGapMs);
    if (sameRun) run!.push(e);
    else runs.push([e]);
  }
  return runs;
}

/** A short summary of a run of episodes: its date, its size, and its first and last things said. */
export function summarizeRun(episodes: { occurredAt: number; summary: string }[]): string {
  if (!episodes.length) return '';
  const date = new Date(episodes[0]!.occurredAt).toISOString().slice(0, 10);
  const picked = episodes.length <= 3 ? episodes : [episodes[0]!, episodes[1]!, episodes[episodes.length - 1]!];
  const said = picked.map((e) => e.summary).join(' / ');
  return `${date} (${episodes.length} ${episodes.length === 1 ? 'entry' : 'entries'}): ${said}`;
}
