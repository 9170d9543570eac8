// What the model must answer when asked for a prediction; validated before anything is stored.
import { z } from 'zod';

export const maxOptions = 20;
export const maxBatch = 20;

/** The model's answer. Confidence is a probability; some models answer in percent, which is read as such. */
export const modelAnswer = z.object({
  prediction: z.string().trim().min(1),
  option: z.string().trim().min(1).nullish(),
  confidence: z
    .number()
    .min(0)
    .max(100)
    .transform((c) => (c > 1 ? c / 100 : c))
    .nullish(),
  reasoning: z.string().nullish(),
});

export type ModelAnswer = z.infer<typeof modelAnswer>;
