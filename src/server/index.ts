export * from './types';
export {
  createMailServer,
  mailServerLogic,
  mailServerMachine,
  nextServerContext,
  type MailServer,
  type MailServerOptions,
  type ServerConnection,
  type ConnectionInfo,
  type MaildropLocks,
  type ServerContext,
  type ServerMachineEvent,
} from './server';
export {
  pop3SessionMachine,
  describePop3Machine,
  type Pop3MachineEvent,
  type Pop3MachineDiagram,
  type Pop3MachineState,
} from './pop3/machine';
export {
  createPop3Session,
  createPop3SessionFactory,
  Pop3Session,
  apopBanner,
  POP3_GREETING_TEXT,
  POP3_TOO_MANY_BAD_COMMANDS,
  type Pop3SessionOptions,
} from './pop3/session';
