// The note `vigil restore` leaves in a data directory it restored, read (and removed) by the next start, so that
// carrying on a replay that was running when the backup was made is said, not done silently.

export const RESTORED_MARKER = 'restored-from-backup.json';

export interface RestoredNote {
  backupCreatedAt: string;
  restoredAt: string;
}
