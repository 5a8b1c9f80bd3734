/** Where the sandbox autosaves (localStorage); the shell reads it to choose its first screen. */
export const STORAGE_KEY = 'pop-vs-imap-lab/world';
