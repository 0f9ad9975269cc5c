/** DEFAULT_CONFIG is written out (src/engine/config.ts builds its zod schema only when a config file is read): it must be what the schema gives for an empty config. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, loadConfigSchema } from '../src/engine/config.js';

describe('default config', () => {
  it('is the schema’s result for an empty config, key order included', async () => {
    const parsed = (await loadConfigSchema()).parse({});
    expect(DEFAULT_CONFIG).toEqual(parsed);
    expect(JSON.stringify(DEFAULT_CONFIG)).toBe(JSON.stringify(parsed));
  });
});
