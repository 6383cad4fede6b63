import os from 'node:os';

/** The OS user running hoctap (recorded with every change of what is in force). */
export function currentUser(): string {
  try {
    return os.userInfo().username;
  } catch {
    // No passwd entry (some containers): the environment's word for it.
    return process.env.USER ?? process.env.USERNAME ?? 'không rõ';
  }
}
