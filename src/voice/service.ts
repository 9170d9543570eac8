// Text to speech through an ElevenLabs-compatible endpoint: POST {base}/v1/text-to-speech/{voice} with
// xi-api-key, answered with audio/mpeg. No key → 503; the provider's 429 → 429; anything else → 502.
import { AppError } from '../platform/errors.js';
import type { Config } from '../platform/config.js';

const provider = 'voice provider';
/** ElevenLabs' own limit per request. */
export const maxTextLength = 5000;

export interface Speech {
  audio: Buffer;
  contentType: string;
  voiceId: string;
}

export class VoiceService {
  constructor(private readonly config: Config['voice']) {}

  get configured(): boolean {
    return this.config.apiKey !== undefined;
  }

  async synthesize(text: string, voiceId?: string): Promise<Speech> {
    const { apiKey, baseUrl, defaultVoice, timeoutMs } = this.config;
    if (!apiKey) throw new AppError('provider_not_configured', { provider });
    const voice = voiceId ?? defaultVoice;
    let response: Response;
    try {
      response = await fetch(`${baseUrl}/v1/text-to-speech/${encodeURIComponent(voice)}`, {
        method: 'POST',
        headers: { 'xi-api-key': apiKey, 'content-type': 'application/json', accept: 'audio/mpeg' },
        body: JSON.stringify({ text }),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      const reason = (err as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : 'network error';
      throw new AppError('upstream_failed', { provider, reason });
    }
    if (response.status === 429) {
      const retryAfter = Number(response.headers.get('retry-after'));
      throw new AppError('upstream_rate_limited', { provider, ...(retryAfter > 0 ? { retryAfterSeconds: retryAfter } : {}) });
    }
    if (!response.ok) {
      await response.body?.cancel();
      // A refused key is a configuration problem, not a passing upstream fault.
      if (response.status === 401 || response.status === 403) throw new AppError('provider_not_configured', { provider, reason: 'the API key was refused' });
      throw new AppError('upstream_failed', { provider, reason: `HTTP ${response.status}` });
    }
    const audio = Buffer.from(await response.arrayBuffer());
    return { audio, contentType: response.headers.get('content-type') ?? 'audio/mpeg', voiceId: voice };
  }
}
