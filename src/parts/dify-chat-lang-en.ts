/** English (en): the built-in texts as one language file, like the others (the element itself needs no file for English). */
import { defaultStrings } from '../strings.js';
import { partStrings } from '../app/strings.js';

/** English texts of the widget (every key of `defaultStrings` and `partStrings`). */
export const messages = { ...defaultStrings, ...partStrings };
