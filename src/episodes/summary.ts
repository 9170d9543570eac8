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
