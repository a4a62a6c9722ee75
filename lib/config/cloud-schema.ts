/**
 * The `cloud:` section of the config: what the cloud-side commands (`jcrkit network ensure`,
 * `cluster ensure`, `up`) create. The renderer ignores it.
 */
import { z } from 'zod';

export const cloudSchema = z.strictObject({});
