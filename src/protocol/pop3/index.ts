export * from './types';
export { Maildrop, uidlOf, type MaildropEntry } from './maildrop';
export { formatPop3Reply, dotStuff, unstuffLine } from './format';
export { executePop3Line, gatePop3Command, overlongReply, type GateResult } from './engine';
export { pop3Commands, findPop3Command, pop3CommandsLegalIn } from './commands/index';
export { pop3Capabilities } from './commands/capa';
export { topOf } from './commands/top';
