// What text and speaker an envelope carries, by input type. Unknown types are never dropped: their
// string fields become the text.

export interface EnvelopeText {
  text: string;
  speaker: string | null;
  question?: string;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v.trim() : undefined);

/** Every string inside a value, depth-first, for input types Engram does not know. */
function strings(value: unknown, out: string[] = [], depth = 0): string[] {
  if (depth > 4 || out.length > 50) return out;
  if (typeof value === 'string' && value.trim()) out.push(value.trim());
  else if (Array.isArray(value)) for (const v of value) strings(v, out, depth + 1);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) strings(v, out, depth + 1);
  return out;
}

function describeValue(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

export function envelopeText(inputType: string, data: Record<string, unknown>): EnvelopeText {
  switch (inputType) {
    case 'conversation_turn':
    case 'message':
      return { text: str(data.text) ?? str(data.content) ?? str(data.message) ?? '', speaker: str(data.speaker) ?? str(data.sender) ?? str(data.role) ?? null };
    case 'note':
      return { text: str(data.text) ?? str(data.content) ?? strings(data).join('\n'), speaker: null };
    case 'document':
      return { text: [str(data.title), str(data.text) ?? str(data.content) ?? str(data.body)].filter(Boolean).join('\n'), speaker: null };
    case 'action': {
      const props = data.properties && typeof data.properties === 'object' ? Object.entries(data.properties as Record<string, unknown>) : [];
      const detail = props.map(([k, v]) => `${k}: ${describeValue(v)}`).join(', ');
      return { text: `action ${str(data.name) ?? 'unnamed'}${detail ? ` (${detail})` : ''}`, speaker: null };
    }
    case 'profile_update': {
      const fields = data.fields && typeof data.fields === 'object' ? Object.entries(data.fields as Record<string, unknown>) : [];
      return { text: fields.map(([k, v]) => `${k}: ${describeValue(v)}`).join('\n'), speaker: null };
    }
    case 'survey_answer': {
      const question = str(data.question);
      return { text: str(data.answer) ?? describeValue(data.answer ?? ''), speaker: null, ...(question ? { question } : {}) };
    }
    default:
      return { text: strings(data).join('\n'), speaker: str(data.speaker) ?? null };
  }
}
