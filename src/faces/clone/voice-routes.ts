// The recording face's /api/voice/: text to speech through the configured ElevenLabs-compatible provider.
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Core } from '../../app.js';
import type { HttpServer } from '../../platform/http.js';
import { maxTextLength } from '../../voice/service.js';
import { cloneAuth, cloneSecurity } from './auth.js';

const tags = ['recording: voice'];

const synthesizeBody = z.object({
  text: z.string().trim().min(1).max(maxTextLength),
  voice_id: z.string().regex(/^[A-Za-z0-9_-]{1,100}$/).optional().describe('Default ENGRAM_VOICE_DEFAULT_VOICE'),
});

export function registerCloneVoiceRoutes(app: HttpServer, core: Core) {
  const security = cloneSecurity;
  app.register(async (instance) => {
    const face = instance.withTypeProvider<ZodTypeProvider>();
    face.addHook('onRequest', cloneAuth(core.auth));

    face.post(
      '/api/voice/synthesize/',
      {
        schema: {
          tags,
          security,
          summary: 'Speak the text: answers audio/mpeg (503 without a voice provider, 429/502 when it refuses or fails)',
          body: synthesizeBody,
        },
      },
      async (request, reply) => {
        const speech = await core.voice.synthesize(request.body.text, request.body.voice_id);
        return reply.code(200).header('content-type', speech.contentType).header('x-voice-id', speech.voiceId).send(speech.audio);
      },
    );
  });
}
