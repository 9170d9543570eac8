// The plain baseline the retrieval benchmark reports beside Engram: Okapi BM25 (k1 1.2, b 0.75) over one
// document per turn, lower-cased words, English stopwords dropped, no stemming, no other signal.

const stopwords = new Set(
  `a about above after again against all am an and any are as at be because been before being below between both but by
  can could did do does doing down during each few for from further had has have having he her here hers herself him himself
  his how i if in into is it its itself just me more most my myself no nor not now of off on once only or other our ours
  ourselves out over own same she should so some such than that the their theirs them themselves then there these they this
  those through to too under until up very was we were what when where which while who whom why will with would you your
  yours yourself yourselves`.split(/\s+/),
);

export const bm25Tokens = (text: string) => (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).filter((w) => !stopwords.has(w));

export class Bm25Index<Id> {
  private readonly docs: { id: Id; tf: Map<string, number>; length: number }[] = [];
  private readonly df = new Map<string, number>();
  private totalLength = 0;

  add(id: Id, text: string): void {
    const tf = new Map<string, number>();
    const tokens = bm25Tokens(text);
    for (const t of tokens) tf.set(t, (tf.get(t) ?? 0) + 1);
    for (const t of tf.keys()) this.df.set(t, (this.df.get(t) ?? 0) + 1);
    this.docs.push({ id, tf, length: tokens.length });
    this.totalLength += tokens.length;
  }

  search(query: string, k: number): Id[] {
    const terms = [...new Set(bm25Tokens(query))];
    const n = this.docs.length;
    const avg = this.totalLength / Math.max(1, n);
    const scored: { id: Id; score: number }[] = [];
    for (const d of this.docs) {
      let score = 0;
      for (const t of terms) {
        const f = d.tf.get(t);
        if (!f) continue;
        const df = this.df.get(t) ?? 0;
        const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
        score += (idf * f * 2.2) / (f + 1.2 * (0.25 + (0.75 * d.length) / avg));
      }
      if (score > 0) scored.push({ id: d.id, score });
    }
    return scored.sort((a, b) => b.score - a.score).slice(0, k).map((s) => s.id);
  }
}
