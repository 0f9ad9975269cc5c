import { register } from 'node:module';
register('./sdk-watch-hooks.mjs', import.meta.url);
