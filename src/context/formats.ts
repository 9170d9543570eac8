// The context formats Engram can assemble, described for clients (GET /external/context/formats).
export const contextFormats = [
  {
    id: 'ai_ready',
    name: 'AI-ready prompt context',
    description:
      'Prompt-ready text about the user within a token budget (counted with the server tokenizer), with its token count and sections.',
    use_cases: ['system prompt for a chat model', 'grounding an agent in what it knows about the user'],
  },
  {
    id: 'raw',
    name: 'Raw self-model',
    description: 'The structured self-model: current beliefs with confidence, validity and evidence, and recent episodes.',
    use_cases: ['your own ranking or rendering', 'inspecting why Engram believes something'],
  },
  {
    id: 'summary',
    name: 'Summary',
    description: 'A short extractive summary of who the user is and what happened recently.',
    use_cases: ['dashboards', 'hand-off notes between agents or humans'],
  },
] as const;

export type ContextFormat = (typeof contextFormats)[number]['id'];
export const defaultContextFormat: ContextFormat = 'ai_ready';
