import { readdirSync, readFileSync, readlinkSync, realpathSync, statSync } from 'node:fs';

/**
 * PIDs of the processes using a serial port: those holding its lock (/proc/locks), and
 * for real devices also those that have it open (/proc/PID/fd, the ones we may read).
 * A pty slave is always held open by the program serving it (e.g. a virtual board), so
 * for ptys only the lock counts.
 */
export function findPortUsers(devicePath: string): number[] {
  const target = resolve(devicePath);
  const pids = new Set(findLockHolders(target));
  if (!isPtySlave(target)) for (const pid of findOpeners(target)) pids.add(pid);
  return [...pids].sort((a, b) => a - b);
}

/** flock holders of the file, from /proc/locks lines "1: FLOCK ADVISORY WRITE PID MAJ:MIN:INODE 0 EOF". */
function findLockHolders(path: string): number[] {
  let key: string;
  let locks: string;
  try {
    const stat = statSync(path);
    const major = (stat.dev >> 8) & 0xfff;
    const minor = (stat.dev & 0xff) | ((stat.dev >> 12) & 0xfff00);
    key = `${hex2(major)}:${hex2(minor)}:${stat.ino}`;
    locks = readFileSync('/proc/locks', 'utf8');
  } catch {
    return [];
  }
  return locks.split('\n').flatMap((line) => {
    const fields = line.trim().split(/\s+/);
    return fields[1] === 'FLOCK' && fields[5] === key ? [Number(fields[4])] : [];
  });
}

function findOpeners(path: string): number[] {
  const pids: number[] = [];
  for (const entry of safeReaddir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const fdDir = `/proc/${entry}/fd`;
    if (safeReaddir(fdDir).some((fd) => safeReadlink(`${fdDir}/${fd}`) === path)) pids.push(Number(entry));
  }
  return pids;
}

/** Unix98 pty slaves (/dev/pts/N) have major numbers 136-143. */
function isPtySlave(path: string): boolean {
  try {
    const major = (statSync(path).rdev >> 8) & 0xfff;
    return major >= 136 && major <= 143;
  } catch {
    return false;
  }
}

function hex2(n: number): string {
  return n.toString(16).padStart(2, '0');
}

function resolve(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

function safeReaddir(path: string): string[] {
  try {
    return readdirSync(path);
  } catch {
    return [];
  }
}

function safeReadlink(path: string): string | undefined {
  try {
    return readlinkSync(path);
  } catch {
    return undefined;
  }
}
