// Copies the optional skins (src/themes/*.css) to dist/themes/.
import { cpSync, mkdirSync } from 'node:fs';

mkdirSync('dist/themes', { recursive: true });
cpSync('src/themes', 'dist/themes', { recursive: true });
console.log('themes copied to dist/themes');
