import type { Protocol } from '../server/types';

/** What a device reports about itself; the world stamps each with time and sequence number. */
export type DeviceEvent =
  | { type: 'device.connected'; device: string; protocol: Protocol; connection: string }
  | {
      type: 'device.disconnected';
      device: string;
      protocol: Protocol;
      reason: 'quit' | 'logout' | 'dropped' | 'server';
    }
  | { type: 'device.command'; device: string; protocol: Protocol; line: string }
  /** One complete reply or response: its first line and its size in octets. */
  | { type: 'device.reply'; device: string; protocol: Protocol; line: string; octets: number }
  | {
      type: 'device.check';
      device: string;
      protocol: Protocol;
      /** 'dropped': the connection broke during the check (the `drop-before-quit` fault). */
      result: 'ok' | 'locked' | 'auth-failed' | 'unavailable' | 'offline' | 'error' | 'dropped';
      downloaded: number;
      deletedOnServer: number;
      detail?: string;
    }
  | {
      type: 'device.downloaded';
      device: string;
      protocol: Protocol;
      messageId: string;
      subject: string;
      folder: string;
      size: number;
      /** The command that brought it (without the IMAP tag), e.g. "RETR 2" or "UID FETCH 4:* (… BODY.PEEK[])". */
      command: string;
      /** IMAP: the server copy's UID in `folder`. */
      uid?: number;
    }
  /** A local copy went away because the server said so (EXPUNGE elsewhere, UIDVALIDITY change). */
  | {
      type: 'device.removed';
      device: string;
      messageId: string;
      folder: string;
      reason: 'expunged' | 'uidvalidity';
    }
  | { type: 'device.flags.synced'; device: string; messageId: string; folder: string; flags: string[] }
  | { type: 'device.folder.created'; device: string; folder: string; by: 'user' | 'sync' }
  | { type: 'device.folder.removed'; device: string; folder: string }
  /** A learner action on the device: read/unread/flag/unflag/delete/move, applied to the local copy. */
  | {
      type: 'device.local';
      device: string;
      action: 'read' | 'unread' | 'flag' | 'unflag' | 'delete' | 'move';
      messageId: string;
      folder: string;
      to?: string;
      /** IMAP: queued because the device is offline. */
      queued?: boolean;
    }
  | { type: 'device.queue.replayed'; device: string; actions: number }
  | { type: 'device.online'; device: string; online: boolean }
  | { type: 'device.lost'; device: string; messages: number }
  | { type: 'device.protocol'; device: string; protocol: Protocol; discarded: number }
  | { type: 'device.settings'; device: string }
  | { type: 'device.error'; device: string; message: string };

export type DeviceEventType = DeviceEvent['type'];
