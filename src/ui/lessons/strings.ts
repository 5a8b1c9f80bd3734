/** The lesson screens' words: the catalogue of src/lessons/strings.ts (English), ready for translation. */
import { translator } from '../../lessons/strings';

export const t = translator();
